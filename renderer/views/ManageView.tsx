/**
 * Manage: Windows Settings' Security Key page in its order and words — Security Key PIN (Add /
 * Change, with the key's minimum length and tries left), Security Key Fingerprint (bio keys
 * only), Reset Security Key.
 * @module
 */
import { Button, makeStyles, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { ArrowResetRegular, FingerprintRegular, PasswordRegular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import type { ServiceError } from '../../main/ipc/contract.js';
import { SettingCard } from '../app/layout.js';
import { useOperations } from '../app/operations.js';
import { t } from '../app/words.js';
import { ErrorBar } from '../components/ErrorBar.js';
import { FingerprintsCard } from './FingerprintsCard.js';
import type { KeyViewProps } from './KeyPage.js';

const useStyles = makeStyles({
  // Windows Settings: the cards of a page sit 4 px apart; the sections of this page are one card each.
  cards: { display: 'flex', flexDirection: 'column', gap: '4px' },
});

export type Notice = { text: string; next?: string } | null;

export function SuccessBar({ notice }: { notice: Notice }): ReactNode {
  if (!notice) return null;
  return (
    <MessageBar intent="success" layout="multiline" style={{ marginBottom: 12 }}>
      <MessageBarBody>
        {notice.text}
        {notice.next ? (
          <>
            <br />
            {notice.next}
          </>
        ) : null}
      </MessageBarBody>
    </MessageBar>
  );
}

function pinDescription(info: KeyViewProps['info']): string {
  if (!('clientPin' in info.options)) return t('manage.pinUnsupported');
  const parts = [info.options.clientPin ? t('manage.pinSet') : t('manage.pinNone'), t('manage.pinFacts', { minLength: Math.max(4, info.minPinLength) })];
  if (info.options.clientPin && info.pinRetries !== null) parts.push(t('manage.pinTries', { count: info.pinRetries }));
  if (info.forcePinChange) parts.push(t('manage.pinMustChange'));
  return parts.join(' ');
}

export function ManageView({ deviceId, info, reload }: KeyViewProps): ReactNode {
  const styles = useStyles();
  const { run, busy } = useOperations();
  const [error, setError] = useState<ServiceError | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const pinSupported = 'clientPin' in info.options;
  const pinSet = info.options.clientPin === true;

  const pin = async (): Promise<void> => {
    setError(null);
    setNotice(null);
    const result = pinSet ? await run('pin.change', {}, deviceId) : await run('pin.set', {}, deviceId);
    if (result.ok) setNotice({ text: pinSet ? t('manage.pinChanged') : t('manage.pinAdded'), next: t('manage.workAccount') });
    else setError(result.error);
    await reload();
  };

  const reset = async (): Promise<void> => {
    setError(null);
    setNotice(null);
    const result = await run('reset', {}, deviceId);
    if (result.ok) setNotice({ text: t('manage.resetDone'), next: t('manage.workAccount') });
    else setError(result.error);
    await reload();
  };

  return (
    <>
      {error ? (
        <ErrorBar
          error={error}
          onDismiss={() => setError(null)}
          // A locked PIN has one way out, and it is on this page.
          action={error.code === 'PIN_BLOCKED' || (error.code === 'PIN_INVALID' && error.facts.retries === 0) ? { label: t('manage.reset'), run: () => void reset() } : undefined}
        />
      ) : null}
      <SuccessBar notice={notice} />
      <div className={styles.cards}>
        <SettingCard
          headingLevel="h2"
          icon={<PasswordRegular />}
          title={t('manage.pinTitle')}
          description={pinDescription(info)}
          actions={
            pinSupported ? (
              <Button disabledFocusable={busy} onClick={() => void pin()}>
                {pinSet ? t('manage.change') : t('manage.add')}
              </Button>
            ) : null
          }
        />
      <FingerprintsCard deviceId={deviceId} info={info} reload={reload} onError={setError} onNotice={setNotice} icon={<FingerprintRegular />} />
        <SettingCard
          headingLevel="h2"
          icon={<ArrowResetRegular />}
          title={t('manage.resetTitle')}
          description={t('manage.resetBody')}
          actions={
            <Button disabledFocusable={busy} onClick={() => void reset()}>
              {t('manage.reset')}
            </Button>
          }
        />
      </div>
    </>
  );
}
