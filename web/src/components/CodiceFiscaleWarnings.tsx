// What a codice fiscale was accepted with but deserves a look, shown next to the field: the code
// contradicts the record's sex, birth date or country of birth, or another person holds the same
// code once omocodia letters are mapped back (possibly the same person). Never a refusal.
import { useTranslation } from 'react-i18next';
import type { PersonWarningCode } from '../gql/graphql';

export type CodiceFiscaleWarning = { code: PersonWarningCode; personId?: string | null };

export function CodiceFiscaleWarnings({ warnings }: { warnings: CodiceFiscaleWarning[] }) {
  const { t } = useTranslation();
  if (warnings.length === 0) return null;
  // One line per kind: several possible duplicates say it once.
  const codes = [...new Set(warnings.map((w) => w.code))];
  return (
    <div className="alert alert-warning py-2 mt-n2 mb-3" role="status" data-testid="codice-fiscale-warnings">
      <p className="fw-semibold mb-1">{t('persons.cfWarnings.title')}</p>
      <ul className="mb-0">
        {codes.map((code) => (
          <li key={code} data-code={code}>
            {t(`persons.cfWarnings.${code}`)}
          </li>
        ))}
      </ul>
    </div>
  );
}
