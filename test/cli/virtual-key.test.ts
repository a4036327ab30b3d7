import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describePresets } from '../../ctap/virtual/config.js';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

/** The pcscd side of the vpcd protocol: 2-byte big-endian length, then the payload. */
class FakeVpcd {
  private buffer = Buffer.alloc(0);
  private waiting: ((frame: Buffer) => void) | undefined;
  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.deliver();
    });
  }
  private deliver(): void {
    if (!this.waiting || this.buffer.length < 2) return;
    const length = this.buffer.readUInt16BE(0);
    if (this.buffer.length < 2 + length) return;
    const frame = this.buffer.subarray(2, 2 + length);
    this.buffer = this.buffer.subarray(2 + length);
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve(frame);
  }
  send(payload: number[]): void {
    const frame = Buffer.alloc(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    Buffer.from(payload).copy(frame, 2);
    this.socket.write(frame);
  }
  /** Send and wait for the card's answer. */
  exchange(payload: number[]): Promise<Buffer> {
    const answer = new Promise<Buffer>((resolve) => (this.waiting = resolve));
    this.send(payload);
    this.deliver();
    return answer;
  }
}

describe('skm virtual-key', () => {
  it('presets lists every preset with its description (human and --json)', async () => {
    const json = await skm(['--json', 'virtual-key', 'presets']);
    expect(json.code).toBe(0);
    expect(parseJson<{ name: string; description: string }[]>(json)).toEqual(describePresets());
    const human = await skm(['virtual-key', 'presets']);
    for (const preset of describePresets()) expect(human.stdout).toContain(preset.name);
  });

  it('faults lists every fault switch; --fault refuses an unknown one', async () => {
    const listed = parseJson<{ name: string; layer: string }[]>(await skm(['--json', 'virtual-key', 'faults']));
    expect(listed.map((f) => f.name)).toContain('endless-9100');
    expect(listed.length).toBeGreaterThanOrEqual(20);
    expect((await skm(['virtual-key', '--vpcd', '127.0.0.1:1', '--fault', 'gremlins'])).code).toBe(2);
  });

  it('--fault makes the card on the reader misbehave: endless-9100 answers NFCCTAP_MSG with 9100', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const controller = new AbortController();
    const running = skm(['virtual-key', '--vpcd', `127.0.0.1:${port}`, '--preset', 'nfc-card', '--fault', 'endless-9100'], { overrides: { signal: controller.signal } });
    const [socket] = (await once(server, 'connection')) as [Socket];
    const reader = new FakeVpcd(socket);
    reader.send([0x01]);
    await reader.exchange([0x04]);
    await reader.exchange([0x00, 0xa4, 0x04, 0x00, 0x08, 0xa0, 0x00, 0x00, 0x06, 0x47, 0x2f, 0x00, 0x01, 0x00]);
    // NFCCTAP_MSG (P1 0x80: the client polls) with authenticatorGetInfo: "still processing", twice.
    for (let i = 0; i < 2; i++) {
      const answer = await reader.exchange([0x80, 0x10, 0x80, 0x00, 0x01, 0x04, 0x00]);
      expect([...answer]).toEqual([0x01, 0x91, 0x00]);
    }
    controller.abort();
    expect((await running).code).toBe(0);
    server.close();
  });

  it('needs --vpcd HOST:PORT (usage errors, exit 2)', async () => {
    expect((await skm(['virtual-key'])).code).toBe(2);
    const bad = await skm(['--json', 'virtual-key', '--vpcd', 'localhost']);
    expect(bad.code).toBe(2);
    expect(parseJson<JsonError>(bad).error.message).toContain('HOST:PORT');
    expect((await skm(['virtual-key', '--vpcd', '127.0.0.1:1', '--touch', 'sometimes'])).code).toBe(2);
  });

  it('--vpcd serves a FIDO card to the reader until stopped, then saves its state file', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const state = tmp.file('card.json');
    const controller = new AbortController();
    const running = skm(['--json', 'virtual-key', '--vpcd', `127.0.0.1:${port}`, '--state', state, '--preset', 'nfc-card'], {
      overrides: { signal: controller.signal },
    });
    const [socket] = (await once(server, 'connection')) as [Socket];
    const reader = new FakeVpcd(socket);
    reader.send([0x01]); // power on
    const atr = await reader.exchange([0x04]);
    expect(atr[0]).toBe(0x3b);
    // SELECT the FIDO applet (CTAP 2.1 §11.3.3): the card answers its version string and 9000.
    const select = await reader.exchange([0x00, 0xa4, 0x04, 0x00, 0x08, 0xa0, 0x00, 0x00, 0x06, 0x47, 0x2f, 0x00, 0x01, 0x00]);
    expect(select.subarray(-2)).toEqual(Buffer.from([0x90, 0x00]));
    expect(select.subarray(0, -2).toString('ascii')).toMatch(/^(FIDO_2_0|U2F_V2)$/);
    controller.abort();
    const result = await running;
    server.close();
    expect(result.code).toBe(0);
    expect(parseJson<{ stopped: boolean; preset: string }>(result)).toMatchObject({ stopped: true, preset: 'nfc-card' });
    expect(JSON.parse(await readFile(state, 'utf8')).preset).toBe('nfc-card');
  });
});
