/**
 * `skm list` — every security key this computer can reach (USB, NFC readers, simulated keys).
 * @module
 */
import type { CliServices, CommandModule } from '../context.js';
import { hex4 } from '../output.js';
import { table } from '../terminal-text.js';
import { addExamples } from '../help.js';
import type { DeviceSummary } from '../../service/operations/info.js';
import { guardFormula } from '../../service/csv-formula.js';

export const listCommand: CommandModule = {
  register(program, services) {
    const command = program
      .command('list')
      .action(() =>
        services.run(
          () => services.service().listDevices({ signal: services.signal }),
          (devices) => ({ json: devices.map(toJson), human: () => humanList(devices, services), csv: csvList(devices) }),
        ),
      );
    addExamples(command, services.copy, ['skm list', 'skm list --csv > keys.csv', 'skm --virtual key.json list --json']);
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

function usbOrReader(d: DeviceSummary): string {
  return d.vid !== null ? `${hex4(d.vid)}:${hex4(d.pid).slice(2)}` : (d.reader ?? '');
}

function humanList(devices: DeviceSummary[], services: CliServices): string[] {
  if (devices.length === 0) return [services.t('cli.list.none')];
  const rows = devices.map((d) => [
    d.id,
    d.transport,
    d.status === 'no-card' ? services.t('cli.list.noCard', { name: d.name }) : d.name,
    d.model ?? d.vendor ?? '',
    usbOrReader(d),
  ]);
  return table(services.copy.list('cli.list.headers'), rows, services.columns);
}

/** One row per key, the JSON field names as headings (a spreadsheet reads what a script reads). */
/** Names come from the key, the reader or metadata: guarded against formulas; ids stay exact. */
const csvText = new Set<string>(['name', 'model', 'vendor', 'reader']);

function csvList(devices: DeviceSummary[]): string[][] {
  const fields = ['id', 'transport', 'name', 'status', 'model', 'vendor', 'aaguid', 'reader', 'vid', 'pid'] as const;
  const cell = (f: (typeof fields)[number], value: string): string => (csvText.has(f) ? guardFormula(value) : value);
  return [[...fields], ...devices.map((d) => fields.map((f) => (d[f] === null ? '' : cell(f, String(d[f])))))];
}
