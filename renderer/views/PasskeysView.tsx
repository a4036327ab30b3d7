/**
 * Passkeys: the key's discoverable credentials grouped by website, searchable; delete (the key's
 * flow confirms, naming site and account) and edit the account name on CTAP 2.1 keys. A key that
 * cannot list passkeys says so, never shows an empty list.
 * @module
 */
import { Button, Field, Input, makeStyles, MessageBar, MessageBarBody, SearchBox, Text, tokens } from '@fluentui/react-components';
import { GlobeRegular, KeyMultipleRegular } from '@fluentui/react-icons';
import { useMemo, useState, type ReactNode } from 'react';
import type { OperationOutputs, ServiceError } from '../../main/ipc/contract.js';
import { Section, SettingCard } from '../app/layout.js';
import { useOperations } from '../app/operations.js';
import { copy, t } from '../app/words.js';
import { ErrorBar } from '../components/ErrorBar.js';
import type { KeyViewProps } from './KeyPage.js';
import { SuccessBar, type Notice } from './ManageView.js';

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

  const load = async (): Promise<void> => {
    setError(null);
    setNotice(null);
    const result = await run('passkeys.list', {}, deviceId);
    if (result.ok) setList(result.value);
    else setError(result.error);
  };
  const account = (p: Passkey): string => p.userName ?? t('passkeys.noAccount');
  const remove = async (passkey: Passkey): Promise<void> => {
    setError(null);
    setNotice(null);
    const result = await run('passkeys.delete', { credentialId: passkey.credentialId }, deviceId);
    if (!result.ok) return setError(result.error);
    setNotice({ text: t('passkeys.deleted', { rpId: passkey.rpId, account: account(passkey) }) });
    setList((old) => old && { ...old, stored: old.stored - 1, remaining: old.remaining + 1, passkeys: old.passkeys.filter((p) => p.credentialId !== passkey.credentialId) });
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
          </Text>
        ) : null}
        {list && list.passkeys.length === 0 ? <Text>{t('passkeys.none')}</Text> : null}
        {list && list.passkeys.length > 0 && groups.length === 0 ? <Text>{t('passkeys.noMatch', { query })}</Text> : null}
        {groups.map(([rpId, passkeys]) => (
          <SettingCard key={rpId} icon={<GlobeRegular />} title={rpId} description={t('passkeys.counted', { count: passkeys.length })}>
            <ul className={styles.list} aria-label={rpId}>
              {passkeys.map((passkey) => (
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
                    </>
                  )}
                </li>
              ))}
            </ul>
          </SettingCard>
        ))}
      </Section>
    </>
  );
}
