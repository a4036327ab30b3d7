/**
 * The window: Start (the keys), one key's pages (Manage, Passkeys, Settings, Details) or
 * Diagnostics under a breadcrumb header, as Windows Settings lays out a page; Prepare keys from the
 * Start header, with or without a key. Light or dark follows the OS.
 * @module
 */
import { Button, FluentProvider, makeStyles, Text, tokens, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { ArrowLeftRegular, KeyMultipleRegular, StethoscopeRegular } from '@fluentui/react-icons';
import { useEffect, useState, type ReactNode } from 'react';
import { LanguagePicker } from '../components/LanguagePicker.js';
import { OperationDialog } from '../components/OperationDialog.js';
import { DiagnosticsView } from '../views/DiagnosticsView.js';
import { KeyPage } from '../views/KeyPage.js';
import { PrepareView } from '../views/PrepareView.js';
import { StartView } from '../views/StartView.js';
import { deviceTitle } from './device-text.js';
import { OperationsProvider } from './operations.js';
import { useDevices } from './use-devices.js';
import type { AppLanguage, DisplayLanguage } from '../../main/copy/languages.js';
import { chooseLanguage, t } from './words.js';

const useStyles = makeStyles({
  root: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1 },
  main: { maxWidth: '1000px', margin: '0 auto', padding: '24px 40px 40px', boxSizing: 'border-box' },
  header: { display: 'flex', alignItems: 'center', gap: '8px', marginBottom: '20px', minHeight: '40px', minWidth: 0 },
  heading: { margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
  crumb: { color: tokens.colorNeutralForeground2 },
  headerEnd: { marginInlineStart: 'auto' },
  topBar: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap', gap: '8px', marginBottom: '8px' },
  appName: { color: tokens.colorNeutralForeground2, margin: 0 },
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

function Shell({ language, onChooseLanguage }: { language: DisplayLanguage; onChooseLanguage(choice: AppLanguage | null): void }): ReactNode {
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
        <div className={styles.topBar}>
          <Text as="p" size={200} className={styles.appName}>
            {t('title')}
          </Text>
          <LanguagePicker language={language} onChoose={onChooseLanguage} />
        </div>
        <header className={styles.header}>
          {preparing ? (
            <>
              <Button appearance="subtle" icon={<ArrowLeftRegular />} aria-label={t('prepare.back')} onClick={() => setPreparing(false)} />
              <Text as="h1" size={800} weight="semibold" className={styles.heading}>
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
              <Text as="h1" size={800} weight="semibold" className={styles.heading}>
                <span className={styles.crumb}>{t('nav.keys')}</span>
                {'  ›  '}
                {diagnostics ? t('nav.diagnostics') : device ? deviceTitle(device) : lastTitle}
              </Text>
            </>
          ) : (
            <>
              <Text as="h1" size={800} weight="semibold" className={styles.heading}>
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

export function App({ language: initial }: { language: DisplayLanguage }): ReactNode {
  const dark = useOsDarkMode();
  // Every view reads its words from words.ts during render: a new language re-renders them all.
  // A new object each time: choosing the language already shown still re-renders the picker.
  const [{ language }, setShown] = useState({ language: initial });
  const choose = (choice: AppLanguage | null): void => void chooseLanguage(choice).then((shown) => setShown({ language: shown }));
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <OperationsProvider>
        <Shell language={language} onChooseLanguage={choose} />
      </OperationsProvider>
    </FluentProvider>
  );
}
