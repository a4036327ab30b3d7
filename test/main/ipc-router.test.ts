// The IPC contract served over the real KeyService and a simulated key: malformed input is
// BAD_REQUEST with no side effect, and nothing main sends ever carries a PIN, a PIN hash or a
// pinUvAuthToken.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientPin, type PinUvAuthToken } from '../../ctap/ctap2/client-pin.js';
import type { TraceEvent } from '../../ctap/ctap2/session.js';
import { CHANNEL_NAMES, channels, type Events, type EventName } from '../../main/ipc/contract.js';
import { IpcRouter } from '../../main/ipc/router.js';
import { KeyService, type Result } from '../../main/service/key-service.js';
import type { PromptEvent } from '../../main/service/prompt-events.js';
import { pinHashHex } from '../cli/helpers.js';
import { passkey, seedKey } from '../cli/tty-session.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skm-ipc-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

interface Harness {
  router: IpcRouter;
  service: KeyService;
  /** Everything main sent: every event and every answer, in order. */
  sent: unknown[];
  prompts: PromptEvent[];
  trace: TraceEvent[];
  close(): Promise<void>;
}

async function harness(files: string[], answer?: (event: PromptEvent, router: IpcRouter) => void): Promise<Harness> {
  const sent: unknown[] = [];
  const prompts: PromptEvent[] = [];
  const trace: TraceEvent[] = [];
  // No hardware: tests never depend on a real key or on pcscd.
  const service = new KeyService({ virtualFiles: files, hardwareSources: () => [], onTrace: (event) => trace.push(event) });
  const holder: { router?: IpcRouter } = {};
  const emit = <E extends EventName>(event: E, payload: Events[E]): void => {
    sent.push({ event, payload });
    if (event === 'prompt') {
      const prompt = (payload as Events['prompt']).event;
      prompts.push(prompt);
      // Answer asynchronously, as a renderer would after the event crossed IPC.
      if (answer) setImmediate(() => answer(prompt, holder.router!));
    }
  };
  const router = new IpcRouter({ service, emit, virtualKeyDir: dir });
  holder.router = router;
  const wrapped = {
    handle: async (channel: string, input: unknown): Promise<Result<unknown>> => {
      const result = await router.handle(channel, input);
      sent.push({ channel, result });
      return result;
    },
  };
  return {
    router: wrapped as unknown as IpcRouter,
    service,
    sent,
    prompts,
    trace,
    close: async () => {
      router.close();
      await service.close();
    },
  };
}

describe('every channel refuses malformed input with BAD_REQUEST and does nothing', () => {
  it('fast-check: arbitrary values on every channel', async () => {
    const file = join(dir, 'key.json');
    await seedKey(file, { preset: 'ctap21', credentials: [passkey({ rpId: 'example.com', user: 'alice' })] });
    const before = await readFile(file, 'utf8');
    const h = await harness([file]);
    const run = vi.spyOn(h.service, 'run');
    const list = vi.spyOn(h.service, 'listDevices');
    const add = vi.spyOn(h.service, 'addVirtualKey');
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNEL_NAMES, 'runOperation', 'answerPrompt', 'nope', '__proto__'), fc.anything(), async (channel, input) => {
        const known = Object.hasOwn(channels, channel);
        if (known && channels[channel as keyof typeof channels].input.safeParse(input).success) return;
        const result = await h.router.handle(channel, input);
        expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
        refused += 1;
      }),
      { numRuns: 400, seed: 0x5eed },
    );
    expect(refused).toBeGreaterThan(300);
    expect(run).not.toHaveBeenCalled();
    expect(list).not.toHaveBeenCalled();
    expect(add).not.toHaveBeenCalled();
    await h.close();
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('near misses of valid requests: an extra field, a wrong type, an unknown operation, a PIN answer too long', async () => {
    const h = await harness([join(dir, 'key.json')]);
    const run = vi.spyOn(h.service, 'run');
    const cases: [string, unknown][] = [
      ['runOperation', { operation: 'pin.status', runId: 'r1', input: {}, extra: 1 }],
      ['runOperation', { operation: 'pin.status', runId: 'r1', input: { pin: '1234' } }],
      ['runOperation', { operation: 'reset-everything', runId: 'r1', input: {} }],
      ['runOperation', { operation: 'settings.minPinLength', runId: 'r1', input: { minPinLength: '8', rpIds: [], forceChangePin: false } }],
      ['runOperation', { operation: 'passkeys.delete', runId: 'r1', input: { credentialId: 'x'.repeat(5000) } }],
      ['runOperation', { operation: 'settings.alwaysUv', runId: '', input: { on: true } }],
      ['answerPrompt', { kind: 'pin', id: 'op1.1', pin: '1'.repeat(300) }],
      ['answerPrompt', { kind: 'confirm', id: 'op1.1', yes: 'yes' }],
      ['addVirtualKey', { file: '/etc/passwd' }],
      ['listDevices', null],
    ];
    for (const [channel, input] of cases) {
      expect(await h.router.handle(channel, input), `${channel} ${JSON.stringify(input).slice(0, 80)}`).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(run).not.toHaveBeenCalled();
    await h.close();
  });
});

describe('a whole session over IPC', () => {
  it('set PIN, list passkeys, delete one, reset: answers and events never carry a PIN, its hash or a token', async () => {
    const PIN = '482916';
    const file = join(dir, 'key.json');
    await seedKey(file, {
      preset: 'ctap21',
      pin: null,
      credentials: [passkey({ rpId: 'example.com', user: 'alice' }), passkey({ rpId: 'github.test', user: 'octocat' })],
    });
    const tokens: Uint8Array[] = [];
    const getToken = ClientPin.prototype.getToken;
    vi.spyOn(ClientPin.prototype, 'getToken').mockImplementation(async function (this: ClientPin, ...args: Parameters<ClientPin['getToken']>): Promise<PinUvAuthToken> {
      const token = await getToken.apply(this, args);
      tokens.push(Uint8Array.from(token.token));
      return token;
    });
    const h = await harness([file], (event, router) => {
      if (event.kind === 'pin') void router.handle('answerPrompt', { kind: 'pin', id: event.id, pin: PIN });
      if (event.kind === 'confirm') void router.handle('answerPrompt', { kind: 'confirm', id: event.id, yes: true });
    });

    const devices = await h.router.handle('listDevices', {});
    expect(devices).toMatchObject({ ok: true });
    expect(await h.router.handle('runOperation', { operation: 'pin.set', runId: 'r1', input: {} })).toEqual({ ok: true, value: { pinSet: true } });
    const listed = (await h.router.handle('runOperation', { operation: 'passkeys.list', runId: 'r2', input: {} })) as Result<{ passkeys: { credentialId: string; rpId: string }[] }>;
    expect(listed.ok && listed.value.passkeys.map((p) => p.rpId).sort()).toEqual(['example.com', 'github.test']);
    const doomed = listed.ok ? listed.value.passkeys.find((p) => p.rpId === 'github.test')!.credentialId : '';
    expect(await h.router.handle('runOperation', { operation: 'passkeys.delete', runId: 'r3', input: { credentialId: doomed } })).toMatchObject({
      ok: true,
      value: { deleted: { rpId: 'github.test' } },
    });
    expect(await h.router.handle('runOperation', { operation: 'reset', runId: 'r4', input: { known: { passkeys: { passkeys: 1, sites: 1 } } } })).toMatchObject({ ok: true, value: { reset: true } });
    await h.close();

    // The prompts the renderer saw: the PIN asked twice for set (new), once per unlock, the
    // confirmations named what is lost, the reset counted it.
    expect(h.prompts.filter((p) => p.kind === 'pin')).toHaveLength(3);
    expect(h.prompts.filter((p) => p.kind === 'confirm').map((p) => p.kind === 'confirm' && p.action)).toEqual(['delete-passkey', 'reset']);
    expect(JSON.stringify(h.prompts)).toContain('"passkeys":1');

    // Every secret the session handled, in every encoding a payload could carry it.
    const secrets: Uint8Array[] = [...tokens];
    for (const event of h.trace) {
      const keys = event.direction === 'request' ? [0x04, 0x05, 0x06] : [0x02];
      for (const k of keys) {
        const value = event.params?.get(k);
        if (value instanceof Uint8Array) secrets.push(value);
      }
    }
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    const wire = JSON.stringify(h.sent, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value));
    for (const secret of secrets) {
      const bytes = Buffer.from(secret);
      for (const form of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')]) expect(wire).not.toContain(form.slice(0, 16));
    }
    for (const form of [PIN, Buffer.from(PIN).toString('hex'), pinHashHex(PIN), Buffer.from(pinHashHex(PIN), 'hex').toString('base64')]) {
      expect(wire).not.toContain(form);
    }
    // The check can fail: the PIN does cross once — renderer → main — but never back.
    expect(JSON.stringify({ kind: 'pin', pin: PIN })).toContain(PIN);
  });

  it('cancelling a prompt cancels its run cleanly; the key is usable afterwards', async () => {
    const file = join(dir, 'key.json');
    await seedKey(file, { preset: 'ctap21', credentials: [passkey({ rpId: 'example.com', user: 'alice' })] });
    const h = await harness([file], (event, router) => {
      if (event.kind === 'pin') void router.handle('cancelPrompt', { id: event.id });
    });
    const result = await h.router.handle('runOperation', { operation: 'passkeys.list', runId: 'r1', input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const status = await h.router.handle('runOperation', { operation: 'pin.status', runId: 'r2', input: {} });
    expect(status).toMatchObject({ ok: true, value: { pinSet: true } });
    await h.close();
  });

  it('an answer of the wrong kind is BAD_REQUEST and the question stays open', async () => {
    const file = join(dir, 'key.json');
    await seedKey(file, { preset: 'ctap21', credentials: [passkey({ rpId: 'example.com', user: 'alice' })] });
    const replies: Result<unknown>[] = [];
    const h = await harness([file], (event, router) => {
      if (event.kind !== 'pin') return;
      void router.handle('answerPrompt', { kind: 'confirm', id: event.id, yes: true }).then((reply) => {
        replies.push(reply);
        return router.handle('cancelOperation', { runId: 'r1' });
      });
    });
    expect(await h.router.handle('runOperation', { operation: 'passkeys.list', runId: 'r1', input: {} })).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(replies).toEqual([expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'BAD_REQUEST' }) })]);
    await h.close();
  });

  it('a simulated key added from the app lives in the app folder, never at a path the renderer names', async () => {
    const h = await harness([]);
    const added = (await h.router.handle('addVirtualKey', { preset: 'bio' })) as Result<{ id: string; transport: string }>;
    expect(added).toMatchObject({ ok: true, value: { transport: 'virtual' } });
    const listed = (await h.router.handle('listDevices', {})) as Result<{ id: string }[]>;
    expect(listed.ok && listed.value.map((d) => d.id)).toContain(added.ok ? added.value.id : 'none');
    await h.close();
    expect(JSON.parse(await readFile(join(dir, 'simulated-key-1.json'), 'utf8'))).toMatchObject({ preset: 'bio' });
  });
});
