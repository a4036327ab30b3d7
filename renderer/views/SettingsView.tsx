/**
 * Settings (CTAP 2.1 authenticatorConfig): always require verification, minimum PIN length (with
 * the websites allowed to read it, and a forced PIN change), enterprise attestation. Each card says
 * its side effects up front; the key's flow then asks to confirm them before anything is applied.
 * @module
 */
import { Button, Checkbox, Field, Input, makeStyles, MessageBar, MessageBarBody, Switch, Textarea } from '@fluentui/react-components';
import { BuildingRegular, NumberSymbolRegular, ShieldCheckmarkRegular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import type { ServiceError } from '../../main/ipc/contract.js';
import { Section, SettingCard } from '../app/layout.js';
import { useOperations } from '../app/operations.js';
import { copy, t } from '../app/words.js';
import { ErrorBar } from '../components/ErrorBar.js';
import type { KeyViewProps } from './KeyPage.js';
import { SuccessBar, type Notice } from './ManageView.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '12px', paddingTop: '12px', maxWidth: '520px' },
});

export function SettingsView({ deviceId, info, reload }: KeyViewProps): ReactNode {
  const styles = useStyles();
  const { run, busy } = useOperations();
  const [error, setError] = useState<ServiceError | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const current = Math.max(4, info.minPinLength);
  const [minLength, setMinLength] = useState(String(current));
  const [rpIds, setRpIds] = useState('');
  const [forceChange, setForceChange] = useState(false);

  if (info.options.authnrCfg === undefined) {
    return (
      <MessageBar intent="info">
        <MessageBarBody>{copy.feature('authenticator-config')}</MessageBarBody>
      </MessageBar>
    );
  }

  const settle = async (result: { ok: true } | { ok: false; error: ServiceError }, text: string): Promise<void> => {
    if (result.ok) setNotice({ text });
    else setError(result.error);
    await reload();
  };
  const begin = (): void => {
    setError(null);
    setNotice(null);
  };
  const alwaysUv = async (on: boolean): Promise<void> => {
    begin();
    await settle(await run('settings.alwaysUv', { on }, deviceId), t('settings.saved'));
  };
  const requested = Number.parseInt(minLength, 10);
  const lengthValid = Number.isInteger(requested) && requested >= current && requested <= 63;
  const applyMinLength = async (): Promise<void> => {
    begin();
    const sites = rpIds.split(/\s+/).filter(Boolean);
    const result = await run('settings.minPinLength', { minPinLength: requested, rpIds: sites, forceChangePin: forceChange }, deviceId);
    await settle(result, t('settings.applied', { minLength: requested }));
  };
  const enterprise = async (): Promise<void> => {
    begin();
    await settle(await run('settings.enterpriseAttestation', {}, deviceId), t('settings.saved'));
  };
  const maxSites = info.maxRpIdsForSetMinPinLength ?? 0;

  return (
    <>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      <SuccessBar notice={notice} />
      <Section title={t('settings.heading')} id="section-settings">
        {info.options.alwaysUv !== undefined ? (
          <SettingCard
            icon={<ShieldCheckmarkRegular />}
            title={t('settings.alwaysUvTitle')}
            description={t('settings.alwaysUvBody')}
            actions={
              <Switch
                checked={info.options.alwaysUv}
                disabled={busy}
                label={info.options.alwaysUv ? t('settings.alwaysUvOn') : t('settings.alwaysUvOff')}
                labelPosition="before"
                aria-label={t('settings.alwaysUvTitle')}
                onChange={(_e, data) => void alwaysUv(data.checked)}
              />
            }
          />
        ) : null}
        {info.options.setMinPINLength ? (
          <SettingCard icon={<NumberSymbolRegular />} title={t('settings.minPinTitle')} description={`${t('settings.minPinBody')} ${t('settings.minPinCurrent', { minLength: current })}`}>
            <form
              className={styles.form}
              onSubmit={(event) => {
                event.preventDefault();
                if (lengthValid) void applyMinLength();
              }}
            >
              <Field label={t('settings.minPinLabel')} validationState={lengthValid ? 'none' : 'error'} validationMessage={lengthValid ? undefined : copy.error({ code: 'PIN_POLICY', facts: { reason: 'only-goes-up', current }, details: '' }).message}>
                <Input type="number" min={current} max={63} value={minLength} onChange={(_e, data) => setMinLength(data.value)} />
              </Field>
              {maxSites > 0 ? (
                <Field label={t('settings.rpIdsLabel')}>
                  <Textarea value={rpIds} resize="vertical" onChange={(_e, data) => setRpIds(data.value)} />
                </Field>
              ) : null}
              <Checkbox checked={forceChange} label={t('settings.forceChange')} onChange={(_e, data) => setForceChange(data.checked === true)} />
              <div>
                <Button type="submit" appearance="primary" disabled={busy || !lengthValid}>
                  {t('settings.apply')}
                </Button>
              </div>
            </form>
          </SettingCard>
        ) : null}
        {info.options.ep !== undefined ? (
          <SettingCard
            icon={<BuildingRegular />}
            title={t('settings.eaTitle')}
            description={info.options.ep ? t('settings.eaOn') : t('settings.eaBody')}
            actions={
              info.options.ep ? null : (
                <Button disabledFocusable={busy} onClick={() => void enterprise()}>
                  {t('settings.eaTurnOn')}
                </Button>
              )
            }
          />
        ) : (
          <SettingCard icon={<BuildingRegular />} title={t('settings.eaTitle')} description={t('settings.eaUnsupported')} />
        )}
      </Section>
    </>
  );
}
