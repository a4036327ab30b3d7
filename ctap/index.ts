/**
 * Public surface of the protocol library: what a client of it needs, named one by one, in the
 * order of the layers (DESIGN.md "Layers": transport → ctap2 session and command families →
 * flows; then the virtual key). Codecs' internals, request builders and flow helpers stay
 * private to their modules. The two native adapters — transport/hid/node-hid.ts and
 * transport/nfc/pcsc.ts — are left out on purpose: importing this file never loads a native
 * module; import those two by path where hardware is wanted.
 * @module
 */

// ── errors and statuses (CTAP 2.1 §8) ──
export {
  FidoError,
  CtapError,
  TransportError,
  ProtocolError,
  UnsupportedError,
  PinPolicyError,
  CancelledError,
  type FidoErrorCode,
  type TransportErrorKind,
  type PinPolicyReason,
} from './errors.js';
export { CtapStatus, statusName, isKnownStatus, type CtapStatusName, type CtapStatusCode } from './status.js';
export { encodeCanonical, decodeStrict, type CborValue, type CborKey, type CborMap } from './cbor.js';

// ── transports (§11) ──
export type { CtapTransport, TransportCommand, TransportKind, TransportCapabilities, TransactOptions, KeepaliveStatus } from './transport/transport.js';
export type { Discovery, DiscoveryEvent, DeviceDescriptor, DeviceTransportName } from './transport/discovery.js';
export { CtapHidTransport, type HidTransportOptions } from './transport/hid/hid-transport.js';
export { CtapNfcTransport, FIDO_AID, type NfcOpenOptions } from './transport/nfc/nfc-transport.js';

// ── session and getInfo (§6.4) ──
export { Ctap2Session, type SessionOptions, type TraceEvent } from './ctap2/session.js';
export {
  parseInfo,
  aaguidString,
  isCtap2,
  isCtap21,
  isCtap21Pre,
  isPinSet,
  supportsClientPin,
  supportsPermissions,
  supportsConfig,
  credentialManagementSupport,
  bioEnrollmentSupport,
  type AuthenticatorInfo,
  type FeatureSupport,
} from './ctap2/info.js';
export { identifyModel, type KeyModel } from './ctap2/models.js';

// ── command families ──
export { ClientPin, Permission, type PinUvAuthToken, type PinRetries, type TokenOptions } from './ctap2/client-pin.js';
export { CredentialManagement, type CredsMetadata, type RpRecord, type CredentialRecord } from './ctap2/credential-management.js';
export {
  BioEnrollment,
  EnrollFeedback,
  FingerprintKind,
  sampleFeedback,
  type SampleFeedback,
  type TemplateInfo,
  type FingerprintSensorInfo,
} from './ctap2/bio-enrollment.js';
export { AuthenticatorConfig, type SetMinPinLengthOptions } from './ctap2/authenticator-config.js';
export { resetAuthenticator, selectAuthenticator } from './ctap2/reset.js';
export {
  LargeBlobs,
  supportsLargeBlobs,
  maxSerializedLargeBlobArray,
  serializeLargeBlobArray,
  parseLargeBlobArray,
  type LargeBlobArray,
  type CorruptReason,
} from './ctap2/large-blobs.js';
export { sealLargeBlob, openLargeBlob, parseLargeBlobEntry, type LargeBlobEntry, type OpenedEntry } from './ctap2/large-blob-entry.js';
export { makeCredential, checkAttestation, CoseAlgorithm, CredProtect, type MakeCredentialRequest, type MakeCredentialResult } from './ctap2/make-credential.js';
export { getAssertion, getAssertions, verifyAssertion, type GetAssertionRequest, type Assertion } from './ctap2/get-assertion.js';

// ── flows: multi-step operations that talk to a person through UserPrompts ──
export type * from './flows/prompts.js';
export { TOUCH_INSTRUCTIONS, REINSERT_INSTRUCTIONS, CONFIRM_ACTIONS } from './flows/prompts.js';
export { pinStatus, setPin, changePin, type PinStatus, type PinFlowOutcome } from './flows/manage-pin.js';
export {
  listPasskeys,
  deletePasskey,
  updateUser,
  OperationTokens,
  type PasskeyView,
  type ListPasskeysOutcome,
  type DeletePasskeyOutcome,
  type UpdateUserOutcome,
  type UnlockFailure,
  type Unsupported,
  type UnsupportedFeature,
} from './flows/manage-credentials.js';
export {
  listLargeBlobs,
  showLargeBlob,
  deleteLargeBlob,
  deletePasskeyAndBlob,
  pruneLargeBlobs,
  type PasskeyBlob,
  type OrphanEntry,
  type BlobStorage,
  type ListLargeBlobsOutcome,
  type DeleteLargeBlobOutcome,
  type PruneLargeBlobsOutcome,
} from './flows/manage-large-blobs.js';
export {
  fingerprintSensorInfo,
  listFingerprints,
  enrollFingerprint,
  renameFingerprint,
  removeFingerprint,
  type EnrollOutcome,
  type RenameOutcome,
  type RemoveOutcome,
} from './flows/manage-fingerprints.js';
export { toggleAlwaysUv, setMinPinLength, enableEnterpriseAttestation, type MinPinLengthOutcome, type MinPinLengthRefusal } from './flows/configure.js';
export { resetDevice, resetConsequences, type ResetDeviceOptions, type ResetOutcome, type KnownContents } from './flows/reset-device.js';
export { selectDevice, winkDevice, type SelectOutcome } from './flows/select-device.js';
export { testKey, type TestKeyOutcome, type TestStep } from './flows/test-key.js';
export { resetGuide, identifyVendor, resetWindowMs, ResetWindow, type ResetGuide } from './flows/vendors.js';

// ── the virtual key (tests, practice, a card for PC/SC readers) ──
export { VirtualKey, type VirtualKeyOptions } from './virtual/virtual-key.js';
export { presets, describePresets, DEFAULT_PRESET, UnknownPresetError, type PresetName, type VirtualKeyConfig } from './virtual/config.js';
export { VirtualDiscovery, virtualDeviceId, SIMULATED_LABEL } from './virtual/discovery.js';
export { VirtualCard } from './virtual/card.js';
export { attachToVpcd, DEFAULT_VPCD_PORT, type VpcdStatus } from './virtual/vpcd.js';
