/**
 * The PIN step of an operation, as Windows asks it: the current PIN (with tries left and why it is
 * asked again), or a new PIN twice with the key's rule shown up front and checked as it is typed —
 * a PIN that is too short is refused before the second entry, and nothing is sent until both match.
 *
 * The PIN never enters React state: the inputs are uncontrolled, only lengths are tracked, the
 * value is read once on submit, handed on, and the inputs are emptied.
 * @module
 */
import { Button, DialogActions, DialogBody, DialogContent, DialogTitle, Field, Input, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { OperationName } from '../../main/ipc/contract.js';
import type { PinQuestion } from '../app/operations.js';
import { copy, t } from '../app/words.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '12px' },
  retry: { color: tokens.colorPaletteRedForeground1 },
});

const codePoints = (text: string): number => [...text].length;

export interface PinDialogProps {
  question: PinQuestion;
  operation: OperationName;
  onSubmit(pin: string): void;
  onCancel(): void;
}

function titleFor(operation: OperationName): string {
  if (operation === 'pin.set') return t('pinDialog.addTitle');
  if (operation === 'pin.change') return t('pinDialog.changeTitle');
  return t('pinDialog.unlockTitle');
}

export function PinDialog({ question, operation, onSubmit, onCancel }: PinDialogProps): ReactNode {
  const styles = useStyles();
  const first = useRef<HTMLInputElement>(null);
  const second = useRef<HTMLInputElement>(null);
  const [firstLength, setFirstLength] = useState(0);
  const [secondLength, setSecondLength] = useState(0);
  const [mismatch, setMismatch] = useState(false);
  const isNew = question.purpose === 'new';
  const missing = Math.max(0, question.minLength - firstLength);
  const retry = copy.pinRetry(question);

  const clear = (): void => {
    if (first.current) first.current.value = '';
    if (second.current) second.current.value = '';
    setFirstLength(0);
    setSecondLength(0);
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const pin = first.current?.value ?? '';
    if (codePoints(pin) < question.minLength) return;
    if (isNew && pin !== (second.current?.value ?? '')) {
      setMismatch(true);
      if (second.current) second.current.value = '';
      setSecondLength(0);
      second.current?.focus();
      return;
    }
    clear();
    onSubmit(pin);
  };

  const canSubmit = missing === 0 && (!isNew || secondLength > 0);
  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>{titleFor(operation)}</DialogTitle>
        <DialogContent className={styles.form}>
          {retry ? (
            <Text role="alert" className={styles.retry}>
              {retry}
            </Text>
          ) : null}
          {!isNew && question.retries !== null && !retry ? <Text>{t('pinDialog.tries', { count: question.retries })}</Text> : null}
          {isNew ? <Text>{t('pinDialog.rules', { count: question.minLength })}</Text> : null}
          <Field
            label={isNew ? t('pinDialog.newPin') : t('pinDialog.current')}
            required
            validationState={isNew && firstLength > 0 && missing > 0 ? 'warning' : 'none'}
            validationMessage={isNew && firstLength > 0 && missing > 0 ? t('pinDialog.tooShort', { count: missing }) : undefined}
          >
            <Input
              ref={first}
              type="password"
              autoComplete="off"
              spellCheck={false}
              autoFocus
              onChange={(_event, data) => {
                setFirstLength(codePoints(data.value));
                setMismatch(false);
              }}
            />
          </Field>
          {isNew ? (
            <Field
              label={t('pinDialog.confirmPin')}
              required
              validationState={mismatch ? 'error' : 'none'}
              validationMessage={mismatch ? t('pinDialog.mismatch') : undefined}
            >
              <Input
                ref={second}
                type="password"
                autoComplete="off"
                spellCheck={false}
                // The second entry opens only once the first meets the key's rule.
                disabled={missing > 0}
                onChange={(_event, data) => {
                  setSecondLength(codePoints(data.value));
                  setMismatch(false);
                }}
              />
            </Field>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button type="submit" appearance="primary" disabled={!canSubmit}>
            {t('pinDialog.ok')}
          </Button>
          <Button
            onClick={() => {
              clear();
              onCancel();
            }}
          >
            {t('pinDialog.cancel')}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
