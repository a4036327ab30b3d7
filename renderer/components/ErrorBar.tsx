/**
 * An error in plain words with the next step; the code, the facts and the technical details stay
 * in a closed "Details" disclosure (the only place a CTAP status name may appear).
 * @module
 */
import { Button, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import type { ServiceError } from '../../main/ipc/contract.js';
import { copy, t } from '../app/words.js';

const useStyles = makeStyles({
  bar: { marginBottom: '12px', alignItems: 'start', paddingTop: '8px', paddingBottom: '8px' },
  next: { display: 'block', marginTop: '2px' },
  details: { marginTop: '6px' },
  action: { marginTop: '8px' },
  summary: { cursor: 'pointer', color: tokens.colorNeutralForeground1 },
  raw: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'pre-wrap', wordBreak: 'break-word', margin: '4px 0 0' },
});

export interface ErrorBarProps {
  error: ServiceError;
  onDismiss?: () => void;
  /** What the person can do about it right here ("Reset" for a locked PIN). */
  action?: { label: string; run(): void };
}

export function ErrorBar({ error, onDismiss, action }: ErrorBarProps): ReactNode {
  const styles = useStyles();
  // The person cancelled (Cancel, Escape): nothing to tell. A declined confirmation still says
  // "Nothing was deleted", as information rather than an error.
  if (error.code === 'CANCELLED' && error.facts.reason === undefined) return null;
  const intent = error.code === 'CANCELLED' ? 'info' : 'error';
  const text = copy.error(error);
  const facts = Object.keys(error.facts).length > 0 ? JSON.stringify(error.facts, null, 2) : null;
  return (
    <MessageBar intent={intent} layout="multiline" className={styles.bar} role="alert">
      <MessageBarBody>
        <MessageBarTitle>{text.message}</MessageBarTitle>
        {text.nextStep ? <span className={styles.next}>{text.nextStep}</span> : null}
        {action ? (
          <Button size="small" className={styles.action} onClick={action.run}>
            {action.label}
          </Button>
        ) : null}
        <details className={styles.details}>
          <summary className={styles.summary}>{t('errorBar.details')}</summary>
          <pre className={styles.raw}>
            {`${t('errorBar.code')}: ${error.code}`}
            {error.details ? `\n${error.details}` : ''}
            {facts ? `\n${t('errorBar.facts')}: ${facts}` : ''}
          </pre>
        </details>
      </MessageBarBody>
      {onDismiss ? (
        <MessageBarActions containerAction={<Button appearance="transparent" aria-label={t('errorBar.dismiss')} icon={<DismissRegular />} onClick={onDismiss} />} />
      ) : null}
    </MessageBar>
  );
}
