import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/States';

export default function CrossTerritory() {
  const { t } = useTranslation();
  return (
    <>
      <h1 className="h2">{t('cross.title')}</h1>
      <EmptyState title={t('dashboard.unavailable')}>{t('dashboard.unavailableHelp')}</EmptyState>
    </>
  );
}
