// The person's appointments at the desks: booking (one or weekly, not on a closed case),
// cancellation after a question, and what became of each reminder.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from 'design-react-kit';
import { ApiError, request } from '../../api/client';
import { AppointmentSettingsQuery, AppointmentsQuery, BookAppointmentMutation, CancelAppointmentMutation, DesksQuery } from '../../api/operations';
import { ConfirmButton } from '../../components/Confirm';
import { FormErrors, SelectField, SubmitButton, TextField } from '../../components/Form';
import { EmptyState, LoadError, Loading } from '../../components/States';
import { namePastDates, useLoad, useSubmit } from '../../hooks';
import i18n, { formatDate, formatNumber } from '../../i18n';
import { localInput, tenantTimeZone, withOffset } from '../../time';
import { isolate } from '../../bidi';
import { ReminderState } from '../../components/Delivery';
import { Panel, localNow, type CaseData } from './shared';

/** What a reminder needs of the person: consent to be contacted by message, and an address or number. */
type Reachable = Pick<CaseData['person'], 'consents' | 'email' | 'phone'>;

/**
 * Why a reminder asked for now would not be sent, or null: the person's latest word on contact
 * by message is not a yes, or they have neither e-mail nor phone.
 */
export function reminderObstacle(person: Reachable): 'NO_CONSENT' | 'NO_CONTACT' | null {
  const consent = [...person.consents].reverse().find((c) => c.purpose === 'CONTACT_BY_MESSAGE');
  if (!consent?.given) return 'NO_CONSENT';
  if (!person.email?.trim() && !person.phone?.trim()) return 'NO_CONTACT';
  return null;
}

/**
 * The time of day of a date-time on the tenant's clock, in the console's language; with the zone's
 * name when `withZone` (the night clocks go back, 02:30 and the second 02:00 need it).
 */
export function timeOf(iso: string, withZone = false): string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', timeZone: tenantTimeZone() };
  if (withZone) options.timeZoneName = 'short';
  return new Intl.DateTimeFormat(i18n.language, options).format(new Date(iso));
}

/** Whether the tenant's clock changes between two instants (then times are shown with the zone). */
export function clockChangesBetween(from: string, to: string): boolean {
  const name = (iso: string) => timeOf(iso, true).replace(timeOf(iso), '');
  return name(from) !== name(to);
}

/** The person's appointments, with booking (one or weekly) and cancellation. */
export function Appointments({ personId, caseId, closed, person }: { personId: string; caseId: string; closed: boolean; person: Reachable }) {
  const { t } = useTranslation();
  const list = useLoad(() => request(AppointmentsQuery, { personId }), [personId]);
  const cancel = useSubmit([]);
  const appointments = [...(list.data?.appointments.nodes ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  type Appointment = (typeof appointments)[number];
  const hasFollowing = (a: Appointment) =>
    !!a.seriesId && appointments.some((x) => x.seriesId === a.seriesId && x.status === 'BOOKED' && x.startsAt > a.startsAt);
  const doCancel = async (a: Appointment, following: boolean) => {
    if (await cancel.run(() => request(CancelAppointmentMutation, { id: a.id, following }))) list.reload();
  };
  return (
    <>
      {list.loading && !list.data && <Loading />}
      {list.error && <LoadError error={list.error} />}
      {list.data && appointments.length === 0 && <EmptyState title={t('appointments.empty')}>{t('appointments.emptyHelp')}</EmptyState>}
      {appointments.length > 0 && (
        <ul className="list-unstyled item-list" data-testid="appointments">
          {appointments.map((a) => {
            const change = clockChangesBetween(a.startsAt, a.endsAt);
            const when = change ? `${formatDate(a.startsAt)}, ${timeOf(a.startsAt, true)}` : formatDate(a.startsAt, true);
            return (
              <li key={a.id} data-status={a.status.toLowerCase()} className={a.status === 'CANCELLED' ? 'text-muted' : undefined}>
                <div>
                  <strong>{when}</strong>–{timeOf(a.endsAt, change)} · <bdi>{a.desk.name}</bdi> ·{' '}
                  <span className={`badge ${a.status === 'BOOKED' ? 'bg-primary' : 'bg-secondary'}`}>{t(`enum.AppointmentStatus.${a.status}`)}</span>
                  {a.seriesId && <> · {t('appointments.weekly')}</>}
                </div>
                {a.remindAt && (
                  <ReminderState remindAt={a.remindAt} outcome={a.reminderOutcome} deliveries={a.reminderDeliveries} booked={a.status === 'BOOKED'} />
                )}
                {a.status === 'BOOKED' && (
                  <div className="d-flex flex-wrap gap-1 mt-1">
                    <ConfirmButton
                      disabled={cancel.busy}
                      ariaLabel={t('appointments.cancelNamed', { date: when })}
                      confirmation={{
                        title: t('confirm.cancelAppointment.title'),
                        body: t('confirm.cancelAppointment.body', { date: when, desk: isolate(a.desk.name) }),
                        confirm: t('confirm.cancelAppointment.confirm'),
                      }}
                      onConfirm={() => doCancel(a, false)}
                    >
                      {t('appointments.cancel')}
                    </ConfirmButton>
                    {hasFollowing(a) && (
                      <ConfirmButton
                        disabled={cancel.busy}
                        ariaLabel={t('appointments.cancelFollowingNamed', { date: when })}
                        confirmation={{
                          title: t('confirm.cancelFollowing.title'),
                          body: t('confirm.cancelFollowing.body', { date: when }),
                          confirm: t('confirm.cancelFollowing.confirm'),
                        }}
                        onConfirm={() => doCancel(a, true)}
                      >
                        {t('appointments.cancelFollowing')}
                      </ConfirmButton>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <FormErrors errors={cancel.general} />
      {closed ? (
        <p className="small text-muted" data-testid="appointments-closed">
          {t('caseView.closedNoBooking')}
        </p>
      ) : (
        <Panel title={t('appointments.form')} testId="form-appointment">
          <AppointmentForm personId={personId} caseId={caseId} obstacle={reminderObstacle(person)} onDone={list.reload} />
        </Panel>
      )}
    </>
  );
}

/** This hour tomorrow, on the tenant's clock. */
function nextHour(): string {
  return `${localInput(Date.now() + 86_400_000).slice(0, 13)}:00`;
}

function AppointmentForm({
  personId,
  caseId,
  obstacle,
  onDone,
}: {
  personId: string;
  caseId: string;
  /** Why a reminder would not be sent to this person, if it would not. */
  obstacle: 'NO_CONSENT' | 'NO_CONTACT' | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const desks = useLoad(() => request(DesksQuery), []);
  // The tenant's default lead time, for the hint; the booking works without it.
  const settings = useLoad(() => request(AppointmentSettingsQuery), []);
  const [deskId, setDeskId] = useState('');
  const [startsAt, setStartsAt] = useState(nextHour());
  const [duration, setDuration] = useState('30');
  const [occurrences, setOccurrences] = useState('1');
  // Empty: the tenant's default lead time (appointmentSettings); 0: no reminder.
  const [remind, setRemind] = useState('');
  const [booked, setBooked] = useState(0);
  const form = useSubmit(['deskId', 'startsAt', 'durationMinutes', 'occurrences', 'remindHoursBefore']);
  if (desks.loading && !desks.data) return <Loading />;
  const list = desks.data?.desks.nodes ?? [];
  if (list.length === 0) return <EmptyState title={t('appointments.noDesks')}>{t('appointments.noDesksHelp')}</EmptyState>;
  const desk = deskId || list[0].id;
  const chosen = list.find((d) => d.id === desk);
  const where = [chosen?.address, chosen?.openingHours].filter((x): x is string => !!x).map(isolate).join(' · ');
  const integer = (v: string) => (v.trim() === '' ? NaN : Number(v));
  const tenantDefault = settings.data ? settings.data.appointmentSettings.reminderHoursBefore ?? null : undefined;
  const remindHint =
    tenantDefault === undefined
      ? t('appointments.remindHint')
      : tenantDefault === null
        ? t('appointments.remindHintNone')
        : t('appointments.remindHintDefault', { count: tenantDefault, n: formatNumber(tenantDefault) });
  // Whether this booking asks for a reminder: hours typed other than 0, or the tenant's default.
  const asksReminder = remind.trim() === '' ? !!tenantDefault : integer(remind) !== 0;
  return (
    <form
      noValidate
      data-testid="appointment-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBooked(0);
        const earliest = localNow();
        const done = await form.run(async () => {
          try {
            return await request(BookAppointmentMutation, {
              input: {
                deskId: desk,
                personId,
                caseId,
                startsAt: startsAt ? withOffset(startsAt) : '',
                durationMinutes: Number.isInteger(integer(duration)) ? integer(duration) : 0,
                occurrences: Number.isInteger(integer(occurrences)) ? integer(occurrences) : 0,
                remindHoursBefore: remind.trim() === '' ? null : Number.isInteger(integer(remind)) ? integer(remind) : -1,
              },
            });
          } catch (err) {
            // A taken slot belongs next to the date and time.
            if (err instanceof ApiError && err.has('CONFLICT')) {
              throw new ApiError(err.items.map((i) => (i.code === 'CONFLICT' ? { ...i, code: 'SLOT_TAKEN', field: 'startsAt' } : i)));
            }
            throw namePastDates(err, { startsAt: { value: startsAt, min: earliest } });
          }
        });
        if (done) {
          setBooked(done.bookAppointment.length);
          onDone();
        }
      }}
    >
      <SelectField
        label={t('appointments.desk')}
        value={desk}
        onChange={setDeskId}
        options={list.map((d) => ({ value: d.id, label: isolate(d.name) }))}
        hint={where || undefined}
        error={form.fieldError('deskId')}
        required
      />
      <TextField
        label={t('appointments.startsAt')}
        type="datetime-local"
        value={startsAt}
        onChange={setStartsAt}
        min={localNow()}
        error={form.fieldError('startsAt')}
        required
      />
      <TextField
        label={t('appointments.duration')}
        value={duration}
        onChange={setDuration}
        inputMode="numeric"
        error={form.fieldError('durationMinutes')}
        required
      />
      <TextField
        label={t('appointments.occurrences')}
        value={occurrences}
        onChange={setOccurrences}
        inputMode="numeric"
        hint={t('appointments.occurrencesHint')}
        error={form.fieldError('occurrences')}
        required
      />
      <TextField
        label={t('appointments.remind')}
        value={remind}
        onChange={setRemind}
        inputMode="numeric"
        hint={remindHint}
        error={form.fieldError('remindHoursBefore')}
      />
      {obstacle && asksReminder && (
        <Alert color="warning" testId="reminder-warning">
          {t(`reminder.warning.${obstacle}`)}
        </Alert>
      )}
      {booked > 0 && (
        <p className="text-success fw-semibold" role="status" data-testid="appointment-booked">
          {t('appointments.booked', { n: formatNumber(booked) })}
        </p>
      )}
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('appointments.submit')}</SubmitButton>
    </form>
  );
}

