/**
 * The window: Start (the keys), one key's pages (Manage, Passkeys, Settings, Details) or
 * Diagnostics under a breadcrumb header, as Windows Settings lays out a page; Prepare keys from the
 * Start header, with or without a key. Light or dark follows the OS.
 * @module
 */
import { Button, FluentProvider, makeStyles, Text, tokens, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { ArrowLeftRegular, KeyMultipleRegular, StethoscopeRegular } from '@fluentui/react-icons';
import { useEffect, useState, type ReactNode } from 'react';
import { OperationDialog } from '../components/OperationDialog.js';
import { DiagnosticsView } from '../views/DiagnosticsView.js';
import { KeyPage } from '../views/KeyPage.js';
import { PrepareView } from '../views/PrepareView.js';
import { StartView } from '../views/StartView.js';
import { deviceTitle } from './device-text.js';
import { OperationsProvider } from './operations.js';
import { useDevices } from './use-devices.js';
import { t } from './words.js';

const useStyles = makeStyles({
  root: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1 },
  main: { maxWidth: '1000px', margin: '0 auto', padding: '24px 40px 40px', boxSizing: 'border-box' },
  header: { display: 'flex', alignItems: 'center', gap: '8px', marginBottom: '20px', minHeight: '40px' },
  crumb: { color: tokens.colorNeutralForeground2 },
  headerEnd: { marginInlineStart: 'auto' },
  appName: { display: 'block', color: tokens.colorNeutralForeground2, marginBottom: '8px' },
});

function useOsDarkMode(): boolean {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const update = (): void => setDark(media.matches);
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  return dark;
}

function Shell(): ReactNode {
  const styles = useStyles();
  const list = useDevices();
  const [openId, setOpenId] = useState<string | null>(null);
  // Prepare keys stays mounted while hidden: a run goes on while the person looks at a key.
  const [preparing, setPreparing] = useState(false);
  const [diagnostics, setDiagnostics] = useState(false);
  const device = list.devices?.find((d) => d.id === openId) ?? null;
  const [lastTitle, setLastTitle] = useState('');
  useEffect(() => {
    if (device) setLastTitle(deviceTitle(device));
  }, [device]);

  return (
    <div className={styles.root}>
      <main className={styles.main}>
        <Text as="p" size={200} className={styles.appName}>
          {t('title')}
        </Text>
        <header className={styles.header}>
          {preparing ? (
            <>
              <Button appearance="subtle" icon={<ArrowLeftRegular />} aria-label={t('prepare.back')} onClick={() => setPreparing(false)} />
              <Text as="h1" size={800} weight="semibold" style={{ margin: 0 }}>
                {t('prepare.nav')}
              </Text>
            </>
          ) : openId !== null || diagnostics ? (
            <>
              <Button
                appearance="subtle"
                icon={<ArrowLeftRegular />}
                aria-label={t('nav.back')}
                onClick={() => {
                  setOpenId(null);
                  setDiagnostics(false);
                }}
              />
              <Text as="h1" size={800} weight="semibold" style={{ margin: 0 }}>
                <span className={styles.crumb}>{t('nav.keys')}</span>
                {'  ›  '}
                {diagnostics ? t('nav.diagnostics') : device ? deviceTitle(device) : lastTitle}
              </Text>
            </>
          ) : (
            <>
              <Text as="h1" size={800} weight="semibold" style={{ margin: 0 }}>
                {t('start.heading')}
              </Text>
              <Button className={styles.headerEnd} icon={<KeyMultipleRegular />} title={t('prepare.navHelp')} onClick={() => setPreparing(true)}>
                {t('prepare.nav')}
              </Button>
              <Button appearance="subtle" icon={<StethoscopeRegular />} onClick={() => setDiagnostics(true)}>
                {t('nav.diagnostics')}
              </Button>
            </>
          )}
        </header>
        {preparing ? null : diagnostics ? (
          <DiagnosticsView />
        ) : openId === null ? (
          <StartView list={list} onOpen={setOpenId} onDiagnostics={() => setDiagnostics(true)} />
        ) : (
          <KeyPage deviceId={openId} device={device} />
        )}
        <div hidden={!preparing}>
          <PrepareView />
        </div>
      </main>
      <OperationDialog />
    </div>
  );
}

export function App(): ReactNode {
  const dark = useOsDarkMode();
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <OperationsProvider>
        <Shell />
      </OperationsProvider>
    </FluentProvider>
  );
}
