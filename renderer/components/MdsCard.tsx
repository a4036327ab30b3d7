/**
 * Diagnostics' FIDO Metadata Service card: whether the app has a BLOB to judge keys by this
 * session (its number, next update, how many models), Load and Forget. Load opens the shell's
 * Open dialogs and main reads the files; without a shell (a browser) the card shows its own two
 * file fields and sends their text. Main verifies the BLOB through the root either way.
 * @module
 */
import { Button, makeStyles, MessageBar, MessageBarBody, Spinner, Text, tokens } from '@fluentui/react-components';
import { DeleteRegular, DocumentRegular } from '@fluentui/react-icons';
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { MdsStatus, Result, ServiceError } from '../../main/ipc/contract.js';
import { Section } from '../app/layout.js';
import { skm } from '../app/skm.js';
import { t } from '../app/words.js';
import { ErrorBar } from './ErrorBar.js';

/** The contract's limits (contract.ts MAX_MDS_*): a larger file is refused before it is read. */
const MAX_BLOB_BYTES = 32 * 1024 * 1024;
const MAX_ROOT_BYTES = 256 * 1024;

const useStyles = makeStyles({
  intro: { display: 'block', marginBottom: '12px', color: tokens.colorNeutralForeground2 },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '24px', rowGap: '8px', margin: '0 0 12px', padding: '16px', backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0 },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'center', marginBottom: '12px' },
  fields: { display: 'flex', flexDirection: 'column', gap: '8px', marginBottom: '12px' },
  field: { display: 'flex', flexDirection: 'column', gap: '4px' },
  bar: { marginBottom: '12px' },
});

export function MdsCard(): ReactNode {
  const styles = useStyles();
  const ids = { blob: useId(), root: useId() };
  const [status, setStatus] = useState<MdsStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ServiceError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  /** No shell dialogs here: the card's own file fields are shown. */
  const [fallback, setFallback] = useState(false);
  const [files, setFiles] = useState<{ blob?: File; root?: File }>({});

  useEffect(() => {
    let current = true;
    void skm()
      .mdsStatus({})
      .then((result) => {
        if (current && result.ok) setStatus(result.value);
      });
    return () => {
      current = false;
    };
  }, []);

  const settle = async (work: () => Promise<Result<MdsStatus | null>>): Promise<void> => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const result = await work();
      if (result.ok) {
        if (result.value) setStatus(result.value);
      } else if (result.error.code === 'UNSUPPORTED') {
        setFallback(true);
      } else {
        setError(result.error);
      }
    } finally {
      setBusy(false);
    }
  };

  const loadFiles = async (): Promise<void> => {
    const { blob, root } = files;
    if (!blob || !root) {
      setNote(t('metadata.pickBoth'));
      return;
    }
    for (const [file, limit] of [[blob, MAX_BLOB_BYTES], [root, MAX_ROOT_BYTES]] as const) {
      if (file.size > limit) {
        setError({ code: 'FILE_ACCESS', facts: { reason: 'mds-too-large', path: file.name } });
        return;
      }
    }
    await settle(async () => skm().loadMds({ blob: await blob.text(), root: await root.text() }));
  };

  const forget = async (): Promise<void> => {
    const result = await skm().forgetMds({});
    if (!result.ok) return setError(result.error);
    setStatus(null);
    setError(null);
    setNote(t('metadata.forgotten'));
  };

  const picked = (which: 'blob' | 'root') => (event: { target: HTMLInputElement }) => {
    const file = event.target.files?.[0];
    setFiles((was) => ({ ...was, [which]: file }));
  };

  return (
    <Section title={t('metadata.heading')} id="section-metadata">
      <Text className={styles.intro}>{t('metadata.intro')}</Text>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      <div role="status">
        {note ? (
          <MessageBar intent="info" className={styles.bar}>
            <MessageBarBody>{note}</MessageBarBody>
          </MessageBar>
        ) : null}
        {status?.stale ? (
          <MessageBar intent="warning" className={styles.bar}>
            <MessageBarBody>{t('metadata.stale', { nextUpdate: status.nextUpdate })}</MessageBarBody>
          </MessageBar>
        ) : null}
        <Text as="p" weight="semibold">
          {status ? t('metadata.loaded') : t('metadata.none')}
        </Text>
      </div>
      {status ? (
        <dl className={styles.facts} aria-label={t('metadata.facts')}>
          {(
            [
              ['number', String(status.number)],
              ['nextUpdate', status.nextUpdate],
              ['entries', String(status.entries)],
            ] as const
          ).map(([key, value]) => [
            <dt key={`${key}-t`} className={styles.term}>
              {t(`metadata.${key}`)}
            </dt>,
            <dd key={`${key}-d`} className={styles.value}>
              {value}
            </dd>,
          ])}
        </dl>
      ) : null}
      {fallback ? (
        <div className={styles.fields}>
          <div className={styles.field}>
            <label htmlFor={ids.blob}>{t('metadata.blobFile')}</label>
            <input id={ids.blob} type="file" accept=".jwt,application/jwt,text/plain" onChange={picked('blob')} disabled={busy} />
          </div>
          <div className={styles.field}>
            <label htmlFor={ids.root}>{t('metadata.rootFile')}</label>
            <input id={ids.root} type="file" accept=".pem,.crt,.cer,application/x-pem-file" onChange={picked('root')} disabled={busy} />
          </div>
        </div>
      ) : null}
      <div className={styles.actions}>
        {fallback ? (
          <Button appearance="primary" icon={<DocumentRegular />} disabledFocusable={busy} onClick={() => void loadFiles()}>
            {t('metadata.use')}
          </Button>
        ) : (
          <Button icon={<DocumentRegular />} disabledFocusable={busy} onClick={() => void settle(() => skm().openMdsFiles({}))}>
            {t('metadata.load')}
          </Button>
        )}
        {status ? (
          <Button icon={<DeleteRegular />} disabledFocusable={busy} onClick={() => void forget()}>
            {t('metadata.forget')}
          </Button>
        ) : null}
        {busy ? <Spinner size="tiny" label={t('metadata.loading')} /> : null}
      </div>
    </Section>
  );
}
