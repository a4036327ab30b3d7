/**
 * Prepare keys: IT staff apply one provisioning profile to many keys (the app's side of
 * `skm provision`). Profile (load, edit, checked live) → what happens to each key → where the
 * report goes and how many keys → Start / Stop → the queue of keys → the report and its exports.
 * Works with no key inserted: the run waits for keys.
 *
 * Random PINs never reach this page: main writes them to the report file only, and the page says
 * where that file is. A shared PIN is asked for in the PIN dialog and answered straight to main.
 * @module
 */
import { Button, Dialog, DialogSurface, Field, Input, makeStyles, MessageBar, MessageBarBody, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import { FolderOpenRegular, PlayRegular, StopRegular } from '@fluentui/react-icons';
import { useCallback, useRef, useState, type ReactNode } from 'react';
import type { ProfileCheck, ServiceError } from '../../main/ipc/contract.js';
import { Section } from '../app/layout.js';
import { skm } from '../app/skm.js';
import { useProvisioning } from '../app/use-provisioning.js';
import { t } from '../app/words.js';
import { ErrorBar } from '../components/ErrorBar.js';
import { PinDialog } from '../components/PinDialog.js';
import { KeyQueue } from './prepare/KeyQueue.js';
import { PlanSteps } from './prepare/PlanSteps.js';
import { ProfileEditor } from './prepare/ProfileEditor.js';
import { ReportTable } from './prepare/ReportTable.js';

const useStyles = makeStyles({
  intro: { display: 'block', marginBottom: '16px', color: tokens.colorNeutralForeground2 },
  card: { display: 'flex', flexDirection: 'column', gap: '12px', padding: '16px', backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  pathRow: { display: 'flex', gap: '8px', alignItems: 'end' },
  pathInput: { flexGrow: 1 },
  countRow: { display: 'flex', gap: '12px', alignItems: 'center', flexWrap: 'wrap' },
  count: { width: '100px' },
  actions: { display: 'flex', gap: '8px' },
  mono: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
});

export function PrepareView(): ReactNode {
  const styles = useStyles();
  const provisioning = useProvisioning();
  const { state, running } = provisioning;
  const [text, setText] = useState('');
  const [name, setName] = useState<string | undefined>(undefined);
  const [check, setCheck] = useState<ProfileCheck | null>(null);
  const [reportPath, setReportPath] = useState('');
  const [mode, setMode] = useState<'count' | 'until-stopped'>('count');
  const [count, setCount] = useState('1');
  const [error, setError] = useState<ServiceError | null>(null);
  const reportInput = useRef<HTMLInputElement>(null);

  const onText = useCallback((next: string, fileName?: string): void => {
    setText(next);
    if (fileName !== undefined) setName(fileName);
  }, []);
  const onCheck = useCallback((next: ProfileCheck | null): void => setCheck(next), []);

  const chooseReport = async (): Promise<void> => {
    setError(null);
    const chosen = await skm().chooseSavePath({ purpose: 'report', suggestedName: 'keys-report.csv' });
    if (chosen.ok) {
      if (chosen.value.path !== null) setReportPath(chosen.value.path);
    } else if (chosen.error.code === 'UNSUPPORTED') {
      // Without a shell dialog the file name is typed in the field beside the button.
      reportInput.current?.focus();
    } else {
      setError(chosen.error);
    }
  };

  const keys = Number(count);
  const countValid = mode === 'until-stopped' || (/^\d{1,6}$/.test(count) && keys >= 1);
  const profile = check?.valid ? check.profile : null;
  const canStart = !running && profile !== null && reportPath.trim() !== '' && countValid;
  const random = profile?.pin?.mode === 'random';
  const start = (): void => {
    setError(null);
    void provisioning.start({ profile: text, profileName: name, reportPath: reportPath.trim(), count: mode === 'until-stopped' ? null : keys });
  };

  const summary = state.summary;
  const summaryFacts = summary ? { ...summary.outcomes } : {};
  return (
    <div>
      <Text className={styles.intro}>{t('prepare.intro')}</Text>
      <Section title={t('prepare.profile.heading')} id="section-prepare-profile">
        <div className={styles.card}>
          <ProfileEditor text={text} onText={onText} check={check} onCheck={onCheck} disabled={running} />
        </div>
      </Section>
      {profile ? (
        <Section title={t('prepare.plan.heading')} id="section-prepare-plan">
          <div className={styles.card}>
            <PlanSteps profile={profile} />
          </div>
        </Section>
      ) : null}
      <Section title={t('prepare.run.heading')} id="section-prepare-run">
        <div className={styles.card}>
          <div className={styles.pathRow}>
            <Field label={t('prepare.run.report')} hint={t('prepare.run.reportHelp')} className={styles.pathInput}>
              <Input ref={reportInput} value={reportPath} onChange={(_event, data) => setReportPath(data.value)} disabled={running} spellCheck={false} />
            </Field>
            <Button icon={<FolderOpenRegular />} onClick={() => void chooseReport()} disabled={running}>
              {t('prepare.run.choose')}
            </Button>
          </div>
          {random ? (
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>{reportPath.trim() ? t('prepare.run.pinsWhere', { path: reportPath.trim() }) : t('prepare.run.pinsWhereNoPath')}</MessageBarBody>
            </MessageBar>
          ) : null}
          <Field label={t('prepare.run.howMany')}>
            <div className={styles.countRow}>
              <RadioGroup layout="horizontal" value={mode} onChange={(_event, data) => setMode(data.value as 'count' | 'until-stopped')} disabled={running} aria-label={t('prepare.run.howMany')}>
                <Radio value="count" label={t('prepare.run.count')} />
                <Radio value="until-stopped" label={t('prepare.run.untilStopped')} />
              </RadioGroup>
              {mode === 'count' ? (
                <Input className={styles.count} type="number" min={1} value={count} onChange={(_event, data) => setCount(data.value)} disabled={running} aria-label={t('prepare.run.countLabel')} />
              ) : null}
            </div>
          </Field>
          <div className={styles.actions}>
            <Button appearance="primary" icon={<PlayRegular />} disabled={!canStart} onClick={start}>
              {t('prepare.run.start')}
            </Button>
            <Button icon={<StopRegular />} disabled={!running || state.stopping} onClick={provisioning.stop}>
              {t('prepare.run.stop')}
            </Button>
          </div>
          <div aria-live="polite">
            {state.stopping ? <Text>{t('prepare.run.stopping')}</Text> : null}
            {running && !state.stopping && state.waiting ? (
              <Text>{state.waiting.count === null ? t('prepare.run.waiting', { finished: state.waiting.finished }) : t('prepare.run.waitingFor', { finished: state.waiting.finished, count: state.waiting.count })}</Text>
            ) : null}
            {summary ? (
              <MessageBar intent={summary.outcomes.done > 0 && summary.outcomes.incomplete + summary.outcomes.failed === 0 ? 'success' : 'warning'}>
                <MessageBarBody>{summary.stopped ? t('prepare.run.stoppedSummary', summaryFacts) : t('prepare.run.summary', summaryFacts)}</MessageBarBody>
              </MessageBar>
            ) : null}
          </div>
          {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : state.error ? <ErrorBar error={state.error} /> : null}
        </div>
      </Section>
      <Section title={t('prepare.queue.heading')} id="section-prepare-queue">
        <KeyQueue keys={state.keys} wipes={profile?.pin === null} />
      </Section>
      <Section title={t('prepare.report.heading')} id="section-prepare-report">
        <ReportTable state={state} reportPath={reportPath.trim()} withPins={summary?.withPins ?? random} />
      </Section>
      <Dialog open={state.question !== null} modalType="modal" onOpenChange={(_event, data) => !data.open && provisioning.cancelPin()}>
        <DialogSurface aria-describedby={undefined}>
          {state.question ? <PinDialog key={state.question.id} question={state.question} operation="pin.set" onSubmit={provisioning.answerPin} onCancel={provisioning.cancelPin} /> : null}
        </DialogSurface>
      </Dialog>
    </div>
  );
}
