/**
 * `skm info` — every getInfo field of one key (CTAP 2.1 §6.4) in plain words, or as JSON. A key
 * that speaks only U2F has no getInfo: it is described from what discovery knows instead of
 * failing (it is a security key, just an older kind).
 * @module
 */
import { Option } from 'commander';
import type { CliServices, CommandModule } from '../context.js';
import { loadMds } from '../mds-options.js';
import { labelled } from '../terminal-text.js';
import type { Result } from '../../service/key-service.js';
import type { AttestationReport } from '../../service/operations/attest.js';
import type { DeviceSummary, KeyInfoReport } from '../../service/operations/info.js';
import { hex } from '../../../ctap/bytes.js';
import type { MdsModelFacts } from '../../service/provisioning/mds-index.js';

interface InfoOptions {
  mds?: string;
  mdsRoot?: string;
  attest?: boolean;
}

/** `info --attest`: the report with the attestation verdict beside it. */
type AttestedInfo = KeyInfoReport & { attestation: AttestationReport };

/** What `info --json` prints for a key that speaks only U2F (CTAP1): same vocabulary as getInfo. */
export interface U2fOnlyReport {
  id: string;
  transport: string;
  name: string;
  model: string | null;
  vendor: string | null;
  fido2: false;
  versions: ['U2F_V2'];
  pinSupported: false;
}

export const infoCommand: CommandModule = {
  register(program, services) {
    program
      .command('info')
      .addOption(new Option('--mds <file>'))
      .addOption(new Option('--mds-root <file>'))
      .addOption(new Option('--attest'))
      .action((options: InfoOptions) =>
        services.run(
          () => keyInfoOrU2f(services, options),
          (report) => ('fido2' in report ? { json: report, human: () => humanU2f(report, services) } : { json: report, human: () => humanInfo(report, services) }),
        ),
      );
  },
};

async function keyInfoOrU2f(services: CliServices, options: InfoOptions): Promise<Result<KeyInfoReport | AttestedInfo | U2fOnlyReport>> {
  const service = services.service();
  service.useMds(await loadMds(options));
  const result = await service.run('info', {}, services.runOptions());
  if (result.ok && options.attest) {
    // The same key: the one info just described.
    const attested = await service.run('attest', {}, { ...services.runOptions(), deviceId: result.value.id });
    return attested.ok ? { ok: true, value: { ...result.value, attestation: attested.value } } : attested;
  }
  if (result.ok || result.error.code !== 'NOT_FIDO2') return result;
  const listed = await service.listDevices({ signal: services.signal });
  const device = listed.ok ? listed.value.find((d) => d.id === result.error.facts.deviceId) : undefined;
  return device ? { ok: true, value: u2fReport(device) } : result;
}

function u2fReport(d: DeviceSummary): U2fOnlyReport {
  return { id: d.id, transport: d.transport, name: d.name, model: d.model, vendor: d.vendor, fido2: false, versions: ['U2F_V2'], pinSupported: false };
}

function humanU2f(r: U2fOnlyReport, services: CliServices): string[] {
  const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.info.${key}`, facts);
  return labelled([
    [t('labels.key'), r.name],
    ['ID', r.id],
    [t('labels.kind'), t('u2fOnly')],
    [t('labels.model'), r.model ?? t('unknown')],
    [t('labels.pin'), t('pinNotSupported')],
  ]);
}

/** COSE algorithm names (IANA COSE registry) for the common ones. */
const algorithmNames: Readonly<Record<number, string>> = { [-7]: 'ES256', [-8]: 'EdDSA', [-35]: 'ES384', [-36]: 'ES512', [-257]: 'RS256', [-47]: 'ES256K' };

/**
 * §6.4 firmwareVersion is vendor-defined; most vendors pack major.minor.patch into the low three
 * bytes (YubiKey 5.7.0 = 0x050700), so a number of three bytes is shown as that version.
 */
export function firmwareText(version: number, services: CliServices): string {
  const raw = hex(version, 6);
  if (version >= 0x10000 && version <= 0xffffff) {
    return services.t('cli.info.firmwareVersion', { version: `${version >> 16}.${(version >> 8) & 0xff}.${version & 0xff}`, hex: raw });
  }
  return services.t('cli.info.firmwareNumber', { number: version, hex: raw });
}

/** What the FIDO Metadata Service says of the model (`--mds`), as labelled lines. */
function humanMds(mds: MdsModelFacts, services: CliServices): string[] {
  const t = (key: string, facts?: Record<string, unknown>): string => services.t(`attestation.mds.${key}`, facts);
  if (!mds.listed) return ['', `${t('heading')}:`, `  ${t('notListed')}`];
  const rows: [string, string][] = [
    [t('description'), mds.description ?? services.t('cli.info.notReported')],
    [t('certification'), mds.certification ?? services.t('cli.info.notReported')],
    [t('status'), mds.status ?? services.t('cli.info.notReported')],
    [t('icon'), t(mds.hasIcon ? 'hasIcon' : 'noIcon')],
    [t('blob'), String(mds.blobNumber)],
  ];
  const out = ['', `${t('heading')}:`, ...labelled(rows).map((line) => `  ${line}`)];
  if (mds.unfit) out.push(`  ${t('unfit', { status: mds.unfit })}`);
  return out;
}

function humanInfo(r: KeyInfoReport | AttestedInfo, services: CliServices): string[] {
  const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.info.${key}`, facts);
  const yesNo = (b: boolean): string => services.t(b ? 'words.yes' : 'words.no');
  const list = (items: readonly (string | number)[] | null): string => (items && items.length > 0 ? items.join(', ') : services.t('words.none'));
  const pin = (): string => {
    if (r.options.clientPin === undefined) return t('pinNotSupported');
    if (!r.options.clientPin) return t('pinNotSet');
    // A key that answered getPINRetries out of range: the report says so instead of failing.
    if (r.unreadableFields.includes('pinRetries')) return t('pinSetRetriesUnknown');
    return r.pinRetries === null ? t('pinSet') : `${t('pinSet')}, ${services.t('pin.triesLeft', { count: r.pinRetries })}`;
  };
  const rows: [string, string][] = [
    [t('labels.key'), r.name],
    ['ID', r.id],
    [t('labels.model'), r.model ?? t('unknown')],
    [t('labels.vendor'), r.vendor ?? t('unknown')],
    [t('labels.aaguid'), r.aaguid],
    [t('labels.versions'), list(r.versions)],
    [t('labels.firmware'), r.firmwareVersion === null ? t('notReported') : firmwareText(r.firmwareVersion, services)],
    [t('labels.pin'), pin()],
    [t('labels.minPinLength'), t('characters', { count: r.minPinLength })],
    [t('labels.forcePinChange'), yesNo(r.forcePinChange)],
    [t('labels.pinProtocols'), list(r.pinUvAuthProtocols)],
    [t('labels.slotsLeft'), r.remainingDiscoverableCredentials === null ? t('notReported') : String(r.remainingDiscoverableCredentials)],
    [t('labels.extensions'), list(r.extensions)],
    [t('labels.transports'), list(r.transports)],
    [t('labels.algorithms'), r.algorithms ? list(r.algorithms.map((a) => `${algorithmNames[a.alg] ?? a.alg}`)) : t('notReported')],
    [t('labels.resetOver'), r.transportsForReset ? list(r.transportsForReset) : t('everyConnection')],
    [t('labels.longTouch'), yesNo(r.longTouchForReset)],
  ];
  if (r.uvRetries !== null) rows.push([t('labels.uvRetries'), String(r.uvRetries)]);
  const storage = r.largeBlobStorage;
  if (storage) rows.push([t('labels.largeBlobStorage'), t(storage.state === 'valid' ? 'storageUsed' : 'storageCorrupt', { used: storage.used, max: storage.max })]);
  else if (r.unreadableFields.includes('largeBlobStorage')) rows.push([t('labels.largeBlobStorage'), t('storageUnreadable')]);
  const out = labelled(rows);
  out.push('', t('options'));
  for (const [name, value] of Object.entries(r.options)) {
    const key = `cli.info.optionMeanings.${name}.${value ? 'yes' : 'no'}`;
    const meaning = services.copy.has(key) ? services.t(key) : '';
    out.push(`  ${name.padEnd(30)}${yesNo(value).padEnd(5)}${meaning}`.trimEnd());
  }
  out.push('', t('limits'));
  const limits: [string, number | null][] = [
    [t('limitLabels.maxMsgSize'), r.maxMsgSize],
    [t('limitLabels.maxCredentialCountInList'), r.maxCredentialCountInList],
    [t('limitLabels.maxCredentialIdLength'), r.maxCredentialIdLength],
    [t('limitLabels.maxSerializedLargeBlobArray'), r.maxSerializedLargeBlobArray],
    [t('limitLabels.maxCredBlobLength'), r.maxCredBlobLength],
    [t('limitLabels.maxRpIdsForSetMinPinLength'), r.maxRpIdsForSetMinPinLength],
    [t('limitLabels.maxPinLength'), r.maxPinLength],
  ];
  for (const [label, value] of limits) if (value !== null) out.push(`  ${label.padEnd(30)}${value}`);
  const unknown = Object.keys(r.unknownFields);
  if (unknown.length > 0) out.push('', t('otherFields', { fields: unknown.join(', ') }));
  if (r.mds) out.push(...humanMds(r.mds, services));
  if ('attestation' in r) out.push('', `${t('attestation')} ${services.t(`attestation.verdicts.${r.attestation.verdict}`, { status: r.attestation.status ?? '' })}`);
  // A practice key is where people start (`npm start`): say what to try on it next.
  if (r.transport === 'virtual') out.push('', t('tryNext'));
  return out;
}
