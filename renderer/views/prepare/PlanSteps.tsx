/**
 * What a valid profile will do to each key, in plain words and in the order the engine does it
 * (main/service/provisioning/plan.ts): which keys are accepted, then reset → PIN → always-verify
 * → enterprise attestation → minimum PIN length and forced change → read back.
 * @module
 */
import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { Profile } from '../../../main/ipc/contract.js';
import { t } from '../../app/words.js';

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: '24px', display: 'flex', flexDirection: 'column', gap: '6px', color: tokens.colorNeutralForeground1 },
  accept: { listStyleType: 'disc' },
});

const DIGITS = '0123456789';
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function alphabetText(alphabet: string): string {
  if (alphabet === DIGITS) return t('prepare.plan.digits');
  if (alphabet === ALPHANUMERIC) return t('prepare.plan.letters');
  return t('prepare.plan.custom', { alphabet });
}

/** Who is accepted, as sentences (empty when every key is). */
function acceptance(profile: Profile): string[] {
  const { allow, deny, minFirmware, capabilities } = profile.accept;
  return [
    ...(allow ? [t('prepare.plan.allow', { count: allow.length })] : []),
    ...(deny?.length ? [t('prepare.plan.deny', { count: deny.length })] : []),
    ...(minFirmware !== undefined ? [t('prepare.plan.minFirmware', { limit: minFirmware })] : []),
    ...(capabilities?.length ? [t('prepare.plan.capabilities', { list: capabilities.join(', ') })] : []),
  ];
}

export function planSteps(profile: Profile): string[] {
  const steps: string[] = [];
  steps.push(profile.reset === 'always' ? t('prepare.plan.resetAlways') : profile.reset === 'if-pin-set' ? t('prepare.plan.resetIfPinSet') : t('prepare.plan.resetNever'));
  const { pin } = profile;
  steps.push(pin === null ? t('prepare.plan.pinNone') : pin.mode === 'random' ? t('prepare.plan.pinRandom', { length: pin.length, alphabet: alphabetText(pin.alphabet) }) : t('prepare.plan.pinShared'));
  if (profile.alwaysUv) steps.push(t('prepare.plan.alwaysUv'));
  if (profile.enterpriseAttestation) steps.push(t('prepare.plan.enterpriseAttestation'));
  if (profile.minPinLength !== undefined) steps.push(t('prepare.plan.minPinLength', { limit: profile.minPinLength }));
  if (profile.minPinLengthRpIds.length > 0) steps.push(t('prepare.plan.rpIds', { list: profile.minPinLengthRpIds.join(', ') }));
  if (profile.forcePinChange) steps.push(t('prepare.plan.forcePinChange'));
  steps.push(t('prepare.plan.verify'));
  steps.push(t('prepare.plan.label', { example: profile.label.replaceAll('{n}', '1') }));
  return steps;
}

export function PlanSteps({ profile }: { profile: Profile }): ReactNode {
  const styles = useStyles();
  const accepted = acceptance(profile);
  return (
    <>
      {accepted.length > 0 ? (
        <ul className={styles.list}>
          {accepted.map((text) => (
            <li key={text} className={styles.accept}>
              {text}
            </li>
          ))}
        </ul>
      ) : null}
      <ol className={styles.list} aria-label={t('prepare.plan.listLabel')}>
        {planSteps(profile).map((text) => (
          <li key={text}>{text}</li>
        ))}
      </ol>
    </>
  );
}
