/**
 * The profile of a Prepare keys run: loaded through the shell's Open dialog (or, without a shell,
 * a file input), edited as JSON or YAML in a monospace text area, and checked by main as it is
 * typed. Every mistake is listed with where it is and how to fix it, in the catalogue's words
 * (the same as `skm provision`).
 * @module
 */
import { Button, Field, makeStyles, MessageBar, MessageBarBody, Spinner, Text, Textarea, tokens } from '@fluentui/react-components';
import { DocumentRegular, SparkleRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import type { ProfileCheck, ProfileIssue, ServiceError } from '../../../main/ipc/contract.js';
import { skm } from '../../app/skm.js';
import { copy, t } from '../../app/words.js';
import { ErrorBar } from '../../components/ErrorBar.js';

/** The example profile: random 8-digit PINs, minimum length 8, changed at first use. */
export const EXAMPLE_PROFILE = `{
  "reset": "never",
  "pin": { "mode": "random", "length": 8 },
  "minPinLength": 8,
  "forcePinChange": true,
  "label": "KEY-{n}"
}
`;

/** The same limit as main's (a profile is a few settings). */
const MAX_PROFILE_BYTES = 256 * 1024;
/** Checked this long after the last keystroke, so typing stays fluid. */
const CHECK_DELAY_MS = 200;

const useStyles = makeStyles({
  toolbar: { display: 'flex', gap: '8px', flexWrap: 'wrap', marginBottom: '8px' },
  editor: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase300, minHeight: '180px' },
  issues: { margin: '4px 0 0', paddingLeft: '20px', display: 'flex', flexDirection: 'column', gap: '4px' },
  status: { marginTop: '8px' },
});

export function issueText(issue: ProfileIssue): string {
  const lineText = issue.facts.line !== undefined ? t('prepare.profile.line', { line: issue.facts.line }) : '';
  return copy.t(`provision.profileIssues.${issue.code}`, { ...issue.facts, path: issue.path === '' ? t('prepare.profile.whole') : issue.path, lineText });
}

export interface ProfileEditorProps {
  text: string;
  onText(text: string, name?: string): void;
  check: ProfileCheck | null;
  onCheck(check: ProfileCheck | null): void;
  disabled: boolean;
}

export function ProfileEditor({ text, onText, check, onCheck, disabled }: ProfileEditorProps): ReactNode {
  const styles = useStyles();
  const fileInput = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<ServiceError | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  // Only the newest text's answer counts; an older one arriving late is dropped.
  useEffect(() => {
    if (text.trim() === '') {
      onCheck(null);
      setChecking(false);
      return;
    }
    let current = true;
    setChecking(true);
    const timer = setTimeout(() => {
      void skm()
        .validateProfile({ text })
        .then((result) => {
          if (!current) return;
          setChecking(false);
          if (result.ok) onCheck(result.value);
          else setError(result.error);
        });
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text, onCheck]);

  const open = async (): Promise<void> => {
    setError(null);
    const result = await skm().openProfileFile({});
    if (result.ok) {
      if (result.value) {
        onText(result.value.text, result.value.name);
        setLoaded(result.value.name);
      }
    } else if (result.error.code === 'UNSUPPORTED') {
      // No shell dialog here (a browser): the page's own file picker reads the file.
      fileInput.current?.click();
    } else {
      setError(result.error);
    }
  };

  const picked = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > MAX_PROFILE_BYTES) {
      setError({ code: 'FILE_ACCESS', facts: { reason: 'profile-too-large', path: file.name } });
      return;
    }
    onText(await file.text(), file.name);
    setLoaded(file.name);
  };

  const issues = check && !check.valid ? check.issues : [];
  return (
    <>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      <div className={styles.toolbar}>
        <Button icon={<DocumentRegular />} onClick={() => void open()} disabled={disabled}>
          {t('prepare.profile.open')}
        </Button>
        <Button
          icon={<SparkleRegular />}
          onClick={() => {
            onText(EXAMPLE_PROFILE);
            setLoaded(null);
          }}
          disabled={disabled}
        >
          {t('prepare.profile.example')}
        </Button>
        <input ref={fileInput} type="file" accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml" aria-label={t('prepare.profile.openFile')} hidden onChange={(event) => void picked(event)} />
      </div>
      {loaded ? (
        <Text as="p" size={200}>
          {t('prepare.profile.loaded', { name: loaded })}
        </Text>
      ) : null}
      <Field label={t('prepare.profile.label')}>
        <Textarea
          value={text}
          onChange={(_event, data) => {
            onText(data.value);
            setLoaded(null);
          }}
          resize="vertical"
          rows={9}
          disabled={disabled}
          textarea={{ className: styles.editor, spellCheck: false, autoCapitalize: 'off', autoCorrect: 'off' }}
        />
      </Field>
      <div className={styles.status} aria-live="polite">
        {text.trim() === '' ? (
          <Text>{t('prepare.profile.empty')}</Text>
        ) : checking || !check ? (
          <Spinner size="tiny" label={t('prepare.profile.checking')} />
        ) : check.valid ? (
          <MessageBar intent="success">
            <MessageBarBody>{t('prepare.profile.valid')}</MessageBarBody>
          </MessageBar>
        ) : (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              {t('prepare.profile.mistakes', { count: issues.length })}
              <ul className={styles.issues} aria-label={t('prepare.profile.mistakesLabel')}>
                {issues.map((issue, index) => (
                  <li key={`${issue.path}-${issue.code}-${index}`}>{issueText(issue)}</li>
                ))}
              </ul>
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
    </>
  );
}
