/**
 * Fingerprint enrolment as the key reports it, sample by sample: how many are done, and what to
 * do next for the last one ("lift and place again", "too fast", "off-centre"…).
 * @module
 */
import { Field, makeStyles, ProgressBar, Text } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { SampleNotice, TouchNotice } from '../app/operations.js';
import { copy, t } from '../app/words.js';

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: '12px' },
});

export function EnrollProgress({ samples, touch }: { samples: SampleNotice[]; touch: TouchNotice | undefined }): ReactNode {
  const styles = useStyles();
  const last = samples.at(-1);
  const total = last?.total ?? 0;
  const done = last ? last.total - last.remaining : 0;
  const guidance = last ? copy.progress({ step: 'fingerprint-sample', feedback: last.feedback, remaining: last.remaining, total: last.total, done: last.done }) : undefined;
  return (
    <div className={styles.box}>
      {total > 0 ? (
        <Field label={t('enrollDialog.progress')} validationMessage={t('enrollDialog.samples', { done, total })} validationState="none" validationMessageIcon={null}>
          <ProgressBar value={done / total} thickness="large" />
        </Field>
      ) : null}
      <Text role="status" aria-live="polite" size={400} weight="semibold">
        {guidance ?? (touch ? copy.touch(touch.instruction, touch.noun) : '')}
      </Text>
    </div>
  );
}
