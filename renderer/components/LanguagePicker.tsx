/**
 * The app's language: follow the system (the default) or one of the app's languages, each named
 * in itself. The pseudo-locale is listed only while it is on (tests, `?lang=qps-ploc`).
 * @module
 */
import { makeStyles, Select, useId } from '@fluentui/react-components';
import { LocalLanguageRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { APP_LANGUAGES, LANGUAGE_NAMES, matchLanguage, PSEUDO_LOCALE, type AppLanguage, type DisplayLanguage } from '../../main/copy/languages.js';
import { savedLanguage, t } from '../app/words.js';

const SYSTEM = 'system';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: '8px', minWidth: 0 },
  select: { minWidth: '0', maxWidth: '100%' },
});

export function LanguagePicker({ language, onChoose }: { language: DisplayLanguage; onChoose(choice: AppLanguage | null): void }): ReactNode {
  const styles = useStyles();
  const id = useId('language');
  // "System" only while the app shows the system's language (`?lang=` may have chosen another).
  const value = language === PSEUDO_LOCALE ? PSEUDO_LOCALE : (savedLanguage() ?? (language === matchLanguage(navigator.languages) ? SYSTEM : language));
  return (
    <div className={styles.root}>
      <LocalLanguageRegular aria-hidden="true" />
      <Select
        id={id}
        className={styles.select}
        size="small"
        appearance="underline"
        aria-label={t('language.label')}
        value={value}
        onChange={(_event, data) => onChoose(data.value === SYSTEM || data.value === PSEUDO_LOCALE ? null : (data.value as AppLanguage))}
      >
        <option value={SYSTEM}>{t('language.system')}</option>
        {APP_LANGUAGES.map((tag) => (
          <option key={tag} value={tag} lang={tag}>
            {LANGUAGE_NAMES[tag]}
          </option>
        ))}
        {language === PSEUDO_LOCALE ? <option value={PSEUDO_LOCALE}>{PSEUDO_LOCALE}</option> : null}
      </Select>
    </div>
  );
}
