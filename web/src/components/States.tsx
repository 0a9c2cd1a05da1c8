import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Alert, Callout, CalloutTitle, Spinner } from 'design-react-kit';
import type { ApiError } from '../api/client';
import { useErrorText } from './Form';

/** Explains an empty list and what to do next. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Callout color="note" className="empty-state" testId="empty-state">
      <CalloutTitle>{title}</CalloutTitle>
      {children && <p className="mb-2">{children}</p>}
      {action}
    </Callout>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="d-flex align-items-center gap-2 my-3" role="status">
      <Spinner active small aria-hidden="true" />
      <span>{t('common.loading')}</span>
    </div>
  );
}

export function LoadError({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  const text = useErrorText();
  return (
    <Alert color="danger">
      <p className="mb-1 fw-semibold">{t('common.loadFailed')}</p>
      {error.items.map((e, i) => (
        <p key={i} className="mb-0">
          {text(e)}
        </p>
      ))}
    </Alert>
  );
}

/**
 * An item of a detail page that this tenant does not have, or that does not exist: said once, as
 * the page's heading, with the way back to its list (never the raw `NOT_FOUND` of each query).
 */
export function NotFound({ title, help, back }: { title: string; help: string; back: { to: string; label: string } }) {
  return (
    <div data-testid="item-not-found">
      <h1 className="h2">{title}</h1>
      <p>{help}</p>
      <Link to={back.to}>{back.label}</Link>
    </div>
  );
}
