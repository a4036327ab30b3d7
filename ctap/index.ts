/**
 * Public surface of the protocol library (re-exports only). The two native adapters —
 * transport/hid/node-hid.ts and transport/nfc/pcsc.ts — are left out on purpose: importing this
 * file never loads a native module; import those two by path where hardware is wanted.
 * @module
 */
export * from './errors.js';
export * from './status.js';
export * from './cbor.js';
export * from './transport/transport.js';
export * from './transport/discovery.js';
export * from './transport/hid/hid-connection.js';
export * from './transport/hid/framing.js';
export * from './transport/hid/hid-transport.js';
export * from './transport/nfc/apdu.js';
export * from './transport/nfc/nfc-transport.js';
export * from './ctap2/commands.js';
export * from './ctap2/session.js';
export * from './ctap2/info.js';
export * from './ctap2/models.js';
export * from './ctap2/cose.js';
export * from './ctap2/pin-protocol.js';
export * from './ctap2/pin.js';
export * from './ctap2/client-pin.js';
export * from './ctap2/credential-management.js';
export * from './ctap2/bio-enrollment.js';
export * from './ctap2/authenticator-config.js';
export * from './ctap2/reset.js';
export * from './ctap2/large-blobs.js';
export * from './ctap2/large-blob-entry.js';
export * from './ctap2/entities.js';
export * from './ctap2/make-credential.js';
export * from './ctap2/get-assertion.js';
export * from './flows/prompts.js';
export * from './flows/manage-pin.js';
export * from './flows/manage-credentials.js';
export * from './flows/manage-large-blobs.js';
export * from './flows/manage-fingerprints.js';
export * from './flows/configure.js';
export * from './flows/reset-device.js';
export * from './flows/select-device.js';
export * from './flows/test-key.js';
export * from './flows/vendors.js';
export * from './virtual/config.js';
export * from './virtual/state.js';
export * from './virtual/presence.js';
export * from './virtual/authenticator.js';
export * from './virtual/virtual-key.js';
export * from './virtual/discovery.js';
export * from './virtual/card.js';
export * from './virtual/vpcd.js';
