// The app's unlocked key (main/service/unlocked-key.ts): the PIN is asked once for a key's
// passkey and large-blob operations, and the token is dropped when the key goes, after an
// error, after another kind of operation, after the idle limit and on lock; a token the key
// itself refuses (its power was lost) costs one PIN prompt and the operation still succeeds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealLargeBlob } from '../../ctap/ctap2/large-blob-entry.js';
import { serializeLargeBlobArray } from '../../ctap/ctap2/large-blobs.js';
import type { StoredCredential } from '../../ctap/virtual/state.js';
import type { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { IpcRouter } from '../../main/ipc/router.js';
import { KeyService, unwrap, type KeyServiceOptions } from '../../main/service/key-service.js';
import type { PromptHandler } from '../../main/service/prompt-events.js';
import { DEFAULT_IDLE_MS } from '../../main/service/unlocked-key.js';
import { b64url, loadState, passkey, PIN, seedKey } from '../cli/tty-session.js';

let dir: string;
let file: string;
let service: KeyService | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skm-unlocked-'));
  file = join(dir, 'key.json');
});
afterEach(async () => {
  await service?.close();
  service = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Answers every PIN and confirmation, counting the PIN prompts. */
function counting(): PromptHandler & { pins: number } {
  const handler = {
    pins: 0,
    pin: () => {
      handler.pins += 1;
      return Promise.resolve(PIN);
    },
    confirm: () => Promise.resolve(true),
    notify: () => undefined,
  };
  return handler;
}

async function open(credentials: StoredCredential[], options: Partial<KeyServiceOptions> = { keepUnlocked: true }, change?: Parameters<typeof seedKey>[1]['change']) {
  await seedKey(file, { preset: 'ctap21', credentials, ...(change ? { change } : {}) });
  service = new KeyService({ virtualFiles: [file], ...options });
  const prompts = counting();
  const key = (): VirtualKey => (service as unknown as { virtualKeys: { keys: VirtualKey[] }[] }).virtualKeys[0]!.keys[0]!;
  const deviceId = unwrap(await service.listDevices())[0]!.id;
  return { service, prompts, key, deviceId };
}

const users = ['alice', 'bob', 'carol', 'dave'];
const seeded = (): StoredCredential[] => users.map((user) => passkey({ rpId: 'example.com', user }));

async function remove(s: KeyService, prompts: PromptHandler, credential: StoredCredential) {
  return s.run('passkeys.delete', { credentialId: b64url(credential.id) }, { prompts });
}

describe('unlocked key', () => {
  it('a second delete does not ask for the PIN again (the CLI, which keeps nothing, asks each time)', async () => {
    const credentials = seeded();
    const { service: s, prompts, deviceId } = await open(credentials);
    expect(s.isUnlocked(deviceId)).toBe(false);
    unwrap(await remove(s, prompts, credentials[0]!));
    expect(prompts.pins).toBe(1);
    expect(s.isUnlocked(deviceId)).toBe(true);
    unwrap(await remove(s, prompts, credentials[1]!));
    unwrap(await s.run('passkeys.updateUser', { credentialId: b64url(credentials[2]!.id), name: 'carol2' }, { prompts }));
    expect(prompts.pins).toBe(1);
    await s.flush();
    expect((await loadState(file)).credentials.map((c) => c.userName)).toEqual(['carol2', 'dave']);

    await s.close();
    const cli = await open(seeded(), {});
    const again = (await cli.service.run('passkeys.list', {}, { prompts: cli.prompts })).ok && (await cli.service.run('passkeys.list', {}, { prompts: cli.prompts })).ok;
    expect(again).toBe(true);
    expect(cli.prompts.pins).toBe(2);
    expect(cli.service.isUnlocked(cli.deviceId)).toBe(false);
  });

  it('removing the key drops the token: the next operation asks again', async () => {
    const credentials = seeded();
    const { service: s, prompts, key, deviceId } = await open(credentials);
    unwrap(await remove(s, prompts, credentials[0]!));
    key().remove();
    await expect.poll(() => s.isUnlocked(deviceId)).toBe(false);
    key().insert();
    unwrap(await remove(s, prompts, credentials[1]!));
    expect(prompts.pins).toBe(2);
  });

  it('idle for the limit drops it; within the limit it is kept', async () => {
    let now = 1_000_000;
    const credentials = seeded();
    const { service: s, prompts, deviceId } = await open(credentials, { keepUnlocked: { now: () => now } });
    unwrap(await s.run('passkeys.list', {}, { prompts }));
    now += DEFAULT_IDLE_MS - 1000;
    unwrap(await s.run('passkeys.list', {}, { prompts }));
    expect(prompts.pins).toBe(1);
    now += DEFAULT_IDLE_MS;
    expect(s.isUnlocked(deviceId)).toBe(false);
    unwrap(await s.run('passkeys.list', {}, { prompts }));
    expect(prompts.pins).toBe(2);
  });

  it('a token the key refuses (power lost behind the app\'s back) costs one PIN prompt, and the delete succeeds', async () => {
    const credentials = seeded();
    const { service: s, prompts, key, deviceId } = await open(credentials);
    unwrap(await remove(s, prompts, credentials[0]!));
    // A power cycle the discovery does not report: the key forgot its token (§6.5.2), main did not.
    key().powerCycle();
    expect(s.isUnlocked(deviceId)).toBe(true);
    const deleted = unwrap(await remove(s, prompts, credentials[1]!));
    expect(deleted.deleted.userName).toBe('bob');
    expect(prompts.pins).toBe(2);
    // The new token is kept in turn.
    unwrap(await remove(s, prompts, credentials[2]!));
    expect(prompts.pins).toBe(2);
  });

  it('a PIN error, another kind of operation, and lockKey each drop it; an answer about the data keeps it', async () => {
    const credentials = seeded();
    const { service: s, prompts, key, deviceId } = await open(credentials);
    unwrap(await s.run('passkeys.list', {}, { prompts }));
    const missing = await s.run('passkeys.delete', { credentialId: 'AAAAAAAAAAAAAAAAAAAAAA' }, { prompts });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('CREDENTIAL_NOT_FOUND');
    expect(s.isUnlocked(deviceId)).toBe(true);

    // The key lost its token; the person then types a wrong PIN until the key stops asking.
    key().powerCycle();
    const wrong: PromptHandler = { ...prompts, pin: () => Promise.resolve('000000') };
    const blocked = await s.run('passkeys.list', {}, { prompts: wrong });
    expect(blocked.ok ? 'ok' : blocked.error.code).toBe('PIN_AUTH_BLOCKED');
    expect(s.isUnlocked(deviceId)).toBe(false);
    key().powerCycle();

    unwrap(await s.run('passkeys.list', {}, { prompts }));
    unwrap(await s.run('info', {}, { prompts }));
    expect(s.isUnlocked(deviceId)).toBe(true);
    unwrap(await s.run('settings.alwaysUv', { on: true }, { prompts }));
    expect(s.isUnlocked(deviceId)).toBe(false);

    unwrap(await s.run('passkeys.list', {}, { prompts }));
    expect(s.isUnlocked(deviceId)).toBe(true);
    const router = new IpcRouter({ service: s, emit: () => undefined, virtualKeyDir: dir });
    expect(await router.handle('lockKey', { deviceId })).toEqual({ ok: true, value: { locked: true } });
    expect(s.isUnlocked(deviceId)).toBe(false);
    router.close();
  });

  it('on a key with large blobs one token (cm + lbw) serves listing blobs and deleting one', async () => {
    const alice = passkey({ rpId: 'example.com', user: 'alice', largeBlobKey: true });
    const { service: s, prompts } = await open([alice], { keepUnlocked: true }, (state) => {
      state.largeBlobArray = serializeLargeBlobArray([sealLargeBlob(alice.largeBlobKey!, new TextEncoder().encode('note'))]);
    });
    const listed = unwrap(await s.run('blobs.list', {}, { prompts }));
    expect(listed.passkeys.map((p) => p.blob)).toEqual(['stored']);
    expect(unwrap(await s.run('blobs.delete', { credentialId: b64url(alice.id) }, { prompts })).deleted.size).toBe(4);
    expect(prompts.pins).toBe(1);
    await s.flush();
    expect((await loadState(file)).largeBlobArray).toEqual(serializeLargeBlobArray([]));
  });
});
