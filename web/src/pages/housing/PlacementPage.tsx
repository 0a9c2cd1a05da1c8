// A placement: the household, the unit and beds, the agreement, the period with its extensions,
// the path to autonomy (milestones), the exit and its follow-ups. Before its first day a
// placement can be cancelled instead: its beds are free again and its application waits again.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { CheckField, FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../../components/Form';
import { ConfirmDialog } from '../../components/Confirm';
import { LoadError, Loading, NotFound } from '../../components/States';
import type { HousingDestination, HousingPlacementFieldsFragment, MilestoneKind } from '../../gql/graphql';
import { dayOutOfRange, missingFields, useLoad, useSubmit } from '../../hooks';
import { formatDate, formatNumber } from '../../i18n';
import { isolate } from '../../bidi';
import { today } from '../../time';
import {
  HousingCancelPlacementMutation,
  HousingExitMutation,
  HousingExtendMutation,
  HousingPersonCasesQuery,
  HousingPlacementQuery,
  HousingRecordMilestoneMutation,
} from './operations';
import { DESTINATIONS, HousingTabs, MILESTONE_KINDS, PlacementBadge, useEuro } from './common';
import { FollowUpForm } from './FollowUpForm';

type Placement = HousingPlacementFieldsFragment;

const dateRange = (t: (k: string, o?: Record<string, string>) => string) => (min: string, max: string) =>
  t('errors.reasons.DATE_OUT_OF_RANGE', { min: formatDate(min), max: formatDate(max) });

export default function PlacementPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const euro = useEuro();
  const placement = useLoad(() => request(HousingPlacementQuery, { id }), [id]);
  if (placement.loading && !placement.data) return <Loading />;
  if (placement.error && !placement.error.has('NOT_FOUND')) return <LoadError error={placement.error} />;
  const p = placement.data?.node && 'bedIds' in placement.data.node ? (placement.data.node as Placement) : null;
  if (!p) return <NotFound title={t('housing.placement.notFound')} help={t('housing.placement.notFoundHelp')} back={{ to: '/abitare', label: t('housing.back') }} />;
  const reload = placement.reload;
  return (
    <>
      <div className="page-head">
        <h1 className="h2">
          {t('housing.placement.title')}: <bdi>{p.household.label}</bdi>
        </h1>
        <PlacementBadge status={p.status} />
      </div>
      <HousingTabs />
      <dl className="row" data-testid="placement-facts">
        <dt className="col-sm-4">{t('housing.placementForm.unit')}</dt>
        <dd className="col-sm-8">
          <Link to={`/abitare/alloggi/${encodeURIComponent(p.unit.id)}`}>
            <bdi>{p.unit.name}</bdi>
          </Link>{' '}
          · {t('housing.bedCount', { count: p.bedIds.length, n: formatNumber(p.bedIds.length) })}
        </dd>
        <dt className="col-sm-4">{t('housing.placement.period')}</dt>
        <dd className="col-sm-8" data-testid="placement-period">
          {t('housing.period', { from: formatDate(p.startsOn), to: formatDate(p.plannedEndOn) })}
        </dd>
        <dt className="col-sm-4">{t('housing.placementForm.contribution')}</dt>
        <dd className="col-sm-8" data-testid="placement-contribution">
          {euro(p.monthlyContributionCents)}
        </dd>
        <dt className="col-sm-4">{t('housing.placementForm.deposit')}</dt>
        <dd className="col-sm-8" data-testid="placement-deposit">
          {euro(p.depositCents)}
        </dd>
        <dt className="col-sm-4">{t('housing.placementForm.rulesSignedOn')}</dt>
        <dd className="col-sm-8">{p.rulesSignedOn ? formatDate(p.rulesSignedOn) : t('housing.placement.rulesNotSigned')}</dd>
        {p.extensions.length > 0 && (
          <>
            <dt className="col-sm-4">{t('housing.placement.extensions')}</dt>
            <dd className="col-sm-8">
              <ul className="list-unstyled mb-0">
                {p.extensions.map((x, i) => (
                  <li key={i}>{t('housing.placement.extended', { from: formatDate(x.from), to: formatDate(x.to) })}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {p.cancelledOn && (
          <>
            <dt className="col-sm-4">{t('housing.placement.cancelledLabel')}</dt>
            <dd className="col-sm-8" data-testid="placement-cancelled">
              {t('housing.placement.cancelled', { date: formatDate(p.cancelledOn) })}
            </dd>
          </>
        )}
        {p.exit && (
          <>
            <dt className="col-sm-4">{t('housing.placement.exit')}</dt>
            <dd className="col-sm-8" data-testid="placement-exit">
              {formatDate(p.exit.on)} · {t(`housing.destination.${p.exit.destination}`)} ·{' '}
              {p.exit.autonomyReached ? t('housing.placement.autonomy') : t('housing.placement.noAutonomy')}
            </dd>
          </>
        )}
      </dl>
      {p.status === 'CANCELLED' && (
        <p className="small" data-testid="cancelled-help">
          {t('housing.placement.cancelledHelp')}
        </p>
      )}
      {(p.status === 'PLANNED' || p.status === 'ACTIVE') && (
        <div className="row g-3 mb-3">
          <div className="col-12 col-lg-6">
            <ExtendForm placement={p} onDone={reload} />
          </div>
          <div className="col-12 col-lg-6">
            {/* The exit day runs from the first day to today: before the first day there is none to give. */}
            {p.status === 'PLANNED' ? (
              <>
                <p className="small" data-testid="exit-not-yet">
                  {t('housing.placement.exitNotYet', { date: formatDate(p.startsOn) })}
                </p>
                <CancelPlacement placement={p} onDone={reload} />
              </>
            ) : (
              <ExitForm placement={p} onDone={reload} />
            )}
          </div>
        </div>
      )}
      <section aria-labelledby="milestones-title" className="case-section">
        <h2 id="milestones-title" className="h4">
          {t('housing.milestones.title')}
        </h2>
        {p.milestones.length === 0 ? (
          <p>{t('housing.milestones.none')}</p>
        ) : (
          <ol className="item-list" data-testid="milestones">
            {p.milestones.map((m) => (
              <li key={m.id} data-kind={m.kind}>
                <strong>{t(`housing.milestoneKind.${m.kind}`)}</strong> · {formatDate(m.reachedOn)}
                {m.note && (
                  <>
                    {' '}
                    · <bdi>{m.note}</bdi>
                  </>
                )}
                {m.caseId && (
                  <>
                    {' '}
                    · <Link to={`/casi/${encodeURIComponent(m.caseId)}`}>{t('housing.milestones.case')}</Link>
                  </>
                )}
              </li>
            ))}
          </ol>
        )}
        {p.status !== 'CANCELLED' && <MilestoneForm placement={p} onDone={reload} />}
      </section>
      <section aria-labelledby="follow-ups-title" className="case-section">
        <h2 id="follow-ups-title" className="h4">
          {t('housing.followUp.title')}
        </h2>
        {p.followUps.length === 0 ? (
          <p>{t('housing.followUp.noneYet')}</p>
        ) : (
          <ul className="list-unstyled item-list" data-testid="placement-follow-ups">
            {p.followUps.map((f) => (
              <li key={f.id} data-testid="placement-follow-up" data-months={f.months}>
                <strong>{t('housing.followUp.months', { n: formatNumber(f.months) })}</strong> · {t('housing.followUp.due', { date: formatDate(f.dueOn) })}
                {f.recordedOn ? (
                  <>
                    {' '}
                    · <span data-testid="follow-up-recorded">{t('housing.followUp.recorded', { date: formatDate(f.recordedOn) })}</span> ·{' '}
                    {f.stillHoused ? t('housing.followUp.housed') : t('housing.followUp.notHoused')}
                    {f.destination && <> · {t(`housing.destination.${f.destination}`)}</>}
                  </>
                ) : f.dueOn <= today() ? (
                  <details className="form-panel mt-2">
                    <summary>{t('housing.followUp.record')}</summary>
                    <div className="form-panel-body">
                      <FollowUpForm followUp={f} onDone={reload} />
                    </div>
                  </details>
                ) : (
                  <> · {t('housing.followUp.notYet')}</>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function ExtendForm({ placement, onDone }: { placement: Placement; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit(['plannedEndOn']);
  const [plannedEndOn, setPlannedEndOn] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = missingFields({ plannedEndOn }, t('errors.reasons.REQUIRED'));
    if (plannedEndOn && plannedEndOn <= placement.plannedEndOn) {
      local.push({ field: 'plannedEndOn', code: 'INVALID_INPUT', reason: 'LATER', local: true, message: t('housing.placement.extendLater', { date: formatDate(placement.plannedEndOn) }) });
    }
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    const done = await form.run(() => request(HousingExtendMutation, { input: { id: placement.id, expectedVersion: placement.version, plannedEndOn } }));
    if (done) {
      setPlannedEndOn('');
      onDone();
    }
  };
  return (
    <details className="form-panel" data-testid="extend">
      <summary>{t('housing.placement.extend')}</summary>
      <div className="form-panel-body">
        <form onSubmit={submit} noValidate>
          <TextField type="date" label={t('housing.placement.newEnd')} value={plannedEndOn} onChange={setPlannedEndOn} min={placement.plannedEndOn} error={form.fieldError('plannedEndOn')} required />
          <FormErrors errors={form.general} />
          <SubmitButton busy={form.busy}>{t('housing.placement.extendSubmit')}</SubmitButton>
        </form>
      </div>
    </details>
  );
}

function ExitForm({ placement, onDone }: { placement: Placement; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit(['exitOn', 'destination', 'autonomyReached']);
  const [exitOn, setExitOn] = useState(today());
  const [destination, setDestination] = useState('');
  const [autonomy, setAutonomy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local = [...missingFields({ exitOn, destination }, t('errors.reasons.REQUIRED')), ...dayOutOfRange('exitOn', exitOn, placement.startsOn, today(), dateRange(t))];
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    form.setErrors([]);
    setConfirming(true);
  };
  const save = async () => {
    const done = await form.run(() =>
      request(HousingExitMutation, {
        input: { id: placement.id, expectedVersion: placement.version, exitOn, destination: destination as HousingDestination, autonomyReached: autonomy },
      }),
    );
    if (done) onDone();
  };
  return (
    <details className="form-panel" data-testid="exit">
      <summary>{t('housing.placement.exitRecord')}</summary>
      <div className="form-panel-body">
        <form onSubmit={submit} noValidate>
          <TextField type="date" label={t('housing.placement.exitOn')} value={exitOn} onChange={setExitOn} min={placement.startsOn} max={today()} error={form.fieldError('exitOn')} required />
          <SelectField
            label={t('housing.placement.destination')}
            value={destination}
            onChange={setDestination}
            placeholder={t('common.choose')}
            options={DESTINATIONS.map((d) => ({ value: d, label: t(`housing.destination.${d}`) }))}
            error={form.fieldError('destination')}
            required
          />
          <CheckField label={t('housing.placement.autonomyReached')} checked={autonomy} onChange={setAutonomy} />
          <FormErrors errors={form.general} />
          <SubmitButton busy={form.busy}>{t('housing.placement.exitSubmit')}</SubmitButton>
        </form>
      </div>
      <ConfirmDialog
        open={confirming}
        confirmation={{
          title: t('housing.placement.exitTitle'),
          body: t('housing.placement.exitBody', { household: isolate(placement.household.label), date: formatDate(exitOn || today()) }),
          confirm: t('housing.placement.exitConfirm'),
        }}
        onClose={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void save();
        }}
      />
    </details>
  );
}

/** Cancelling a placement not begun yet, after a confirmation that says what follows. */
function CancelPlacement({ placement, onDone }: { placement: Placement; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit([]);
  const [confirming, setConfirming] = useState(false);
  const params = { household: isolate(placement.household.label), from: formatDate(placement.startsOn), to: formatDate(placement.plannedEndOn) };
  const cancel = async () => {
    const done = await form.run(() => request(HousingCancelPlacementMutation, { id: placement.id, expectedVersion: placement.version }));
    if (done) onDone();
  };
  return (
    <div data-testid="cancel-placement">
      <p className="small mb-2">{t('housing.placement.cancelHelp')}</p>
      <button type="button" className="btn btn-outline-danger btn-sm" aria-haspopup="dialog" disabled={form.busy} onClick={() => setConfirming(true)}>
        {t('housing.placement.cancel')}
      </button>
      {form.general.length > 0 && (
        <div className="mt-2">
          <FormErrors errors={form.general} />
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        confirmation={{
          title: t('housing.placement.cancelTitle'),
          body: placement.applicationId ? t('housing.placement.cancelBody', params) : t('housing.placement.cancelBodyNoApplication', params),
          confirm: t('housing.placement.cancelConfirm'),
        }}
        onClose={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void cancel();
        }}
      />
    </div>
  );
}

function MilestoneForm({ placement, onDone }: { placement: Placement; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit(['kind', 'reachedOn', 'note', 'goalId', 'caseId']);
  const [kind, setKind] = useState('');
  const [reachedOn, setReachedOn] = useState(today());
  const [note, setNote] = useState('');
  const [goal, setGoal] = useState('');
  // The goals of the plans of the household's members' cases, for the step a milestone fulfils.
  const goals = useLoad(async () => {
    const out: { caseId: string; goalId: string; title: string }[] = [];
    for (const m of placement.household.members) {
      try {
        const res = await request(HousingPersonCasesQuery, { personId: m.person.id });
        for (const c of res.cases.nodes) for (const g of c.plan) out.push({ caseId: c.id, goalId: g.id, title: g.title });
      } catch {
        // A member whose cases the viewer may not read offers no goal.
      }
    }
    return out;
  }, [placement.id]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = [...missingFields({ kind, reachedOn }, t('errors.reasons.REQUIRED')), ...dayOutOfRange('reachedOn', reachedOn, placement.startsOn, today(), dateRange(t))];
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    const chosen = goals.data?.find((g) => g.goalId === goal);
    const done = await form.run(() =>
      request(HousingRecordMilestoneMutation, {
        input: { placementId: placement.id, kind: kind as MilestoneKind, reachedOn, note: note.trim() || null, caseId: chosen?.caseId ?? null, goalId: chosen?.goalId ?? null },
      }),
    );
    if (done) {
      setKind('');
      setNote('');
      setGoal('');
      onDone();
    }
  };
  return (
    <details className="form-panel" data-testid="milestone">
      <summary>{t('housing.milestones.record')}</summary>
      <div className="form-panel-body">
        <form onSubmit={submit} noValidate>
          <SelectField
            label={t('housing.milestones.kind')}
            value={kind}
            onChange={setKind}
            placeholder={t('common.choose')}
            options={MILESTONE_KINDS.map((k) => ({ value: k, label: t(`housing.milestoneKind.${k}`) }))}
            error={form.fieldError('kind')}
            required
          />
          <TextField type="date" label={t('housing.milestones.reachedOn')} value={reachedOn} onChange={setReachedOn} min={placement.startsOn} max={today()} error={form.fieldError('reachedOn')} required />
          {(goals.data?.length ?? 0) > 0 ? (
            <SelectField
              label={t('housing.milestones.goal')}
              value={goal}
              onChange={setGoal}
              placeholder={t('housing.milestones.noGoal')}
              options={(goals.data ?? []).map((g) => ({ value: g.goalId, label: isolate(g.title) }))}
              error={form.fieldError('goalId') ?? form.fieldError('caseId')}
            />
          ) : null}
          <TextArea label={t('housing.milestones.note')} value={note} onChange={setNote} error={form.fieldError('note')} maxLength={2000} />
          <FormErrors errors={form.general} />
          <SubmitButton busy={form.busy}>{t('housing.milestones.submit')}</SubmitButton>
        </form>
      </div>
    </details>
  );
}

