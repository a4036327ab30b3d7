/**
 * Details: what the key says about itself (authenticatorGetInfo, CTAP 2.1 §6.4) — model, vendor,
 * firmware as a version, AAGUID (copy), connections and algorithms up top, then every field in
 * words beside its raw value, every option with its meaning, and the whole report as JSON. Keys
 * with large blobs show the storage used of its total; developers get the getInfo map as the key
 * sent it, in CBOR diagnostic notation (made in main by cbor2), to read and copy.
 * @module
 */
import { Button, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular, CopyRegular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import { Section } from '../app/layout.js';
import { MdsFacts } from '../components/MdsFacts.js';
import { numberText, t, tMaybe } from '../app/words.js';
import type { KeyInfo, KeyViewProps } from './KeyPage.js';

const useStyles = makeStyles({
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '24px', rowGap: '8px', padding: '16px', backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  term: { color: tokens.colorNeutralForeground2 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  cbor: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    margin: 0,
    padding: '12px 16px',
    maxHeight: '360px',
    overflow: 'auto',
    whiteSpace: 'pre',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  intro: { display: 'block', marginBottom: '8px', color: tokens.colorNeutralForeground2 },
  row: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  actions: { display: 'flex', gap: '8px', marginTop: '12px' },
});

/** COSE algorithm identifiers (IANA) a security key may list. */
const COSE_NAMES: Record<number, string> = { [-7]: 'ES256', [-8]: 'EdDSA', [-35]: 'ES384', [-36]: 'ES512', [-47]: 'ES256K', [-257]: 'RS256', [-65535]: 'RS1' };

/** Vendors pack versions as bytes (0x050403 → 5.4.3); small numbers stay as they are. */
export function firmwareText(version: number | null): string {
  if (version === null) return t('details.notReported');
  if (version < 0x10000) return String(version);
  const parts = [(version >> 16) & 0xff, (version >> 8) & 0xff, version & 0xff];
  return `${parts.join('.')} (${version})`;
}

function inWords(key: keyof KeyInfo, value: unknown): string {
  if (value === null || value === undefined) return t('details.notReported');
  if (typeof value === 'boolean') return value ? t('details.yes') : t('details.no');
  if (key === 'firmwareVersion') return firmwareText(value as number);
  if (key === 'transports' || key === 'transportsForReset') return (value as string[]).map((name) => tMaybe(`transports.${name}`) ?? name).join(', ') || t('details.none');
  if (key === 'algorithms') return (value as { alg: number }[]).map((a) => COSE_NAMES[a.alg] ?? String(a.alg)).join(', ') || t('details.none');
  if (Array.isArray(value)) return value.length ? value.map(String).join(', ') : t('details.none');
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? entries.map(([k, v]) => `${k}: ${String(v)}`).join(', ') : t('details.none');
  }
  if (typeof value === 'number') return numberText(value);
  return String(value);
}

/** Fields shown in the facts block or the options table, not again among "every field". */
const NOT_IN_TABLE = new Set(['id', 'name', 'transport', 'model', 'vendor', 'options', 'getInfoDiagnostic', 'largeBlobStorage']);

function storageText(storage: KeyInfo['largeBlobStorage']): string {
  if (!storage) return t('details.storageUnknown');
  const figures = { used: numberText(storage.used), max: numberText(storage.max) };
  return storage.state === 'valid' ? t('details.storageUsed', figures) : t('details.storageCorrupt', figures);
}

export function DetailsView({ info }: KeyViewProps): ReactNode {
  const styles = useStyles();
  const [copied, setCopied] = useState<'aaguid' | 'cbor' | null>(null);
  const copyText = async (what: 'aaguid' | 'cbor', text: string): Promise<void> => {
    // "Copied." only when the clipboard took it.
    await navigator.clipboard.writeText(text).then(
      () => setCopied(what),
      () => setCopied(null),
    );
  };
  const largeBlobs = info.options.largeBlobs === true;
  const exportJson = (): void => {
    const blob = new Blob([JSON.stringify(info, null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `security-key-${info.aaguid}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  const fields = (Object.keys(info) as (keyof KeyInfo)[]).filter((key) => !NOT_IN_TABLE.has(key));

  return (
    <>
      <Section title={t('details.heading')} id="section-details">
        <dl className={styles.facts}>
          <dt className={styles.term}>{t('details.model')}</dt>
          <dd style={{ margin: 0 }}>{info.model ?? t('device.unknownModel')}</dd>
          <dt className={styles.term}>{t('details.vendor')}</dt>
          <dd style={{ margin: 0 }}>{info.vendor ?? t('device.unknownVendor')}</dd>
          <dt className={styles.term}>{t('details.firmware')}</dt>
          <dd style={{ margin: 0 }}>{firmwareText(info.firmwareVersion)}</dd>
          <dt className={styles.term}>{t('details.aaguid')}</dt>
          <dd style={{ margin: 0 }} className={styles.row}>
            <span className={styles.mono}>{info.aaguid}</span>
            <Button size="small" icon={<CopyRegular />} onClick={() => void copyText('aaguid', info.aaguid)}>
              {t('details.copy')}
            </Button>
            <span role="status">{copied === 'aaguid' ? t('details.copied') : ''}</span>
          </dd>
          <dt className={styles.term}>{t('details.transports')}</dt>
          <dd style={{ margin: 0 }}>{inWords('transports', info.transports)}</dd>
          <dt className={styles.term}>{t('details.algorithms')}</dt>
          <dd style={{ margin: 0 }}>{inWords('algorithms', info.algorithms)}</dd>
          <dt className={styles.term}>{t('details.versions')}</dt>
          <dd style={{ margin: 0 }}>{inWords('versions', info.versions)}</dd>
          {largeBlobs ? (
            <>
              <dt className={styles.term}>{t('details.largeBlobStorage')}</dt>
              <dd style={{ margin: 0 }}>{storageText(info.largeBlobStorage)}</dd>
            </>
          ) : null}
        </dl>
        <div className={styles.actions}>
          <Button icon={<ArrowDownloadRegular />} onClick={exportJson}>
            {t('details.exportJson')}
          </Button>
        </div>
      </Section>
      <MdsFacts mds={info.mds} />
      <Section title={t('details.optionsHeading')} id="section-options">
        <Table size="small" className={styles.table} aria-labelledby="section-options">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('details.option')}</TableHeaderCell>
              <TableHeaderCell>{t('details.meaning')}</TableHeaderCell>
              <TableHeaderCell>{t('details.raw')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {Object.entries(info.options).map(([option, on]) => (
              <TableRow key={option}>
                <TableCell className={styles.mono}>{option}</TableCell>
                <TableCell>{tMaybe(`details.options.${option}.${on ? 'yes' : 'no'}`) ?? t(`details.options.unknown.${on ? 'yes' : 'no'}`)}</TableCell>
                <TableCell className={styles.mono}>{String(on)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Section>
      <Section title={t('details.allFields')} id="section-fields">
        <Table size="small" className={styles.table} aria-labelledby="section-fields">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('details.field')}</TableHeaderCell>
              <TableHeaderCell>{t('details.meaning')}</TableHeaderCell>
              <TableHeaderCell>{t('details.raw')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {fields.map((key) => (
              <TableRow key={key}>
                <TableCell>
                  {tMaybe(`details.fields.${key}`) ?? key}
                  <Text size={100} className={styles.mono} style={{ display: 'block' }}>
                    {key}
                  </Text>
                </TableCell>
                <TableCell>{inWords(key, info[key])}</TableCell>
                <TableCell className={styles.mono}>{JSON.stringify(info[key])}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Section>
      <Section title={t('details.cborHeading')} id="section-cbor">
        <Text className={styles.intro}>{t('details.cborIntro')}</Text>
        {info.getInfoDiagnostic !== null ? (
          <>
            {/* Focusable so the block scrolls from the keyboard too. */}
            <pre className={styles.cbor} tabIndex={0} role="region" aria-label={t('details.cborLabel')}>
              {info.getInfoDiagnostic}
            </pre>
            <div className={styles.actions}>
              <Button icon={<CopyRegular />} onClick={() => void copyText('cbor', info.getInfoDiagnostic ?? '')}>
                {t('details.copyCbor')}
              </Button>
              <span role="status">{copied === 'cbor' ? t('details.copied') : ''}</span>
            </div>
          </>
        ) : (
          <Text>{t('details.cborUnavailable')}</Text>
        )}
      </Section>
    </>
  );
}
