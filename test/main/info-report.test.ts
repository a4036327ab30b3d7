// `skm info`'s report over a scripted key: a read-only command shows what it can. PIN retries are
// asked for only when a PIN is set (Chromium does the same), and a counter answered out of range
// (negative retries, seen on open-source firmware) is null and named, not a failure.
import { describe, expect, it } from 'vitest';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import type { DeviceDescriptor } from '../../ctap/transport/discovery.js';
import { CtapNfcTransport } from '../../ctap/transport/nfc/nfc-transport.js';
import { keyInfo } from '../../main/service/operations/info.js';
import { makeCard } from '../nfc/helpers/virtual-card.js';
import { ScriptedTransport, ctap21Info, type Reply } from '../flows/manage-helpers.js';

const device: DeviceDescriptor = {
  id: 'usb:test',
  transport: 'usb',
  name: 'Test key',
  vid: null,
  pid: null,
  serial: null,
  reader: null,
  status: 'ready',
  open: () => Promise.reject(new Error('not used')),
};

/** A key whose clientPIN getPINRetries (§6.5.5.2) and getUVRetries answer with these maps. */
function key(options: Record<string, boolean>, retries: { pin: number; uv?: number }) {
  const transport = new ScriptedTransport(ctap21Info(options), (request): Reply => {
    if (request.command !== Ctap2Command.CLIENT_PIN) return { status: 0x01 };
    const sub = request.params?.get(2);
    if (sub === 0x01) return { body: new Map([[3, retries.pin]]) };
    if (sub === 0x07) return { body: new Map([[5, retries.uv ?? 5]]) };
    return { status: 0x01 };
  });
  return { transport, session: new Ctap2Session(transport) };
}

describe('keyInfo', () => {
  it('does not ask for PIN retries when no PIN is set (clientPin false)', async () => {
    const { transport, session } = key({ clientPin: false }, { pin: -1 });
    const report = await keyInfo({ session, device });
    expect(report.pinRetries).toBeNull();
    expect(report.unreadableFields).toEqual([]);
    expect(transport.requests.filter((r) => r.command === Ctap2Command.CLIENT_PIN)).toHaveLength(0);
  });

  it('reports a negative PIN retry count as unreadable (null), keeping the rest of the report', async () => {
    const { session } = key({ clientPin: true }, { pin: -1 });
    const report = await keyInfo({ session, device });
    expect(report.pinRetries).toBeNull();
    expect(report.unreadableFields).toEqual(['pinRetries']);
    expect(report.versions).toEqual(['FIDO_2_0', 'FIDO_2_1']);
    expect(report.options.clientPin).toBe(true);
  });

  it('reports a readable count as before', async () => {
    const { session } = key({ clientPin: true, uv: true }, { pin: 7, uv: -3 });
    const report = await keyInfo({ session, device });
    expect(report.pinRetries).toBe(7);
    expect(report.uvRetries).toBeNull();
    expect(report.unreadableFields).toEqual(['uvRetries']);
  });
});

describe('keyInfo names a key by its model whatever the transport', () => {
  const onReader = (name: string): DeviceDescriptor => ({ ...device, id: `nfc:${name}`, transport: 'nfc', name, reader: name });

  it('a simulated card on a reader is "Simulated key", not the reader', async () => {
    const { card } = makeCard({ preset: 'ctap21' });
    const session = new Ctap2Session(await CtapNfcTransport.open(card.connect('ACS ACR122U 00 00')));
    const report = await keyInfo({ session, device: onReader('ACS ACR122U 00 00') });
    expect(report).toMatchObject({ name: 'Simulated key', model: 'Simulated key', vendor: 'Security Key Manager', transport: 'nfc' });
  });

  it('a card whose AAGUID is in the model table is named after that model', async () => {
    const { card } = makeCard({ preset: 'ctap21-pre' });
    const session = new Ctap2Session(await CtapNfcTransport.open(card.connect('Reader 2')));
    const report = await keyInfo({ session, device: onReader('Reader 2') });
    expect(report.model).toMatch(/YubiKey/);
    expect(report.name).toBe(report.model);
    expect(report.aaguid).toBe('ee882879-721c-4913-9775-3dfcce97072a');
  });
});
