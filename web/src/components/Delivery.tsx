// Where the console's messages stand: the e-mail of an invitation, the reminder of an appointment.
// Only how a message travels and where it is are shown, never its text.
import { useTranslation } from 'react-i18next';
import type { DeliveryFieldsFragment, ReminderOutcome } from '../gql/graphql';
import { formatDate, formatNumber } from '../i18n';

export type Delivery = DeliveryFieldsFragment;

/** The languages a message can be written in (the server's templates), Italian first. */
export const MESSAGE_LANGUAGES = ['it', 'en', 'fr', 'ar', 'ro'] as const;

/** The newest of a message's deliveries (the API lists them newest first). */
export function latestDelivery(deliveries: readonly Delivery[]): Delivery | undefined {
  return deliveries[0];
}

/**
 * What is known of the tries of a message that has not gone yet, or has failed: their number and
 * the class of the last failure, in the console's language (a class it does not know, as it is).
 */
function useTries() {
  const { t, i18n } = useTranslation();
  return (d: Delivery) => {
    if (d.attempts === 0) return '';
    const parts = [t('delivery.tries', { count: d.attempts, n: formatNumber(d.attempts) })];
    if (d.lastError) {
      const error = i18n.exists(`delivery.errors.${d.lastError}`) ? t(`delivery.errors.${d.lastError}`) : d.lastError;
      parts.push(t('delivery.lastError', { error }));
    }
    return ` (${parts.join(t('common.separator'))})`;
  };
}

/** The badge colour of a delivery status. */
function tone(status: Delivery['status'] | 'NONE'): string {
  if (status === 'SENT') return 'bg-success';
  if (status === 'PENDING') return 'bg-warning';
  if (status === 'NONE') return 'bg-secondary';
  return 'bg-danger';
}

/** The latest e-mail of an invitation: sent (when), waiting (with its tries), failed or refused. */
export function InvitationDelivery({ deliveries }: { deliveries: readonly Delivery[] }) {
  const { t, i18n } = useTranslation();
  const tries = useTries();
  const d = latestDelivery(deliveries);
  if (!d) {
    return (
      <span data-testid="invitation-delivery" data-status="none">
        <span className={`badge ${tone('NONE')}`}>{t('delivery.none')}</span>
      </span>
    );
  }
  const label = d.status === 'SENT' && d.sentAt ? t('delivery.email.SENT', { date: formatDate(d.sentAt, true) }) : t(`delivery.email.${d.status}`);
  const language = i18n.exists(`delivery.in.${d.language}`) ? t(`delivery.in.${d.language}`) : d.language;
  return (
    <span data-testid="invitation-delivery" data-status={d.status.toLowerCase()}>
      <span className={`badge ${tone(d.status)}`}>{label}</span> · {language}
      {d.status !== 'SENT' && tries(d)}
    </span>
  );
}

/**
 * The state of an appointment's reminder: when it is due, or what became of it (queued and its
 * delivery, or why nothing was sent). Nothing for a cancelled appointment whose reminder was never
 * due.
 */
export function ReminderState({
  remindAt,
  outcome,
  deliveries,
  booked,
}: {
  remindAt: string;
  outcome: ReminderOutcome | null;
  deliveries: readonly Delivery[];
  booked: boolean;
}) {
  const { t } = useTranslation();
  const tries = useTries();
  let text: string;
  let state: string;
  if (!outcome) {
    if (!booked) return null;
    text = t('reminder.due', { date: formatDate(remindAt, true) });
    state = 'due';
  } else if (outcome !== 'QUEUED') {
    text = t(`reminder.${outcome}`);
    state = outcome.toLowerCase();
  } else {
    const d = latestDelivery(deliveries);
    if (!d) {
      text = t('reminder.queued');
      state = 'queued';
    } else if (d.status === 'SENT') {
      text = t(`reminder.sent.${d.channel}`, { date: formatDate(d.sentAt ?? d.queuedAt, true) });
      state = 'sent';
    } else {
      text = `${t(`reminder.${d.status.toLowerCase()}.${d.channel}`)}${tries(d)}`;
      state = d.status.toLowerCase();
    }
  }
  const warn = state === 'no_consent' || state === 'no_contact' || state === 'too_late' || state === 'failed' || state === 'bounced';
  return (
    <div className={`small mt-1${warn ? ' fw-semibold' : ''}`} data-testid="reminder-state" data-state={state}>
      {text}
    </div>
  );
}
