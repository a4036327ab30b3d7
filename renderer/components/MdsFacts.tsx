/**
 * What the FIDO Metadata Service says of the key's model (description, certification, latest
 * status, whether it has an icon), on the Details page when the service was given a BLOB.
 * Renders nothing without one.
 * @module
 */
import { makeStyles, MessageBar, MessageBarBody, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { MdsModelFacts } from '../../main/ipc/contract.js';
import { Section } from '../app/layout.js';
import { copy, t } from '../app/words.js';

const useStyles = makeStyles({
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '24px', rowGap: '8px', padding: '16px', backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0 },
});

/** Shared words (the CLI's `skm info --mds` says the same). */
function w(key: string, facts: Record<string, unknown> = {}): string {
  return copy.t(`attestation.mds.${key}`, facts);
}

export function MdsFacts({ mds }: { mds: MdsModelFacts | undefined }): ReactNode {
  const styles = useStyles();
  if (!mds) return null;
  const notReported = t('details.notReported');
  const rows: [string, string][] = mds.listed
    ? [
        [w('description'), mds.description ?? notReported],
        [w('certification'), mds.certification ?? notReported],
        [w('status'), mds.status ?? notReported],
        [w('icon'), w(mds.hasIcon ? 'hasIcon' : 'noIcon')],
        [w('blob'), String(mds.blobNumber)],
      ]
    : [];
  return (
    <Section title={w('heading')} id="section-mds">
      {mds.unfit && (
        <MessageBar intent="error">
          <MessageBarBody>{w('unfit', { status: mds.unfit })}</MessageBarBody>
        </MessageBar>
      )}
      {mds.listed ? (
        <dl className={styles.facts}>
          {rows.map(([term, value]) => [
            <dt key={`${term}-t`} className={styles.term}>
              {term}
            </dt>,
            <dd key={`${term}-d`} className={styles.value}>
              {value}
            </dd>,
          ])}
        </dl>
      ) : (
        <p>{w('notListed')}</p>
      )}
    </Section>
  );
}
