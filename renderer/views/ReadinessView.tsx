/**
 * Windows & Entra ID readiness: Microsoft's requirements for a "Microsoft-compatible security key"
 * (learn.microsoft.com › windows › security › identity-protection › hello-for-business ›
 * microsoft-compatible-security-key: resident key, client PIN, hmac-secret, multiple accounts per
 * RP), checked against getInfo, plus what registering needs now (a PIN, a free passkey slot).
 * @module
 */
import { makeStyles, MessageBar, MessageBarBody, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled, DismissCircleFilled, QuestionCircleRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { Section, SettingCard } from '../app/layout.js';
import { t } from '../app/words.js';
import type { KeyInfo, KeyViewProps } from './KeyPage.js';

type Check = 'fido2' | 'residentKey' | 'verification' | 'hmacSecret' | 'room' | 'pinSet' | 'multipleAccounts';
type Verdict = 'met' | 'missing' | 'unknown';

const useStyles = makeStyles({
  met: { color: tokens.colorPaletteGreenForeground1 },
  missing: { color: tokens.colorPaletteRedForeground1 },
  verdict: { display: 'flex', alignItems: 'center', gap: '6px', whiteSpace: 'nowrap' },
  intro: { display: 'block', marginBottom: '12px', color: tokens.colorNeutralForeground2 },
});

/** Each requirement from what the key reports; `unknown` where getInfo cannot tell. */
export function readiness(info: KeyInfo): Record<Check, Verdict> {
  const yes = (ok: boolean): Verdict => (ok ? 'met' : 'missing');
  return {
    fido2: yes(info.versions.some((v) => v.startsWith('FIDO_2'))),
    residentKey: yes(info.options.rk === true),
    verification: yes('clientPin' in info.options || info.options.uv !== undefined),
    hmacSecret: yes(info.extensions.includes('hmac-secret')),
    room: info.remainingDiscoverableCredentials === null ? 'unknown' : yes(info.remainingDiscoverableCredentials > 0),
    pinSet: yes(info.options.clientPin === true || info.options.uv === true),
    multipleAccounts: 'unknown',
  };
}

const ORDER: Check[] = ['fido2', 'residentKey', 'verification', 'hmacSecret', 'multipleAccounts', 'pinSet', 'room'];

export function ReadinessView({ info }: KeyViewProps): ReactNode {
  const styles = useStyles();
  const verdicts = readiness(info);
  const missing = ORDER.filter((check) => verdicts[check] === 'missing').length;
  const icon = (verdict: Verdict): ReactNode =>
    verdict === 'met' ? <CheckmarkCircleFilled className={styles.met} /> : verdict === 'missing' ? <DismissCircleFilled className={styles.missing} /> : <QuestionCircleRegular />;
  return (
    <Section title={t('readiness.heading')} id="section-readiness">
      <Text className={styles.intro}>{t('readiness.intro')}</Text>
      <MessageBar intent={missing === 0 ? 'success' : 'warning'} style={{ marginBottom: 8 }}>
        <MessageBarBody>{missing === 0 ? t('readiness.ready') : t('readiness.notReady', { count: missing })}</MessageBarBody>
      </MessageBar>
      {ORDER.map((check) => (
        <SettingCard
          key={check}
          icon={icon(verdicts[check])}
          title={t(`readiness.checks.${check}.title`)}
          description={t(`readiness.checks.${check}.body`)}
          actions={<Text className={styles.verdict}>{t(`readiness.${verdicts[check]}`)}</Text>}
        />
      ))}
    </Section>
  );
}
