// End to end: a real PIN set, change and token over the virtual key, traced; no byte string that
// carries the PIN, its hash or the token (encrypted or not) may appear in the trace text.
import { describe, expect, it } from 'vitest';
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import type { TraceEvent } from '../../ctap/ctap2/session.js';
import { VirtualDiscovery } from '../../ctap/virtual/discovery.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { DeviceManager } from '../../main/service/device-manager.js';
import { formatTraceEvent } from '../../main/service/trace.js';
import { pinHashHex } from '../cli/helpers.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('trace over a real PIN exchange', () => {
  it('never shows PIN-derived bytes', async () => {
    const events: TraceEvent[] = [];
    const lines: string[] = [];
    const key = VirtualKey.create({ config: { serial: 'T1' } });
    const manager = new DeviceManager({
      sources: [{ transport: 'virtual', timeoutMs: 1_000, load: () => Promise.resolve(new VirtualDiscovery(key)) }],
      onTrace: (event) => {
        events.push(event);
        lines.push(formatTraceEvent(event));
      },
    });
    const [device] = await manager.list();
    const token = await manager.withSession(device!, async (session) => {
      const pin = new ClientPin(session);
      await pin.setPin('2468013');
      await pin.changePin('2468013', '9753124');
      const t = await pin.getToken('9753124', { permissions: Permission.cm });
      return Uint8Array.from(t.token);
    });
    const text = lines.join('\n');

    // Every secret byte string the key and the host exchanged (clientPIN 0x04–0x06, response 0x02).
    const secrets: Uint8Array[] = [token];
    for (const event of events) {
      const keys = event.direction === 'request' ? [0x04, 0x05, 0x06] : [0x02];
      for (const k of keys) {
        const value = event.params?.get(k);
        if (value instanceof Uint8Array) secrets.push(value);
      }
    }
    expect(secrets.length).toBeGreaterThanOrEqual(1 + 2 + 3 + 2);
    for (const secret of secrets) expect(text).not.toContain(hex(secret).slice(0, 24));
    for (const pin of ['2468013', '9753124']) {
      expect(text).not.toContain(pin);
      expect(text).not.toContain(Buffer.from(pin).toString('hex'));
      expect(text).not.toContain(pinHashHex(pin));
    }
    expect(text).toContain('CLIENT_PIN getPinUvAuthTokenUsingPinWithPermissions');
    expect(key.state.pinHash && hex(key.state.pinHash)).toBe(pinHashHex('9753124'));
  });
});
