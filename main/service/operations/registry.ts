/**
 * Every user operation of the app and the CLI, by name: its input (plain JSON, so the IPC
 * contract can validate it with a schema), its output, the error-table kind it maps through, and
 * how much of the key it needs (a session, the device held, or every key for selection).
 * KeyService runs these; a front end only names one and gives its input.
 * @module
 */
import type { Ctap2Session } from '../../../ctap/ctap2/session.js';
import type { KnownContents } from '../../../ctap/flows/reset-device.js';
import type { OperationTokens } from '../../../ctap/flows/manage-credentials.js';
import type { UserPrompts } from '../../../ctap/flows/prompts.js';
import type { DeviceDescriptor } from '../../../ctap/transport/discovery.js';
import type { DeviceManager } from '../device-manager.js';
import type { OperationKind } from '../errors.js';
import type { MdsIndex } from '../provisioning/mds-index.js';
import { attestOperation, type AttestationReport } from './attest.js';
import { listCredentials, parseBase64url, updateCredentialUser, type PasskeyList, type PasskeyRecord } from './credentials.js';
import { enroll, listTemplates, parseTemplateId, remove, rename, sensorInfo, type FingerprintRecord, type SensorReport } from './fingerprints.js';
import { keyInfo, type KeyInfoReport } from './info.js';
import { deleteBlob, deleteCredentialAndBlob, listBlobs, pruneBlobs, showBlob, type BlobList, type BlobRecord, type DeletedCredential, type PruneReport } from './large-blobs.js';
import { changeCurrentPin, readPinStatus, setNewPin, verifyCurrentPin, type PinStatusReport, type PinVerifyReport } from './pin.js';
import { resetKey, type Replug, type ResetReport } from './reset.js';
import { selectKey, winkKey, type ChosenKey } from './select.js';
import { setAlwaysUv, setMinimumPinLength, turnOnEnterpriseAttestation, type MinPinLengthReport } from './settings.js';
import { runTest, type TestReport } from './test.js';

/** What an operation gets from KeyService. */
export interface OperationContext {
  device: DeviceDescriptor;
  manager: DeviceManager;
  prompts: UserPrompts;
  signal: AbortSignal;
  /** Remove and reinsert the key without a person (simulated keys), for the reset ceremony. */
  replug?: Replug;
  /** A verified FIDO Metadata Service BLOB the front end gave the service, or null. */
  mds: MdsIndex | null;
}

export interface SessionContext extends OperationContext {
  session: Ctap2Session;
  /** The unlocked key's tokens, lent to passkey and large-blob operations (unlocked-key.ts). */
  tokens?: OperationTokens;
}

/** Inputs per operation: JSON only (ids as the strings front ends show: base64url, hex). */
export interface OperationInputs {
  info: Record<string, never>;
  'pin.status': Record<string, never>;
  'pin.set': Record<string, never>;
  'pin.change': Record<string, never>;
  'pin.verify': Record<string, never>;
  'passkeys.list': { rpId?: string };
  'passkeys.delete': { credentialId: string };
  'passkeys.updateUser': { credentialId: string; name?: string; displayName?: string };
  'blobs.list': Record<string, never>;
  'blobs.show': { credentialId: string };
  'blobs.delete': { credentialId: string };
  'blobs.prune': Record<string, never>;
  'fingerprints.info': Record<string, never>;
  'fingerprints.list': Record<string, never>;
  'fingerprints.enroll': { name?: string };
  'fingerprints.rename': { templateId: string; name: string };
  'fingerprints.remove': { templateId: string };
  'settings.alwaysUv': { on: boolean };
  'settings.minPinLength': { minPinLength: number; rpIds: string[]; forceChangePin: boolean };
  'settings.enterpriseAttestation': Record<string, never>;
  reset: { powerCycle?: boolean; known?: KnownContents };
  select: Record<string, never>;
  wink: Record<string, never>;
  test: { residentKey: boolean; rpId?: string; userName?: string; largeBlob?: string };
  attest: { wink?: boolean };
}

export interface OperationOutputs {
  info: KeyInfoReport;
  'pin.status': PinStatusReport;
  'pin.set': { pinSet: true };
  'pin.change': { pinChanged: true };
  'pin.verify': PinVerifyReport;
  'passkeys.list': PasskeyList;
  'passkeys.delete': DeletedCredential;
  'passkeys.updateUser': { updated: PasskeyRecord };
  'blobs.list': BlobList;
  'blobs.show': BlobRecord;
  'blobs.delete': { deleted: { credentialId: string; size: number } };
  'blobs.prune': PruneReport;
  'fingerprints.info': SensorReport;
  'fingerprints.list': FingerprintRecord[];
  'fingerprints.enroll': FingerprintRecord;
  'fingerprints.rename': FingerprintRecord;
  'fingerprints.remove': { removed: FingerprintRecord };
  'settings.alwaysUv': { alwaysUv: boolean; changed: boolean };
  'settings.minPinLength': MinPinLengthReport;
  'settings.enterpriseAttestation': { enterpriseAttestation: true; changed: boolean };
  reset: ResetReport;
  select: ChosenKey;
  wink: { winked: true; id: string; name: string };
  test: TestReport;
  attest: AttestationReport;
}

export type OperationName = keyof OperationInputs;

type Definition<K extends OperationName> = {
  kind: OperationKind;
} & (
  | { scope: 'session'; run(context: SessionContext, input: OperationInputs[K]): Promise<OperationOutputs[K]> }
  /** The key is held but not opened: the flow opens it itself (reset across a replug). */
  | { scope: 'device'; run(context: OperationContext, input: OperationInputs[K]): Promise<OperationOutputs[K]> }
  /** No key is chosen first: the operation looks at every key (selection by touch). */
  | { scope: 'all'; run(context: Omit<OperationContext, 'device'>, input: OperationInputs[K]): Promise<OperationOutputs[K]> }
);

export type Operations = { [K in OperationName]: Definition<K> };

export const operations: Operations = {
  info: { kind: 'info', scope: 'session', run: (c) => keyInfo(c) },
  'pin.status': { kind: 'pin-status', scope: 'session', run: (c) => readPinStatus(c) },
  'pin.set': { kind: 'pin-set', scope: 'session', run: (c) => setNewPin(c) },
  'pin.change': { kind: 'pin-change', scope: 'session', run: (c) => changeCurrentPin(c) },
  'pin.verify': { kind: 'pin-status', scope: 'session', run: (c) => verifyCurrentPin(c) },
  'passkeys.list': { kind: 'credentials', scope: 'session', run: (c, input) => listCredentials({ ...c, ...input }) },
  'passkeys.delete': {
    kind: 'credentials',
    scope: 'session',
    // An id or a unique start of one. On a key with large blobs this also offers to delete the
    // passkey's blob (its own question).
    run: (c, input) => deleteCredentialAndBlob({ ...c, credentialId: input.credentialId }),
  },
  'passkeys.updateUser': {
    kind: 'credentials',
    scope: 'session',
    run: (c, input) =>
      updateCredentialUser({
        ...c,
        credentialId: input.credentialId,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      }),
  },
  'blobs.list': { kind: 'credentials', scope: 'session', run: (c) => listBlobs(c) },
  'blobs.show': { kind: 'credentials', scope: 'session', run: (c, input) => showBlob({ ...c, credentialId: parseBase64url(input.credentialId, 'invalid-credential-id') }) },
  'blobs.delete': { kind: 'credentials', scope: 'session', run: (c, input) => deleteBlob({ ...c, credentialId: parseBase64url(input.credentialId, 'invalid-credential-id') }) },
  'blobs.prune': { kind: 'credentials', scope: 'session', run: (c) => pruneBlobs(c) },
  'fingerprints.info': { kind: 'fingerprints', scope: 'session', run: (c) => sensorInfo(c) },
  'fingerprints.list': { kind: 'fingerprints', scope: 'session', run: (c) => listTemplates(c) },
  'fingerprints.enroll': { kind: 'fingerprints', scope: 'session', run: (c, input) => enroll({ ...c, ...input }) },
  'fingerprints.rename': {
    kind: 'fingerprints',
    scope: 'session',
    run: (c, input) => rename({ ...c, templateId: parseTemplateId(input.templateId), name: input.name }),
  },
  'fingerprints.remove': { kind: 'fingerprints', scope: 'session', run: (c, input) => remove({ ...c, templateId: parseTemplateId(input.templateId) }) },
  'settings.alwaysUv': { kind: 'settings', scope: 'session', run: (c, input) => setAlwaysUv({ ...c, on: input.on }) },
  'settings.minPinLength': { kind: 'settings', scope: 'session', run: (c, input) => setMinimumPinLength({ ...c, ...input }) },
  'settings.enterpriseAttestation': { kind: 'settings', scope: 'session', run: (c) => turnOnEnterpriseAttestation(c) },
  reset: {
    kind: 'reset',
    scope: 'device',
    run: (c, input) =>
      resetKey({
        discovery: c.manager,
        device: c.device,
        openSession: (target, options) => c.manager.openSession(target, options),
        prompts: c.prompts,
        signal: c.signal,
        ...(c.replug ? { replug: c.replug } : {}),
        ...(input.powerCycle !== undefined ? { readerPowerCycle: input.powerCycle } : {}),
        ...(input.known ? { known: input.known } : {}),
      }),
  },
  select: { kind: 'select', scope: 'all', run: (c) => selectKey(c) },
  // Not a session: a wink needs no CTAP2, so U2F-only keys may blink too.
  wink: {
    kind: 'wink',
    scope: 'device',
    run: async (c) => {
      const session = await c.manager.openSession(c.device, { signal: c.signal });
      try {
        await winkKey({ session, signal: c.signal });
      } finally {
        await session.transport.close();
      }
      return { winked: true, id: c.device.id, name: c.device.name };
    },
  },
  test: {
    kind: 'test',
    scope: 'session',
    run: (c, input) =>
      runTest({
        ...c,
        resident: input.residentKey,
        ...(input.rpId !== undefined ? { rpId: input.rpId } : {}),
        ...(input.userName !== undefined ? { userName: input.userName } : {}),
        ...(input.largeBlob !== undefined ? { largeBlob: input.largeBlob } : {}),
      }),
  },
  // A makeCredential like `test`: its statuses mean what they mean there.
  attest: { kind: 'test', scope: 'session', run: (c, input) => attestOperation({ ...c, wink: input.wink === true }) },
};
