/**
 * `skm list` — every security key this computer can reach (USB, NFC readers, simulated keys).
 * @module
 */
import type { CommandModule } from '../context.js';
import { hex4, table } from '../output.js';
import type { DeviceSummary } from '../../service/operations/info.js';

export const listCommand: CommandModule = {
  register(program, services) {
    program
      .command('list')
      .description('List the connected security keys')
      .action(() =>
        services.run(
          () => services.service().listDevices({ signal: services.signal }),
          (devices) => ({ json: devices.map(toJson), human: humanList(devices) }),
        ),
      );
  },
};

/** The agreed JSON shape: { id, transport, name, vendor, aaguid, reader, vid, pid } (+ model, status). */
function toJson(d: DeviceSummary): DeviceSummary {
  return {
    id: d.id,
    transport: d.transport,
    name: d.name,
    status: d.status,
    model: d.model,
    vendor: d.vendor,
    aaguid: d.aaguid,
    reader: d.reader,
    vid: d.vid,
    pid: d.pid,
  };
}

function humanList(devices: DeviceSummary[]): string[] {
  if (devices.length === 0) return ['No security key found.'];
  const rows = devices.map((d) => [
    d.id,
    d.transport,
    d.status === 'no-card' ? `${d.name} (no key on the reader: tap your key)` : d.name,
    d.model ?? d.vendor ?? '',
    d.vid !== null ? `${hex4(d.vid)}:${hex4(d.pid).slice(2)}` : (d.reader ?? ''),
  ]);
  return table(['ID', 'CONNECTION', 'NAME', 'MODEL', 'USB ID / READER'], rows);
}
