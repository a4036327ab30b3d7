/**
 * Windows Settings' building blocks: a page with a 28 px title, section headers in body-strong,
 * and setting cards (icon, title, description, action on the right) on the card layer, 4 px apart.
 * @module
 */
import { makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '4px', marginBottom: '24px' },
  sectionTitle: { marginBottom: '4px', marginTop: '4px' },
  card: {
    display: 'flex',
    alignItems: 'center',
    gap: '16px',
    minHeight: '68px',
    boxSizing: 'border-box',
    padding: '16px',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  cardColumn: { flexDirection: 'column', alignItems: 'stretch' },
  icon: { fontSize: '20px', display: 'flex', color: tokens.colorNeutralForeground1 },
  text: { display: 'flex', flexDirection: 'column', flexGrow: 1, minWidth: 0 },
  description: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', gap: '8px', alignItems: 'center', flexShrink: 0 },
});

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }): ReactNode {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-labelledby={id}>
      <Text as="h2" id={id} weight="semibold" size={400} className={styles.sectionTitle}>
        {title}
      </Text>
      {children}
    </section>
  );
}

export interface SettingCardProps {
  icon?: ReactNode;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** Content below the title row (lists, forms). */
  children?: ReactNode;
  headingLevel?: 'h2' | 'h3';
}

export function SettingCard({ icon, title, description, actions, children, headingLevel = 'h3' }: SettingCardProps): ReactNode {
  const styles = useStyles();
  const row = (
    <div className={styles.card} style={children ? { border: 'none', padding: 0, minHeight: 0, backgroundColor: 'transparent' } : undefined}>
      {icon ? <span className={styles.icon} aria-hidden="true">{icon}</span> : null}
      <div className={styles.text}>
        <Text as={headingLevel} weight="regular" size={300} style={{ margin: 0 }}>
          {title}
        </Text>
        {description ? (
          <Text size={200} className={styles.description}>
            {description}
          </Text>
        ) : null}
      </div>
      {actions ? <div className={styles.actions}>{actions}</div> : null}
    </div>
  );
  if (!children) return row;
  return (
    <div className={mergeClasses(styles.card, styles.cardColumn)}>
      {row}
      {children}
    </div>
  );
}
