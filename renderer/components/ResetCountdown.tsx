/**
 * The reset window counting down (from the flow's countdown events, one a second): a bar and the
 * seconds left. Screen readers hear it every five seconds and in the last three, not every tick.
 * @module
 */
import { Field, ProgressBar } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { copy, t } from '../app/words.js';

export function ResetCountdown({ secondsLeft, windowSeconds }: { secondsLeft: number; windowSeconds: number }): ReactNode {
  const text = copy.countdown(secondsLeft);
  const announce = secondsLeft % 5 === 0 || secondsLeft <= 3;
  return (
    <Field label={t('resetDialog.window')} validationState="none" validationMessage={text} validationMessageIcon={null}>
      <ProgressBar
        value={windowSeconds > 0 ? secondsLeft / windowSeconds : 0}
        thickness="large"
        color={secondsLeft <= 3 ? 'error' : 'brand'}
        aria-valuetext={text}
      />
      <span aria-live="polite" style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
        {announce ? text : ''}
      </span>
    </Field>
  );
}
