/**
 * "Touch your security key", in the vendor's words for this key and transport (the flow names the
 * instruction; the catalogue words it). Announced politely to screen readers.
 * @module
 */
import { makeStyles, Spinner, Text } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { TouchNotice } from '../app/operations.js';
import { copy } from '../app/words.js';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'center', gap: '12px', padding: '8px 0' },
});

export function TouchPrompt({ touch }: { touch: TouchNotice }): ReactNode {
  const styles = useStyles();
  return (
    <div className={styles.row}>
      <Spinner size="small" aria-hidden="true" />
      <Text role="status" aria-live="polite" size={400} weight="semibold">
        {copy.touch(touch.instruction, touch.noun)}
      </Text>
    </div>
  );
}
