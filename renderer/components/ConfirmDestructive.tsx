/**
 * The confirmation a flow asks before it changes or deletes something: the title names what is
 * acted on ("Delete the passkey for github.com (octocat)"), the list names everything that will be
 * lost or changed, with counts. Cancel has the focus; a reset also needs "I understand" ticked.
 * @module
 */
import { Button, Checkbox, DialogActions, DialogBody, DialogContent, DialogTitle, makeStyles, Text } from '@fluentui/react-components';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ConfirmQuestion } from '../app/operations.js';
import { copy, t } from '../app/words.js';

const useStyles = makeStyles({
  list: { margin: '8px 0 0', paddingInlineStart: '20px', display: 'flex', flexDirection: 'column', gap: '6px' },
});

const DESTRUCTIVE = new Set(['reset', 'delete-passkey', 'remove-fingerprint', 'delete-blob', 'prune-blobs', 'clear-blob-storage']);

function confirmLabel(action: string): string {
  if (action === 'reset') return t('confirmDialog.confirmDestructive.reset');
  if (action === 'delete-passkey') return t('confirmDialog.confirmDestructive.delete-passkey');
  if (action === 'remove-fingerprint') return t('confirmDialog.confirmDestructive.remove-fingerprint');
  if (action === 'delete-blob') return t('confirmDialog.confirmDestructive.delete-blob');
  if (action === 'prune-blobs') return t('confirmDialog.confirmDestructive.prune-blobs');
  if (action === 'clear-blob-storage') return t('confirmDialog.confirmDestructive.clear-blob-storage');
  return t('confirmDialog.confirmDestructive.other');
}

export function ConfirmDestructive({ question, onAnswer }: { question: ConfirmQuestion; onAnswer(yes: boolean): void }): ReactNode {
  const styles = useStyles();
  const [understood, setUnderstood] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  // The dialog focuses its first control when it opens (here: the destructive button); move focus
  // to Cancel after that, so Enter never destroys by accident.
  useEffect(() => {
    const timer = setTimeout(() => cancel.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, []);
  const needsTick = question.action === 'reset';
  const destructive = DESTRUCTIVE.has(question.action);
  return (
    <DialogBody>
      <DialogTitle>{copy.confirmTitle(question)}</DialogTitle>
      <DialogContent>
        <Text>{t('confirmDialog.lost')}</Text>
        <ul className={styles.list}>
          {question.consequences.map((consequence, index) => (
            <li key={`${consequence.code}-${index}`}>{copy.consequence(consequence)}</li>
          ))}
        </ul>
        {needsTick ? <Checkbox checked={understood} onChange={(_e, data) => setUnderstood(data.checked === true)} label={t('confirmDialog.understood')} /> : null}
      </DialogContent>
      <DialogActions>
        <Button appearance="primary" disabled={needsTick && !understood} onClick={() => onAnswer(true)}>
          {destructive ? confirmLabel(question.action) : t('confirmDialog.confirm')}
        </Button>
        <Button ref={cancel} onClick={() => onAnswer(false)}>
          {t('confirmDialog.cancel')}
        </Button>
      </DialogActions>
    </DialogBody>
  );
}
