/**
 * Security Key Fingerprint (bio keys only): Set up / Add another, and the enrolled fingerprints
 * with Rename and Remove once shown (listing needs the PIN).
 * @module
 */
import { Button, Input, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import type { OperationOutputs, ServiceError } from '../../main/ipc/contract.js';
import { SettingCard } from '../app/layout.js';
import { useOperations } from '../app/operations.js';
import { t } from '../app/words.js';
import type { KeyViewProps } from './KeyPage.js';
import type { Notice } from './ManageView.js';

type Fingerprint = OperationOutputs['fingerprints.list'][number];

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: { display: 'flex', alignItems: 'center', gap: '8px', padding: '8px 0', borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
  name: { flexGrow: 1 },
});

export interface FingerprintsCardProps extends KeyViewProps {
  icon: ReactNode;
  onError(error: ServiceError | null): void;
  onNotice(notice: Notice): void;
}

export function FingerprintsCard({ deviceId, info, reload, icon, onError, onNotice }: FingerprintsCardProps): ReactNode {
  const styles = useStyles();
  const { run, busy } = useOperations();
  const [list, setList] = useState<Fingerprint[] | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const bio = info.options.bioEnroll ?? info.options.userVerificationMgmtPreview;
  if (bio === undefined) return null;
  const pinSet = info.options.clientPin === true;

  const after = async <T,>(result: { ok: true; value: T } | { ok: false; error: ServiceError }, text: string): Promise<void> => {
    if (result.ok) onNotice({ text });
    else onError(result.error);
    await reload();
  };
  const refreshList = async (): Promise<void> => {
    const result = await run('fingerprints.list', {}, deviceId);
    if (result.ok) setList(result.value);
    else onError(result.error);
  };
  const start = (): void => {
    onError(null);
    onNotice(null);
  };
  // A shown list follows each change from the change's own result: reading it again would ask
  // for the PIN a second time.
  const enroll = async (): Promise<void> => {
    start();
    const result = await run('fingerprints.enroll', {}, deviceId);
    if (result.ok) setList((shown) => (shown ? [...shown, result.value] : shown));
    await after(result, t('manage.fingerprintAdded'));
  };
  const remove = async (fingerprint: Fingerprint): Promise<void> => {
    start();
    const result = await run('fingerprints.remove', { templateId: fingerprint.templateId }, deviceId);
    if (result.ok) setList((shown) => shown?.filter((f) => f.templateId !== fingerprint.templateId) ?? shown);
    await after(result, t('manage.fingerprintRemoved'));
  };
  const rename = async (fingerprint: Fingerprint): Promise<void> => {
    start();
    setRenaming(null);
    const result = await run('fingerprints.rename', { templateId: fingerprint.templateId, name: newName.trim() }, deviceId);
    if (result.ok) setList((shown) => shown?.map((f) => (f.templateId === fingerprint.templateId ? result.value : f)) ?? shown);
    await after(result, t('manage.fingerprintRenamed'));
  };

  const nameOf = (f: Fingerprint): string => f.name ?? t('manage.unnamedFingerprint');
  return (
      <SettingCard
        headingLevel="h2"
        icon={icon}
        title={t('manage.fingerprintTitle')}
        description={!pinSet ? t('manage.fingerprintNeedsPin') : bio ? t('manage.fingerprintSome') : t('manage.fingerprintNone')}
        actions={
          <>
            {bio ? (
              <Button disabled={busy || !pinSet} onClick={() => void refreshList()}>
                {t('manage.showFingerprints')}
              </Button>
            ) : null}
            <Button disabled={busy || !pinSet} onClick={() => void enroll()}>
              {bio ? t('manage.addAnother') : t('manage.setUp')}
            </Button>
          </>
        }
      >
        {list && list.length > 0 ? (
          <ul className={styles.list} aria-label={t('manage.fingerprintList')}>
            {list.map((fingerprint) => (
              <li key={fingerprint.templateId} className={styles.item}>
                {renaming === fingerprint.templateId ? (
                  <form
                    className={styles.name}
                    style={{ display: 'flex', gap: 8 }}
                    onSubmit={(event) => {
                      event.preventDefault();
                      if (newName.trim()) void rename(fingerprint);
                    }}
                  >
                    <Input aria-label={t('manage.newName')} value={newName} autoFocus maxLength={64} onChange={(_e, data) => setNewName(data.value)} />
                    <Button type="submit" appearance="primary" disabled={busy || !newName.trim()}>
                      {t('manage.save')}
                    </Button>
                    <Button onClick={() => setRenaming(null)}>{t('passkeys.cancel')}</Button>
                  </form>
                ) : (
                  <>
                    <Text className={styles.name}>{nameOf(fingerprint)}</Text>
                    <Button
                      disabledFocusable={busy}
                      aria-label={t('manage.renameLabel', { name: nameOf(fingerprint) })}
                      onClick={() => {
                        setNewName(fingerprint.name ?? '');
                        setRenaming(fingerprint.templateId);
                      }}
                    >
                      {t('manage.rename')}
                    </Button>
                    <Button disabledFocusable={busy} aria-label={t('manage.removeLabel', { name: nameOf(fingerprint) })} onClick={() => void remove(fingerprint)}>
                      {t('manage.remove')}
                    </Button>
                  </>
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </SettingCard>
  );
}
