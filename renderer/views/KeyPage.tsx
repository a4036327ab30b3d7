/**
 * One key's pages. Reads the key's getInfo (through the `info` operation) when opened and after
 * every change, and shares it with the tabs, which decide from it what the key can do before
 * anything is sent. A key that goes away leaves the page in place with a notice, so a reinserted
 * key (or the reset ceremony) carries on without a reload.
 * @module
 */
import { makeStyles, MessageBar, MessageBarBody, Spinner, Tab, TabList } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { DeviceSummary, OperationOutputs, ServiceError } from '../../main/ipc/contract.js';
import { useOperations } from '../app/operations.js';
import { skm } from '../app/skm.js';
import { t } from '../app/words.js';
import { ErrorBar } from '../components/ErrorBar.js';
import { DetailsView } from './DetailsView.js';
import { ManageView } from './ManageView.js';
import { PasskeysView } from './PasskeysView.js';
import { ReadinessView } from './ReadinessView.js';
import { SettingsView } from './SettingsView.js';

export type KeyInfo = OperationOutputs['info'];
type TabName = 'manage' | 'passkeys' | 'settings' | 'details' | 'readiness';

const useStyles = makeStyles({
  // Wraps rather than widening the page when the tab names are long (German, the pseudo-locale).
  tabs: { marginBottom: '16px', marginLeft: '-10px', flexWrap: 'wrap' },
});

export interface KeyViewProps {
  deviceId: string;
  info: KeyInfo;
  /** Read getInfo again (after a change). */
  reload(): Promise<void>;
}

export function KeyPage({ deviceId, device }: { deviceId: string; device: DeviceSummary | null }): ReactNode {
  const styles = useStyles();
  const { run, busy } = useOperations();
  // A key that comes back during an operation (the reset ceremony) is read again by that view.
  const busyNow = useRef(busy);
  busyNow.current = busy;
  const [tab, setTab] = useState<TabName>('manage');
  const [info, setInfo] = useState<KeyInfo | null>(null);
  const [error, setError] = useState<ServiceError | null>(null);
  const present = device !== null && device.status === 'ready';

  const reload = useCallback(async (): Promise<void> => {
    const result = await run('info', {}, deviceId);
    if (result.ok) {
      setInfo(result.value);
      setError(null);
    } else {
      setError(result.error);
    }
  }, [run, deviceId]);

  useEffect(() => {
    if (present && !busyNow.current) void reload();
  }, [present, reload]);

  // Leaving the key's pages ends its unlocked passkeys: main drops the PIN token it kept.
  useEffect(() => () => void skm().lockKey({ deviceId }), [deviceId]);

  return (
    <div>
      {!present ? (
        <MessageBar intent="warning">
          <MessageBarBody>{t('manage.keyGone')}</MessageBarBody>
        </MessageBar>
      ) : null}
      <TabList className={styles.tabs} selectedValue={tab} onTabSelect={(_e, data) => setTab(data.value as TabName)} aria-label={t('nav.sections')}>
        <Tab value="manage">{t('nav.manage')}</Tab>
        <Tab value="passkeys">{t('nav.passkeys')}</Tab>
        <Tab value="settings">{t('nav.settings')}</Tab>
        <Tab value="details">{t('nav.details')}</Tab>
        <Tab value="readiness">{t('nav.readiness')}</Tab>
      </TabList>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {info === null && !error ? <Spinner label={t('manage.loading')} /> : null}
      {info !== null ? (
        <div role="tabpanel" aria-label={t(`nav.${tab}`)}>
          {tab === 'manage' ? <ManageView deviceId={deviceId} info={info} reload={reload} /> : null}
          {tab === 'passkeys' ? <PasskeysView deviceId={deviceId} info={info} reload={reload} /> : null}
          {tab === 'settings' ? <SettingsView deviceId={deviceId} info={info} reload={reload} /> : null}
          {tab === 'details' ? <DetailsView deviceId={deviceId} info={info} reload={reload} /> : null}
          {tab === 'readiness' ? <ReadinessView deviceId={deviceId} info={info} reload={reload} /> : null}
        </div>
      ) : null}
    </div>
  );
}
