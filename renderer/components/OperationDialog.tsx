/**
 * The one dialog of a running operation: opens at its first prompt and stays open until the run
 * ends, switching its content with the prompts (PIN → confirmation → reinsert steps → touch with
 * countdown → samples), so focus never falls out to the page between steps. Escape or Cancel
 * cancels the prompt, which aborts the key operation.
 * @module
 */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Spinner } from '@fluentui/react-components';
import { useEffect, useRef, type ReactNode } from 'react';
import { useOperations, type RunView } from '../app/operations.js';
import { copy, t } from '../app/words.js';
import { ConfirmDestructive } from './ConfirmDestructive.js';
import { EnrollProgress } from './EnrollProgress.js';
import { PinDialog } from './PinDialog.js';
import { ReinsertSteps } from './ReinsertSteps.js';
import { ResetCountdown } from './ResetCountdown.js';
import { TouchPrompt } from './TouchPrompt.js';

function NoticeBody({ view, onCancel }: { view: RunView; onCancel(): void }): ReactNode {
  const cancelButton = useRef<HTMLButtonElement>(null);
  // The control that had the focus (a PIN field, the confirmation's buttons) goes away with its
  // step; focus moves to Cancel so it stays in the dialog, where Escape and screen readers are.
  useEffect(() => {
    const button = cancelButton.current;
    const surface = button?.closest('[role="dialog"]');
    if (button && surface && !surface.contains(document.activeElement)) button.focus();
  });
  let title: string;
  let content: ReactNode;
  if (view.operation === 'reset') {
    title = t('resetDialog.title');
    content = (
      <>
        <ReinsertSteps phasesSeen={view.phasesSeen} reinsert={view.reinsert} touch={view.touch} />
        {view.reinsert ? (
          <p role="status" aria-live="polite">
            {copy.reinsert(view.reinsert)}
          </p>
        ) : null}
        {view.touch ? <TouchPrompt touch={view.touch} /> : null}
        {view.touch && view.secondsLeft !== undefined ? <ResetCountdown secondsLeft={view.secondsLeft} windowSeconds={view.windowSeconds ?? view.secondsLeft} /> : null}
      </>
    );
  } else if (view.operation === 'fingerprints.enroll') {
    title = t('enrollDialog.title');
    content = <EnrollProgress samples={view.samples} touch={view.touch} />;
  } else {
    title = view.touch ? t(`touchDialog.reasons.${view.touch.reason}`) : t('busy');
    content = view.touch ? <TouchPrompt touch={view.touch} /> : <Spinner label={t('busy')} />;
  }
  return (
    <DialogBody>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>{content}</DialogContent>
      <DialogActions>
        <Button ref={cancelButton} onClick={onCancel}>
          {t('touchDialog.cancel')}
        </Button>
      </DialogActions>
    </DialogBody>
  );
}

export function OperationDialog(): ReactNode {
  const { visible, answerPin, answerConfirm, cancel } = useOperations();
  const view = visible;
  let body: ReactNode = null;
  if (view?.question?.kind === 'pin') {
    const question = view.question;
    body = <PinDialog key={question.id} question={question} operation={view.operation} onSubmit={(pin) => answerPin(view.runId, question.id, pin)} onCancel={() => cancel(view)} />;
  } else if (view?.question?.kind === 'confirm') {
    const question = view.question;
    body = <ConfirmDestructive key={question.id} question={question} onAnswer={(yes) => answerConfirm(view.runId, question.id, yes)} />;
  } else if (view) {
    body = <NoticeBody view={view} onCancel={() => cancel(view)} />;
  }
  return (
    <Dialog
      open={view !== undefined}
      modalType="modal"
      onOpenChange={(_event, data) => {
        // A stray click beside the dialog must not abort a reset half-way; Escape cancels.
        if (data.type === 'backdropClick') return;
        // Cancel what the key waits for; the run ends and the dialog closes with it.
        if (!data.open && view) cancel(view);
      }}
    >
      <DialogSurface aria-describedby={undefined}>{body}</DialogSurface>
    </Dialog>
  );
}
