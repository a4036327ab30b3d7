/**
 * The steps of a reset as a checklist — remove the key, insert it again, touch it — with the step
 * the person is on marked, and its instruction in the vendor's words.
 * @module
 */
import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled, CircleRegular, ArrowCircleRightFilled } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import type { ReinsertNotice, TouchNotice } from '../app/operations.js';
import { t, type AppText } from '../app/words.js';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  step: { display: 'flex', alignItems: 'center', gap: '8px' },
  done: { color: tokens.colorPaletteGreenForeground1 },
  current: { color: tokens.colorBrandForeground1 },
});

type StepState = 'done' | 'current' | 'pending';

export interface ReinsertStepsProps {
  phasesSeen: ReinsertNotice['phase'][];
  reinsert: ReinsertNotice | undefined;
  touch: TouchNotice | undefined;
}

/** Which step each is in: a phase is done once a later one was asked for. */
function states({ phasesSeen, reinsert, touch }: ReinsertStepsProps): Record<'remove' | 'insert' | 'touch', StepState> {
  const sawInsert = phasesSeen.includes('insert');
  const touching = touch !== undefined;
  return {
    remove: reinsert?.phase === 'remove' ? 'current' : phasesSeen.includes('remove') ? 'done' : 'pending',
    insert: reinsert?.phase === 'insert' ? 'current' : sawInsert && (touching || reinsert === undefined) ? 'done' : 'pending',
    touch: touching ? 'current' : 'pending',
  };
}

const LABELS: Record<'remove' | 'insert' | 'touch', AppText> = { remove: 'resetDialog.remove', insert: 'resetDialog.insert', touch: 'resetDialog.touch' };

export function ReinsertSteps(props: ReinsertStepsProps): ReactNode {
  const styles = useStyles();
  const byStep = states(props);
  return (
    <ol className={styles.list} aria-label={t('resetDialog.steps')}>
      {(['remove', 'insert', 'touch'] as const).map((step) => {
        const state = byStep[step];
        const icon =
          state === 'done' ? <CheckmarkCircleFilled className={styles.done} /> : state === 'current' ? <ArrowCircleRightFilled className={styles.current} /> : <CircleRegular />;
        return (
          <li key={step} className={styles.step} aria-current={state === 'current' ? 'step' : undefined}>
            <span aria-hidden="true">{icon}</span>
            <Text weight={state === 'current' ? 'semibold' : 'regular'}>
              {t(LABELS[step])}
              {state === 'done' ? ` — ${t('resetDialog.done')}` : ''}
            </Text>
          </li>
        );
      })}
    </ol>
  );
}
