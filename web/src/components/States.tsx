import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import { useErrorText } from './Form';

/** Explains an empty list and what to do next. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state callout note" data-testid="empty-state">
      <div className="callout-title">{title}</div>
      {children && <p className="mb-2">{children}</p>}
      {action}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="d-flex align-items-center gap-2 my-3" role="status">
      <div className="progress-spinner progress-spinner-active size-sm" aria-hidden="true" />
      <span>{t('common.loading')}</span>
    </div>
  );
}

export function LoadError({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  const text = useErrorText();
  return (
    <div className="alert alert-danger" role="alert">
      <p className="mb-1 fw-semibold">{t('common.loadFailed')}</p>
      {error.items.map((e, i) => (
        <p key={i} className="mb-0">
          {text(e)}
        </p>
      ))}
    </div>
  );
}
