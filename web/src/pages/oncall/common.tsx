// What the on-call screens share: statuses as badges, a request's time window, durations against
// targets, the thread of a legal consultation, a polite live notice, and the dialog that asks
// why a request is cancelled.
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal, ModalBody, ModalFooter, ModalHeader } from 'design-react-kit';
import type { ApiErrorItem } from '../../api/client';
import { FormErrors, TextArea } from '../../components/Form';
import { formatDate } from '../../i18n';
import { useIsoNames } from '../../iso';
import { tenantTimeZone } from '../../time';
import type { OnCallConsultationFieldsFragment, OnCallRequestFieldsFragment } from '../../gql/graphql';
import { formatDuration } from '../volunteers/tasks/common';

export type MediationRow = OnCallRequestFieldsFragment;
export type ConsultationRow = OnCallConsultationFieldsFragment;

export const MEDIATION_PURPOSES = ['ENROLMENT', 'PARENT_TEACHER_MEETING', 'SOCIAL_ASSESSMENT', 'HEALTH_VISIT', 'OTHER'] as const;
export const LEGAL_CATEGORIES = ['PERMIT', 'CITIZENSHIP', 'FAMILY_REUNIFICATION', 'ASYLUM', 'WORK', 'OTHER'] as const;
export const REQUESTER_KINDS = ['SCHOOL', 'SOCIAL_SERVICE', 'CLINIC', 'OTHER'] as const;
export const URGENCIES = ['URGENT', 'NORMAL'] as const;

/** Each status's colour, among the console's status badges (contrast checked). */
const COLOUR: Record<string, string> = {
  OPEN: 'intake',
  CONFIRMED: 'active',
  DONE: 'monitoring',
  CLOSED: 'closed',
  CANCELLED: 'closed',
  TAKEN: 'monitoring',
  ANSWERED: 'active',
};

export function MediationStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status-badge status-${COLOUR[status] ?? 'intake'}`} data-status={status} data-testid="mediation-status">
      {t(`oncall.mediationStatus.${status}`)}
    </span>
  );
}

export function ConsultationStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status-badge status-${COLOUR[status] ?? 'intake'}`} data-status={status} data-testid="consultation-status">
      {t(`oncall.consultationStatus.${status}`)}
    </span>
  );
}

export function UrgencyBadge({ urgency }: { urgency: string }) {
  const { t } = useTranslation();
  if (urgency !== 'URGENT') return null;
  return <span className="badge status-badge status-alert">{t('oncall.urgency.URGENT')}</span>;
}

function timeOf(iso: string, language: string) {
  return new Intl.DateTimeFormat(language, { timeStyle: 'short', timeZone: tenantTimeZone() }).format(new Date(iso));
}

/** `12 dic 2026, 10:00 – 12:00`, on the tenant's clock. */
export function useWindow() {
  const { i18n } = useTranslation();
  return (startsAt: string, endsAt: string) => {
    const sameDay = formatDate(startsAt) === formatDate(endsAt);
    return `${formatDate(startsAt, true)} – ${sameDay ? timeOf(endsAt, i18n.language) : formatDate(endsAt, true)}`;
  };
}

/** Seconds as the shortest sensible duration: minutes, hours and minutes, or days and hours. */
export function useSeconds() {
  const { i18n } = useTranslation();
  return (seconds: number) => {
    const minutes = Math.max(0, Math.round(seconds / 60));
    if (minutes < 48 * 60) return formatDuration(minutes, i18n.language);
    const days = Math.floor(minutes / 1440);
    const hours = Math.round((minutes % 1440) / 60);
    const unit = (value: number, u: 'day' | 'hour') => new Intl.NumberFormat(i18n.language, { style: 'unit', unit: u, unitDisplay: 'long' }).format(value);
    return new Intl.ListFormat(i18n.language, { type: 'unit', style: 'narrow' }).format([unit(days, 'day'), ...(hours ? [unit(hours, 'hour')] : [])]);
  };
}

/** A request's heading: the language (and dialect) and the purpose. */
export function useRequestTitle() {
  const { t } = useTranslation();
  const { language } = useIsoNames();
  return (r: Pick<MediationRow, 'language' | 'dialect' | 'purpose'>) =>
    `${language(r.language)}${r.dialect ? ` (${r.dialect})` : ''} · ${t(`oncall.purpose.${r.purpose}`)}`;
}

/** The time from the request to the confirmation, against the target. */
export function Activation({ seconds, target }: { seconds: number | null | undefined; target: number }) {
  const { t } = useTranslation();
  const duration = useSeconds();
  if (seconds === null || seconds === undefined) return null;
  const within = seconds <= target;
  return (
    <span data-testid="activation" data-within={within}>
      {t(within ? 'oncall.activation.within' : 'oncall.activation.beyond', { time: duration(seconds), target: duration(target) })}
    </span>
  );
}

/** The question, answers and follow-ups of a consultation, oldest first. */
export function Thread({ c }: { c: ConsultationRow }) {
  const { t } = useTranslation();
  return (
    <ol className="list-unstyled legal-thread mb-2" data-testid="legal-thread">
      {c.messages.map((m, i) => (
        <li key={i} className={`legal-message legal-${m.kind.toLowerCase()}`} data-kind={m.kind}>
          <p className="small fw-semibold mb-1">
            {t(`oncall.legal.messageKind.${m.kind}`)} · {formatDate(m.createdAt, true)}
          </p>
          <p className="mb-0 text-break legal-body">
            <bdi>{m.body}</bdi>
          </p>
        </li>
      ))}
    </ol>
  );
}

/** A polite live region: what arrived without a reload, read by a screen reader when it can. */
export function LiveNotice({ text }: { text: string }) {
  return (
    <div className="live-notice" role="status" aria-live="polite" aria-atomic="true" data-testid="live-notice">
      {text && <div className="alert alert-info py-2 mb-3">{text}</div>}
    </div>
  );
}

/** A dialog asking why, then doing the destructive action. */
export function ReasonDialog({
  open,
  title,
  body,
  label,
  confirm,
  maxLength,
  errors,
  busy,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  body: ReactNode;
  label: string;
  confirm: string;
  maxLength: number;
  errors: ApiErrorItem[];
  busy: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const [reason, setReason] = useState('');
  const fieldError = errors.find((e) => e.field === 'reason');
  return (
    <Modal isOpen={open} toggle={onClose} labelledBy={titleId} data-testid="reason-dialog">
      <ModalHeader toggle={onClose} id={titleId}>
        {title}
      </ModalHeader>
      <ModalBody>
        <p>{body}</p>
        <TextArea label={label} value={reason} onChange={setReason} maxLength={maxLength} required error={fieldError} />
        <FormErrors errors={errors.filter((e) => e.field !== 'reason')} />
      </ModalBody>
      <ModalFooter>
        <button type="button" className="btn btn-outline-primary" onClick={onClose} data-testid="confirm-keep">
          {t('confirm.keep')}
        </button>
        <button type="button" className="btn btn-danger" disabled={busy} aria-busy={busy || undefined} onClick={() => onConfirm(reason)} data-testid="confirm-yes">
          {confirm}
        </button>
      </ModalFooter>
    </Modal>
  );
}
