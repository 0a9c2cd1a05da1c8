import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/States';

export default function Dashboard() {
  const { t } = useTranslation();
  return (
    <>
      <h1 className="h2">{t('dashboard.title')}</h1>
      <EmptyState title={t('dashboard.unavailable')}>{t('dashboard.unavailableHelp')}</EmptyState>
    </>
  );
}
