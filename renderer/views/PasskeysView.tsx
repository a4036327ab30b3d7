/**
 * Passkeys: the key's discoverable credentials grouped by website, searchable; delete (the key's
 * flow confirms, naming site and account, and offers to delete the passkey's large blob too) and
 * edit the account name on CTAP 2.1 keys. On keys with large blobs each passkey that holds data
 * has a badge, a view of the data and its own delete; orphaned data can be removed. A key that
 * cannot list passkeys says so, never shows an empty list. The PIN is asked once: main keeps the
 * key unlocked while its pages are open.
 * @module
 */
import { Button, Field, Input, makeStyles, MessageBar, MessageBarBody, SearchBox, Text, tokens } from '@fluentui/react-components';
import { GlobeRegular, KeyMultipleRegular } from '@fluentui/react-icons';
import { useMemo, useState, type ReactNode } from 'react';
import type { OperationOutputs, ServiceError } from '../../main/ipc/contract.js';
import { Section, SettingCard } from '../app/layout.js';
import { useOperations } from '../app/operations.js';
import { copy, numberText, t } from '../app/words.js';
import { ErrorBar } from '../components/ErrorBar.js';
import type { KeyViewProps } from './KeyPage.js';
import { SuccessBar, type Notice } from './ManageView.js';
import { BlobBadge, BlobPanel, blobOf, bytesText, OrphansCard, type BlobList } from './PasskeyBlobs.js';

type PasskeyList = OperationOutputs['passkeys.list'];
type Passkey = PasskeyList['passkeys'][number];

const useStyles = makeStyles({
  toolbar: { display: 'flex', gap: '8px', alignItems: 'end', marginBottom: '12px', flexWrap: 'wrap' },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: { display: 'flex', alignItems: 'center', gap: '8px', padding: '8px 0', borderTop: `1px solid ${tokens.colorNeutralStroke2}`, flexWrap: 'wrap' },
  who: { display: 'flex', flexDirection: 'column', flexGrow: 1, minWidth: 0 },
  secondary: { color: tokens.colorNeutralForeground2 },
  edit: { display: 'flex', gap: '8px', alignItems: 'end', flexGrow: 1, flexWrap: 'wrap' },
});

/** Why this key cannot list passkeys, in the catalogue's words, or null when it can. */
function cannotList(info: KeyViewProps['info']): string | null {
  if (info.options.credMgmt !== undefined || info.options.credentialMgmtPreview !== undefined) return null;
  const ctap21 = info.versions.some((v) => v.startsWith('FIDO_2_1'));
  return copy.feature(ctap21 ? 'credential-management' : 'credential-management-ctap20');
}

function matches(passkey: Passkey, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [passkey.rpId, passkey.rpName, passkey.userName, passkey.userDisplayName].some((text) => text?.toLowerCase().includes(q));
}

export function PasskeysView({ deviceId, info }: KeyViewProps): ReactNode {
  const styles = useStyles();
  const { run, busy } = useOperations();
  const [list, setList] = useState<PasskeyList | null>(null);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<ServiceError | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [editName, setEditName] = useState('');
  const [editDisplay, setEditDisplay] = useState('');
  const [blobs, setBlobs] = useState<BlobList | null>(null);
  const [blobError, setBlobError] = useState<ServiceError | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const blobsSupported = info.options.largeBlobs === true;
  const canRename = info.options.credMgmt !== undefined;
  const reason = cannotList(info);

  const groups = useMemo(() => {
    const bySite = new Map<string, Passkey[]>();
    for (const passkey of list?.passkeys ?? []) {
      if (!matches(passkey, query)) continue;
      bySite.set(passkey.rpId, [...(bySite.get(passkey.rpId) ?? []), passkey]);
    }
    return [...bySite].sort(([a], [b]) => a.localeCompare(b));
  }, [list, query]);

  if (reason) {
    return (
      <MessageBar intent="info">
        <MessageBarBody>{reason}</MessageBarBody>
      </MessageBar>
    );
  }

  // Which passkey holds which blob: a second read with the same unlocked key (no second PIN).
  const loadBlobs = async (): Promise<void> => {
    if (!blobsSupported) return;
    setBlobError(null);
    const result = await run('blobs.list', {}, deviceId);
    if (result.ok) setBlobs(result.value);
    else setBlobError(result.error);
  };
  const load = async (): Promise<void> => {
    setError(null);
    setNotice(null);
    const result = await run('passkeys.list', {}, deviceId);
    if (!result.ok) return setError(result.error);
    setList(result.value);
    await loadBlobs();
  };
  const account = (p: { userName: string | null }): string => p.userName ?? t('passkeys.noAccount');
  const remove = async (passkey: Passkey): Promise<void> => {
    setError(null);
    setNotice(null);
    const result = await run('passkeys.delete', { credentialId: passkey.credentialId }, deviceId);
    if (!result.ok) return setError(result.error);
    const names = { rpId: passkey.rpId, account: account(passkey) };
    const blob = result.value.blob?.outcome;
    setNotice({ text: blob === 'deleted' ? t('passkeys.deletedWithBlob', names) : blob === 'kept' ? t('passkeys.deletedBlobKept', names) : t('passkeys.deleted', names) });
    setList((old) => old && { ...old, stored: old.stored - 1, remaining: old.remaining + 1, passkeys: old.passkeys.filter((p) => p.credentialId !== passkey.credentialId) });
    if (blob !== undefined && blob !== 'none') await loadBlobs();
  };
  const removeBlob = async (passkey: Passkey): Promise<void> => {
    setError(null);
    setNotice(null);
    const result = await run('blobs.delete', { credentialId: passkey.credentialId }, deviceId);
    if (!result.ok) return setError(result.error);
    setViewing(null);
    setNotice({ text: t('passkeys.blobDeleted', { rpId: passkey.rpId, account: account(passkey), bytes: bytesText(result.value.deleted.size) }) });
    await loadBlobs();
  };
  // Orphaned entries, or storage that fails its integrity check (emptied after the key's question).
  const prune = async (): Promise<void> => {
    setError(null);
    setNotice(null);
    const result = await run('blobs.prune', {}, deviceId);
    if (!result.ok) return setError(result.error);
    setNotice({ text: result.value.cleared ? t('passkeys.cleared') : t('passkeys.pruned', { bytes: bytesText(result.value.freedBytes) }) });
    await loadBlobs();
  };
  const save = async (passkey: Passkey): Promise<void> => {
    setError(null);
    setNotice(null);
    setEditing(null);
    const input = {
      credentialId: passkey.credentialId,
      ...(editName.trim() ? { name: editName.trim() } : {}),
      ...(editDisplay.trim() ? { displayName: editDisplay.trim() } : {}),
    };
    const result = await run('passkeys.updateUser', input, deviceId);
    if (!result.ok) return setError(result.error);
    setNotice({ text: t('passkeys.updated') });
    const updated = result.value.updated;
    setList((old) => old && { ...old, passkeys: old.passkeys.map((p) => (p.credentialId === updated.credentialId ? updated : p)) });
  };

  return (
    <>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {blobError ? (
        <ErrorBar
          error={blobError}
          onDismiss={() => setBlobError(null)}
          action={blobError.facts.reason === 'blob-storage-unreadable' ? { label: t('passkeys.emptyStorage'), run: () => void prune() } : undefined}
        />
      ) : null}
      <SuccessBar notice={notice} />
      <Section title={t('passkeys.heading')} id="section-passkeys">
        <div className={styles.toolbar}>
          <Button appearance={list ? 'secondary' : 'primary'} icon={<KeyMultipleRegular />} disabledFocusable={busy} onClick={() => void load()}>
            {list ? t('passkeys.refresh') : t('passkeys.show')}
          </Button>
          {list ? (
            <Field label={t('passkeys.search')}>
              <SearchBox value={query} placeholder={t('passkeys.searchPlaceholder')} onChange={(_e, data) => setQuery(data.value)} />
            </Field>
          ) : null}
        </div>
        {!list ? <Text className={styles.secondary}>{t('passkeys.intro')}</Text> : null}
        {list ? (
          <Text className={styles.secondary} role="status">
            {t('passkeys.counted', { count: list.stored })}. {t('passkeys.slots', { remaining: list.remaining })}
            {!canRename ? ` ${t('passkeys.renameUnsupported')}` : ''}
            {blobs ? ` ${t('passkeys.storage', { used: numberText(blobs.storage.used), max: numberText(blobs.storage.max) })}` : ''}
          </Text>
        ) : null}
        {list && blobs ? <OrphansCard orphans={blobs.orphans} busy={busy} onPrune={() => void prune()} /> : null}
        {list && list.passkeys.length === 0 ? <Text>{t('passkeys.none')}</Text> : null}
        {list && list.passkeys.length > 0 && groups.length === 0 ? <Text>{t('passkeys.noMatch', { query })}</Text> : null}
        {groups.map(([rpId, passkeys]) => (
          <SettingCard key={rpId} icon={<GlobeRegular />} title={rpId} description={t('passkeys.counted', { count: passkeys.length })}>
            <ul className={styles.list} aria-label={rpId}>
              {passkeys.map((passkey) => {
                const blob = blobOf(blobs, passkey.credentialId);
                const panelId = `blob-${passkey.credentialId}`;
                return (
                  <li key={passkey.credentialId} className={styles.item}>
                    {editing === passkey.credentialId ? (
                      <form
                        className={styles.edit}
                        onSubmit={(event) => {
                          event.preventDefault();
                          void save(passkey);
                        }}
                      >
                        <Field label={t('passkeys.account')}>
                          <Input value={editName} autoFocus maxLength={256} onChange={(_e, data) => setEditName(data.value)} />
                        </Field>
                        <Field label={t('passkeys.displayName')}>
                          <Input value={editDisplay} maxLength={256} onChange={(_e, data) => setEditDisplay(data.value)} />
                        </Field>
                        <Button type="submit" appearance="primary" disabled={busy || (!editName.trim() && !editDisplay.trim())}>
                          {t('passkeys.save')}
                        </Button>
                        <Button onClick={() => setEditing(null)}>{t('passkeys.cancel')}</Button>
                      </form>
                    ) : (
                      <>
                        <div className={styles.who}>
                          <Text>{account(passkey)}</Text>
                          {passkey.userDisplayName ? (
                            <Text size={200} className={styles.secondary}>
                              {passkey.userDisplayName}
                            </Text>
                          ) : null}
                        </div>
                        {blob ? <BlobBadge blob={blob} /> : null}
                        {blob ? (
                          <Button
                            aria-expanded={viewing === passkey.credentialId}
                            aria-controls={viewing === passkey.credentialId ? panelId : undefined}
                            aria-label={t(viewing === passkey.credentialId ? 'passkeys.hideBlobLabel' : 'passkeys.viewBlobLabel', { rpId, account: account(passkey) })}
                            onClick={() => setViewing(viewing === passkey.credentialId ? null : passkey.credentialId)}
                          >
                            {viewing === passkey.credentialId ? t('passkeys.hideBlob') : t('passkeys.viewBlob')}
                          </Button>
                        ) : null}
                        {canRename ? (
                          <Button
                            disabledFocusable={busy}
                            aria-label={t('passkeys.editLabel', { rpId, account: account(passkey) })}
                            onClick={() => {
                              setEditName(passkey.userName ?? '');
                              setEditDisplay(passkey.userDisplayName ?? '');
                              setEditing(passkey.credentialId);
                            }}
                          >
                            {t('passkeys.edit')}
                          </Button>
                        ) : null}
                        <Button disabledFocusable={busy} aria-label={t('passkeys.deleteLabel', { rpId, account: account(passkey) })} onClick={() => void remove(passkey)}>
                          {t('passkeys.delete')}
                        </Button>
                        {blob && viewing === passkey.credentialId ? (
                          <BlobPanel id={panelId} blob={blob} account={account(passkey)} busy={busy} onDelete={() => void removeBlob(passkey)} />
                        ) : null}
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          </SettingCard>
        ))}
      </Section>
    </>
  );
}
