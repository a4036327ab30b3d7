/**
 * Large blobs on the Passkeys page (CTAP 2.1 §6.10): which passkey holds data (a badge), what it
 * holds (text when it reads as text, else hexadecimal), deleting one passkey's data, and data no
 * passkey opens any more ("Remove orphaned data"). main reads the blobs through the `blobs.*`
 * operations with the passkeys' largeBlobKeys; every deletion is confirmed by the key's flow,
 * naming the website, the account and the size.
 * @module
 */
import { Badge, Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import { BroomRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import type { OperationOutputs } from '../../main/ipc/contract.js';
import { SettingCard } from '../app/layout.js';
import { t } from '../app/words.js';

export type BlobList = OperationOutputs['blobs.list'];
export type BlobRecord = BlobList['passkeys'][number];

const useStyles = makeStyles({
  panel: { flexBasis: '100%', display: 'flex', flexDirection: 'column', gap: '6px', padding: '8px 0 4px' },
  content: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    margin: 0,
    padding: '8px 12px',
    maxHeight: '200px',
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
  },
  actions: { display: 'flex', gap: '8px' },
});

export function bytesText(count: number): string {
  return t('passkeys.bytes', { count });
}

/** The blob record of a passkey that holds something (stored or damaged), if any. */
export function blobOf(blobs: BlobList | null, credentialId: string): BlobRecord | undefined {
  return blobs?.passkeys.find((p) => p.credentialId === credentialId && p.blob !== 'none');
}

export function BlobBadge({ blob }: { blob: BlobRecord }): ReactNode {
  if (blob.blob === 'damaged') {
    return (
      <Badge appearance="tint" color="warning">
        {t('passkeys.blobDamaged')}
      </Badge>
    );
  }
  return (
    <Badge appearance="tint" color="brand">
      {t('passkeys.blobBadge', { bytes: bytesText(blob.size ?? 0) })}
    </Badge>
  );
}

/** What one passkey's blob holds, with its delete action. `id` names the region for aria-controls. */
export function BlobPanel({ id, blob, account, busy, onDelete }: { id: string; blob: BlobRecord; account: string; busy: boolean; onDelete(): void }): ReactNode {
  const styles = useStyles();
  return (
    <div className={styles.panel} id={id} role="region" aria-label={t('passkeys.blobRegion', { rpId: blob.rpId, account })}>
      {blob.blob === 'damaged' ? (
        <Text>{t('passkeys.blobDamagedBody')}</Text>
      ) : (
        <>
          <Text>{t('passkeys.blobSize', { bytes: bytesText(blob.size ?? 0) })}</Text>
          <Text>{blob.text !== null ? t('passkeys.blobAsText') : t('passkeys.blobAsHex')}</Text>
          {/* Focusable so long data scrolls from the keyboard too. */}
          <pre className={styles.content} tabIndex={0}>
            {blob.text ?? blob.hex}
          </pre>
        </>
      )}
      <div className={styles.actions}>
        <Button disabledFocusable={busy} aria-label={t('passkeys.deleteBlobLabel', { rpId: blob.rpId, account })} onClick={onDelete}>
          {t('passkeys.deleteBlob')}
        </Button>
      </div>
    </div>
  );
}

/** Data that belongs to no passkey on the key, with the action that removes it. */
export function OrphansCard({ orphans, busy, onPrune }: { orphans: BlobList['orphans']; busy: boolean; onPrune(): void }): ReactNode {
  if (orphans.count === 0) return null;
  return (
    <SettingCard
      icon={<BroomRegular />}
      title={t('passkeys.prune')}
      description={t('passkeys.orphans', { count: orphans.count, bytesText: bytesText(orphans.bytes) })}
      actions={
        <Button disabledFocusable={busy} onClick={onPrune}>
          {t('passkeys.prune')}
        </Button>
      }
    />
  );
}
