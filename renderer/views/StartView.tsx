/**
 * Start: the keys and readers present, live. No key → how to connect one; a reader without a card
 * → "waiting for a card"; several keys → pick one or touch it (authenticatorSelection). Each key
 * can blink (where it can) and be opened for management; a simulated key can be added to practise.
 * @module
 */
import { Badge, Button, Link, makeStyles, MessageBar, MessageBarBody, Spinner, Text, tokens } from '@fluentui/react-components';
import { AddRegular, CardUiRegular, LightbulbRegular, UsbStickRegular, BeakerRegular, HandRightRegular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import type { DeviceSummary, ServiceError } from '../../main/ipc/contract.js';
import { deviceSubtitle, deviceTitle } from '../app/device-text.js';
import { SettingCard } from '../app/layout.js';
import { useOperations } from '../app/operations.js';
import { skm } from '../app/skm.js';
import type { DeviceList } from '../app/use-devices.js';
import { t } from '../app/words.js';
import { ErrorBar } from '../components/ErrorBar.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '4px' },
  insert: { padding: '24px 16px', display: 'flex', gap: '16px', alignItems: 'center', backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  insertText: { display: 'flex', flexDirection: 'column', alignItems: 'start', gap: '8px' },
  bigIcon: { fontSize: '40px', color: tokens.colorBrandForeground1 },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '4px' },
  toolbar: { display: 'flex', gap: '8px', marginTop: '16px', flexWrap: 'wrap' },
  description: { color: tokens.colorNeutralForeground2 },
});

function icon(device: DeviceSummary): ReactNode {
  if (device.transport === 'nfc') return <CardUiRegular />;
  if (device.transport === 'virtual') return <BeakerRegular />;
  return <UsbStickRegular />;
}

export function StartView({ list, onOpen, onDiagnostics }: { list: DeviceList; onOpen(id: string): void; onDiagnostics(): void }): ReactNode {
  const styles = useStyles();
  const { run, busy } = useOperations();
  const [error, setError] = useState<ServiceError | null>(null);
  const devices = list.devices;
  const ready = (devices ?? []).filter((d) => d.status === 'ready');

  const blink = async (id: string): Promise<void> => {
    setError(null);
    const result = await run('wink', {}, id);
    if (!result.ok) setError(result.error);
  };
  const choose = async (): Promise<void> => {
    setError(null);
    const result = await run('select', {});
    if (result.ok) onOpen(result.value.id);
    else setError(result.error);
  };
  const addSimulated = async (): Promise<void> => {
    setError(null);
    const result = await skm().addVirtualKey({});
    if (!result.ok) setError(result.error);
    list.refresh();
  };

  return (
    <div className={styles.page}>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {list.error ? <ErrorBar error={list.error} /> : null}
      {devices === null ? <Spinner label={t('start.loading')} /> : null}
      {devices !== null && ready.length === 0 ? (
        <div className={styles.insert} role="status">
          <UsbStickRegular className={styles.bigIcon} aria-hidden="true" />
          <div className={styles.insertText}>
            <Text size={400}>{t('start.insert')}</Text>
            <Link as="button" onClick={onDiagnostics}>
              {t('start.diagnosticsLink')}
            </Link>
          </div>
        </div>
      ) : null}
      {ready.length > 1 ? (
        <MessageBar intent="info">
          <MessageBarBody>{t('start.several')}</MessageBarBody>
        </MessageBar>
      ) : null}
      {devices && devices.length > 0 ? (
        <ul className={styles.list} aria-label={t('start.listLabel')}>
          {devices.map((device) => (
            <li key={device.id}>
              {device.status === 'no-card' ? (
                <SettingCard headingLevel="h2" icon={<CardUiRegular />} title={device.reader ?? device.name} description={t('start.readerWaiting')} />
              ) : (
                <SettingCard
                  headingLevel="h2"
                  icon={icon(device)}
                  title={deviceTitle(device)}
                  description={
                    <>
                      {deviceSubtitle(device)}
                      {device.transport === 'virtual' ? (
                        <>
                          {' '}
                          <Badge appearance="tint" color="informative">
                            {t('start.simulated')}
                          </Badge>
                        </>
                      ) : null}
                    </>
                  }
                  actions={
                    <>
                      {/* Keys on a reader have no light to blink. */}
                      {device.transport !== 'nfc' ? (
                        <Button icon={<LightbulbRegular />} disabledFocusable={busy} onClick={() => void blink(device.id)} aria-label={t('start.blinkLabel', { name: deviceTitle(device) })}>
                          {t('start.blink')}
                        </Button>
                      ) : null}
                      <Button appearance="primary" disabledFocusable={busy} onClick={() => onOpen(device.id)} aria-label={t('start.manageLabel', { name: deviceTitle(device) })}>
                        {t('start.manage')}
                      </Button>
                    </>
                  }
                />
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <div className={styles.toolbar}>
        {ready.length > 1 ? (
          <Button icon={<HandRightRegular />} disabledFocusable={busy} onClick={() => void choose()}>
            {t('start.touchToChoose')}
          </Button>
        ) : null}
        <Button icon={<AddRegular />} disabledFocusable={busy} onClick={() => void addSimulated()}>
          {t('start.addSimulated')}
        </Button>
      </div>
      <Text size={200} className={styles.description}>
        {t('start.addSimulatedHelp')}
      </Text>
    </div>
  );
}
