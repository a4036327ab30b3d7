/**
 * The keys of a Prepare keys run, in the order they arrived: reading, in progress with the
 * current step, done, rejected with the reason, incomplete with what was done. What a key waits
 * for from the person (touch it, remove and reinsert it, the reset's countdown) shows in its own
 * row and names the key, since several keys can wait at once.
 * @module
 */
import { makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled, DismissCircleFilled, ErrorCircleRegular, SkipForwardTabRegular, WarningFilled } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import type { QueuedKey } from '../../app/use-provisioning.js';
import { copy, t } from '../../app/words.js';
import { ResetCountdown } from '../../components/ResetCountdown.js';
import { errorText, outcomeText, stepText } from './outcome-text.js';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '4px' },
  row: {
    display: 'flex',
    gap: '12px',
    padding: '12px 16px',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  icon: { fontSize: '20px', display: 'flex', paddingTop: '2px' },
  done: { color: tokens.colorPaletteGreenForeground1 },
  bad: { color: tokens.colorPaletteRedForeground1 },
  warn: { color: tokens.colorPaletteDarkOrangeForeground1 },
  body: { display: 'flex', flexDirection: 'column', gap: '2px', flexGrow: 1, minWidth: 0 },
  secondary: { color: tokens.colorNeutralForeground2 },
  prompt: { fontWeight: tokens.fontWeightSemibold },
});

function KeyRow({ item, wipes }: { item: QueuedKey; wipes: boolean }): ReactNode {
  const styles = useStyles();
  const label = item.label ?? item.deviceId;
  let icon: ReactNode;
  let status: string;
  if (item.state === 'finished' && item.record) {
    const result = item.record.result;
    icon = result === 'done' ? <CheckmarkCircleFilled className={styles.done} /> : result === 'rejected' ? <DismissCircleFilled className={styles.bad} /> : <WarningFilled className={styles.warn} />;
    status = outcomeText(item.record, item.rejection, wipes && item.record.steps.includes('reset'));
  } else if (item.state === 'skipped') {
    icon = <SkipForwardTabRegular />;
    status = t('prepare.queue.skipped');
  } else if (item.state === 'unidentified') {
    icon = <ErrorCircleRegular className={styles.bad} />;
    status = t('prepare.queue.unidentified', { error: errorText(item.code ?? '') });
  } else {
    icon = <Spinner size="extra-tiny" />;
    status = item.state === 'working' && item.step ? t('prepare.queue.inProgress', { step: stepText(item.step) }) : t('prepare.queue.identifying');
  }
  const waitingFor = item.touch ? copy.touch(item.touch.instruction, item.touch.noun) : item.reinsert ? copy.reinsert(item.reinsert) : null;
  return (
    <li className={styles.row} aria-label={label}>
      <span className={styles.icon} aria-hidden="true">
        {icon}
      </span>
      <div className={styles.body}>
        <Text as="h3" weight="semibold" size={300} style={{ margin: 0 }}>
          {label}
        </Text>
        {item.model ? (
          <Text size={200} className={styles.secondary}>
            {item.model}
          </Text>
        ) : null}
        <Text>{status}</Text>
        {waitingFor ? (
          <Text role="status" aria-live="polite" className={styles.prompt}>
            {t('prepare.queue.prompt', { label, text: waitingFor })}
          </Text>
        ) : null}
        {item.touch && item.secondsLeft !== undefined ? <ResetCountdown secondsLeft={item.secondsLeft} windowSeconds={item.windowSeconds ?? item.secondsLeft} /> : null}
      </div>
    </li>
  );
}

export function KeyQueue({ keys, wipes }: { keys: QueuedKey[]; wipes: boolean }): ReactNode {
  const styles = useStyles();
  if (keys.length === 0) return <Text>{t('prepare.queue.empty')}</Text>;
  return (
    <ul className={styles.list} aria-label={t('prepare.queue.listLabel')}>
      {keys.map((item) => (
        <KeyRow key={item.deviceId} item={item} wipes={wipes} />
      ))}
    </ul>
  );
}
