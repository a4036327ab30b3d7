/**
 * Diagnostics: the environment checks of `skm doctor` (runDoctor), one card per check with its
 * state in plain words, what was found, what to do, and the buttons the shell offers for a fix
 * (Restart as administrator, Open Windows Settings on Windows). Reachable with no key present:
 * it is where a person goes when a key does not show up.
 * @module
 */
import { Button, makeStyles, MessageBar, MessageBarBody, Spinner, Text, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular, CheckmarkCircleFilled, CopyRegular, DismissCircleFilled, InfoRegular, SubtractCircleRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { DoctorCheck, DoctorReport, ServiceError } from '../../main/ipc/contract.js';
import { Section, SettingCard } from '../app/layout.js';
import { skm } from '../app/skm.js';
import { copy, t } from '../app/words.js';
import { ErrorBar } from '../components/ErrorBar.js';
import { MdsCard } from '../components/MdsCard.js';

const useStyles = makeStyles({
  intro: { display: 'block', marginBottom: '12px', color: tokens.colorNeutralForeground2 },
  toolbar: { display: 'flex', gap: '8px', marginBottom: '12px' },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '4px' },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  problem: { color: tokens.colorPaletteRedForeground1 },
  state: { display: 'flex', alignItems: 'center', gap: '6px', whiteSpace: 'nowrap' },
  body: { display: 'flex', flexDirection: 'column', gap: '6px', paddingInlineStart: '36px' },
  fixes: { margin: 0, paddingInlineStart: '20px', display: 'flex', flexDirection: 'column', gap: '4px' },
  fix: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  command: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0, padding: '8px', backgroundColor: tokens.colorNeutralBackground3, borderRadius: tokens.borderRadiusMedium },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'center' },
  raw: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'pre-wrap', wordBreak: 'break-word', margin: '4px 0 0' },
});

/** The shell's own label for an OS action (the doctor's fixes for the app name these buttons). */
function actionLabel(action: 'restartElevated' | 'openWindowsSettings'): string {
  return copy.t(`shell.actions.${action}`);
}

function StateIcon({ status }: { status: DoctorCheck['status'] }): ReactNode {
  const styles = useStyles();
  if (status === 'ok') return <CheckmarkCircleFilled className={styles.ok} />;
  if (status === 'problem') return <DismissCircleFilled className={styles.problem} />;
  if (status === 'info') return <InfoRegular />;
  return <SubtractCircleRegular />;
}

function CheckCard({ check, onError }: { check: DoctorCheck; onError(error: ServiceError): void }): ReactNode {
  const styles = useStyles();
  const [copied, setCopied] = useState(false);
  const words = copy.doctorLine(check);
  const command = check.fixes.includes('install-udev-rule') ? check.facts.command : undefined;
  const system = async (action: 'restartElevated' | 'openWindowsSettings'): Promise<void> => {
    const result = action === 'restartElevated' ? await skm().restartElevated({}) : await skm().openWindowsSettings({});
    if (!result.ok) onError(result.error);
  };
  const copyCommand = async (text: string): Promise<void> => {
    // "Copied." only when the clipboard took it.
    await navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  const hasBody = words.fixes.length > 0 || words.details !== undefined;
  return (
    <SettingCard
      icon={<StateIcon status={check.status} />}
      title={words.title}
      description={words.result}
      actions={<Text className={styles.state}>{words.status}</Text>}
    >
      {hasBody ? (
        <div className={styles.body}>
          {words.fixes.length > 0 ? (
            <>
              <Text weight="semibold">{t('diagnostics.fixes')}</Text>
              <ul className={styles.fixes}>
                {words.fixes.map((fix, index) => (
                  // The udev fix carries the command; it is shown once, in its own block below.
                  <li key={`${check.fixes[index]}`} className={styles.fix}>
                    {command !== undefined && check.fixes[index] === 'install-udev-rule' ? fix.replace(command, '').trimEnd() : fix}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {command !== undefined ? (
            <>
              <pre className={styles.command}>{command}</pre>
              <div className={styles.actions}>
                <Button size="small" icon={<CopyRegular />} onClick={() => void copyCommand(command)}>
                  {t('diagnostics.copyCommand')}
                </Button>
                <span role="status">{copied ? t('diagnostics.copied') : ''}</span>
              </div>
            </>
          ) : null}
          {check.fixes.includes('restart-elevated') || check.fixes.includes('open-windows-settings') ? (
            <div className={styles.actions}>
              {check.fixes.includes('restart-elevated') ? (
                <Button appearance="primary" onClick={() => void system('restartElevated')}>
                  {actionLabel('restartElevated')}
                </Button>
              ) : null}
              {check.fixes.includes('open-windows-settings') ? <Button onClick={() => void system('openWindowsSettings')}>{actionLabel('openWindowsSettings')}</Button> : null}
            </div>
          ) : null}
          {words.details !== undefined ? (
            <details>
              <summary>{t('diagnostics.details')}</summary>
              <pre className={styles.raw}>{words.details}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
    </SettingCard>
  );
}

export function DiagnosticsView(): ReactNode {
  const styles = useStyles();
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ServiceError | null>(null);

  const check = useCallback(async (): Promise<void> => {
    setRunning(true);
    setError(null);
    try {
      const result = await skm().runDoctor({});
      if (result.ok) setReport(result.value);
      else setError(result.error);
    } finally {
      setRunning(false);
    }
  }, []);

  useEffect(() => {
    void check();
  }, [check]);

  return (
    <Section title={t('diagnostics.heading')} id="section-diagnostics">
      <Text className={styles.intro}>{t('diagnostics.intro')}</Text>
      <div className={styles.toolbar}>
        <Button icon={<ArrowClockwiseRegular />} disabledFocusable={running} onClick={() => void check()}>
          {t('diagnostics.rerun')}
        </Button>
      </div>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {running ? <Spinner size="small" label={t('diagnostics.running')} /> : null}
      {report ? (
        <>
          <MessageBar intent={report.problems === 0 ? 'success' : 'warning'} style={{ marginBottom: 8 }}>
            <MessageBarBody>{copy.doctorSummary(report)}</MessageBarBody>
          </MessageBar>
          <ul className={styles.list} aria-label={t('diagnostics.checksLabel')}>
            {report.checks.map((line) => (
              <li key={line.check}>
                <CheckCard check={line} onError={setError} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <MdsCard />
    </Section>
  );
}
