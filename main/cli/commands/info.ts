/**
 * `skm info` — every getInfo field of one key (CTAP 2.1 §6.4) in plain words, or as JSON.
 * @module
 */
import type { CommandModule } from '../context.js';
import { optionMeanings, type KeyInfoReport } from '../../service/operations/info.js';

export const infoCommand: CommandModule = {
  register(program, services) {
    program
      .command('info')
      .description('Show everything the key says about itself (model, versions, PIN, options)')
      .action(() =>
        services.operation('info', {}, (report) => ({ json: report, human: humanInfo(report) })),
      );
  },
};

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
const list = (items: readonly (string | number)[] | null): string => (items && items.length > 0 ? items.join(', ') : 'none');

/** COSE algorithm names (IANA COSE registry) for the common ones. */
const algorithmNames: Readonly<Record<number, string>> = { [-7]: 'ES256', [-8]: 'EdDSA', [-35]: 'ES384', [-36]: 'ES512', [-257]: 'RS256', [-47]: 'ES256K' };

function pinLine(r: KeyInfoReport): string {
  if (r.options.clientPin === undefined) return 'not supported';
  if (r.options.clientPin && r.unreadableFields.includes('pinRetries')) return 'set, tries left unknown (the key answered out of range)';
  const tries = r.pinRetries === null || !r.options.clientPin ? '' : `, ${r.pinRetries} ${r.pinRetries === 1 ? 'try' : 'tries'} left`;
  return `${r.options.clientPin ? 'set' : 'not set'}${tries}`;
}

function humanInfo(r: KeyInfoReport): string[] {
  const lines: [string, string][] = [
    ['Key', `${r.name} (${r.id})`],
    ['Model', r.model ?? 'unknown'],
    ['Vendor', r.vendor ?? 'unknown'],
    ['AAGUID', r.aaguid],
    ['Versions', list(r.versions)],
    // §6.4 firmwareVersion is vendor-defined; most vendors pack major.minor.patch into bytes.
    ['Firmware', r.firmwareVersion === null ? 'not reported' : `${r.firmwareVersion} (0x${r.firmwareVersion.toString(16).padStart(6, '0')})`],
    ['PIN', pinLine(r)],
    ['Minimum PIN length', `${r.minPinLength} characters`],
    ['PIN change required', yesNo(r.forcePinChange)],
    ['PIN protocols', list(r.pinUvAuthProtocols)],
    ['Passkey slots left', r.remainingDiscoverableCredentials === null ? 'not reported' : String(r.remainingDiscoverableCredentials)],
    ['Extensions', list(r.extensions)],
    ['Transports', list(r.transports)],
    ['Algorithms', r.algorithms ? list(r.algorithms.map((a) => `${algorithmNames[a.alg] ?? a.alg}`)) : 'not reported'],
    ['Reset allowed over', r.transportsForReset ? list(r.transportsForReset) : 'every connection'],
    ['Reset needs a long touch', yesNo(r.longTouchForReset)],
  ];
  if (r.uvRetries !== null) lines.push(['Fingerprint tries left', String(r.uvRetries)]);
  const width = Math.max(...lines.map(([k]) => k.length)) + 2;
  const out = lines.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`);
  out.push('', 'Options:');
  for (const [name, value] of Object.entries(r.options)) {
    const meaning = optionMeanings[name];
    out.push(`  ${name.padEnd(30)}${yesNo(value).padEnd(5)}${meaning ? (value ? meaning.yes : meaning.no) : ''}`.trimEnd());
  }
  out.push('', 'Limits:');
  const limits: [string, number | null][] = [
    ['Largest message (bytes)', r.maxMsgSize],
    ['Credentials per request', r.maxCredentialCountInList],
    ['Credential id length', r.maxCredentialIdLength],
    ['Large-blob storage (bytes)', r.maxSerializedLargeBlobArray],
    ['credBlob length', r.maxCredBlobLength],
    ['Sites for minimum PIN length', r.maxRpIdsForSetMinPinLength],
    ['Maximum PIN length (bytes)', r.maxPinLength],
  ];
  for (const [label, value] of limits) if (value !== null) out.push(`  ${label.padEnd(30)}${value}`);
  const unknown = Object.keys(r.unknownFields);
  if (unknown.length > 0) out.push('', `Other fields (see --json): ${unknown.join(', ')}`);
  return out;
}
