// Placing a household (from its waiting application, or chosen here) on vacant beds of a unit:
// the period, the agreement (monthly contribution and deposit in euro) and the day the house
// rules were signed.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { CheckGroup, FormErrors, SelectField, SubmitButton, TextField, useErrorText } from '../../components/Form';
import { LoadError } from '../../components/States';
import type { HousingUnitFieldsFragment } from '../../gql/graphql';
import { dayOutOfRange, missingFields, useLoad, useSubmit } from '../../hooks';
import { formatDate } from '../../i18n';
import { isolate } from '../../bidi';
import { addDays } from '../volunteers/pacts/common';
import { today } from '../../time';
import { HousingApplicationsQuery, HousingHouseholdQuery, HousingPlaceMutation, HousingUnitQuery, HousingUnitsQuery } from './operations';
import { HouseholdPicker, HousingTabs, euroCents } from './common';

const FIELDS = ['householdId', 'applicationId', 'unitId', 'bedIds', 'startsOn', 'plannedEndOn', 'monthlyContributionCents', 'depositCents', 'rulesSignedOn'];

export default function PlacementForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const fixedHousehold = params.get('nucleo') ?? '';
  const form = useSubmit(FIELDS);
  const errorText = useErrorText();
  const [householdId, setHouseholdId] = useState(fixedHousehold);
  const [unitId, setUnitId] = useState(params.get('alloggio') ?? '');
  const [bedIds, setBedIds] = useState<string[]>([]);
  const [startsOn, setStartsOn] = useState(today());
  const [plannedEndOn, setPlannedEndOn] = useState('');
  const [contribution, setContribution] = useState('0');
  const [deposit, setDeposit] = useState('0');
  const [rulesSignedOn, setRulesSignedOn] = useState('');

  const household = useLoad(async () => (fixedHousehold ? request(HousingHouseholdQuery, { id: fixedHousehold }) : null), [fixedHousehold]);
  const householdLabel = household.data?.node && 'label' in household.data.node ? household.data.node.label : '';
  // The household's waiting application, which the placement closes.
  const application = useLoad(
    async () => (householdId ? (await request(HousingApplicationsQuery, { householdId, status: 'WAITING' })).housingApplications.nodes[0] ?? null : null),
    [householdId],
  );
  const units = useLoad(() => request(HousingUnitsQuery, { state: 'AVAILABLE' }), []);
  const unit = useLoad(async () => (unitId ? request(HousingUnitQuery, { id: unitId }) : null), [unitId]);
  const u = unit.data?.node && 'rooms' in unit.data.node ? (unit.data.node as HousingUnitFieldsFragment) : null;
  const vacant = (u?.rooms ?? []).flatMap((r) => r.beds.filter((b) => !b.placementId).map((b) => ({ value: b.id, label: `${isolate(r.name)} · ${t('housing.unit.bed', { label: b.label })}` })));
  const earliest = addDays(today(), -366);
  const dateRange = (min: string, max: string) => t('errors.reasons.DATE_OUT_OF_RANGE', { min: formatDate(min), max: formatDate(max) });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = missingFields({ householdId, unitId, bedIds, startsOn, plannedEndOn, monthlyContributionCents: contribution, depositCents: deposit }, t('errors.reasons.REQUIRED'));
    local.push(...dayOutOfRange('startsOn', startsOn, earliest, addDays(today(), 366 * 2), dateRange));
    if (startsOn && plannedEndOn && plannedEndOn <= startsOn) {
      local.push({ field: 'plannedEndOn', code: 'INVALID_INPUT', reason: 'PERIOD_REVERSED', local: true, message: t('housing.placementForm.endAfterStart') });
    }
    for (const [field, value] of [['monthlyContributionCents', contribution], ['depositCents', deposit]] as const) {
      if (value.trim() && Number.isNaN(euroCents(value))) local.push({ field, code: 'INVALID_INPUT', reason: 'NOT_AN_AMOUNT', local: true, message: t('housing.placementForm.notAnAmount') });
    }
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    const done = await form.run(() =>
      request(HousingPlaceMutation, {
        input: {
          householdId,
          applicationId: application.data?.id ?? null,
          unitId,
          bedIds,
          startsOn,
          plannedEndOn,
          monthlyContributionCents: euroCents(contribution),
          depositCents: euroCents(deposit),
          rulesSignedOn: rulesSignedOn || null,
        },
      }),
    );
    if (done) navigate(`/abitare/inserimenti/${encodeURIComponent(done.placeHousehold.id)}`);
  };

  return (
    <>
      <h1 className="h2">{t('housing.placementForm.title')}</h1>
      <HousingTabs />
      <form onSubmit={submit} noValidate data-testid="placement-form">
        {fixedHousehold ? (
          <p>
            {t('housing.household')}: <strong data-testid="placement-household"><bdi>{householdLabel}</bdi></strong>
          </p>
        ) : (
          <HouseholdPicker value={householdId} onChange={setHouseholdId} error={form.fieldError('householdId')} />
        )}
        {application.data && (
          <p className="small" data-testid="placement-application">
            {t('housing.placementForm.fromApplication', { date: formatDate(application.data.appliedOn) })}
          </p>
        )}
        {units.error && <LoadError error={units.error} />}
        <SelectField
          label={t('housing.placementForm.unit')}
          value={unitId}
          onChange={(v) => {
            setUnitId(v);
            setBedIds([]);
          }}
          placeholder={t('common.choose')}
          options={(units.data?.housingUnits.nodes ?? []).map((x) => ({ value: x.id, label: `${isolate(x.name)} · ${t('housing.units.beds', { vacant: x.vacantBeds, total: x.beds })}` }))}
          error={form.fieldError('unitId')}
          required
        />
        {u && (
          <CheckGroup
            legend={t('housing.placementForm.beds')}
            name="beds"
            options={vacant}
            values={bedIds}
            onChange={setBedIds}
            error={form.fieldError('bedIds')}
          />
        )}
        {u && vacant.length === 0 && <p>{t('housing.placementForm.noVacant')}</p>}
        {!u && form.fieldError('bedIds') && (
          <div className="invalid-feedback d-block field-error mb-3" role="alert">
            {t('housing.placementForm.beds')}: {errorText(form.fieldError('bedIds')!)}
          </div>
        )}
        <div className="row g-2">
          <div className="col-12 col-md-6">
            <TextField type="date" label={t('housing.placementForm.startsOn')} value={startsOn} onChange={setStartsOn} min={earliest} error={form.fieldError('startsOn')} required />
          </div>
          <div className="col-12 col-md-6">
            <TextField type="date" label={t('housing.placementForm.plannedEndOn')} value={plannedEndOn} onChange={setPlannedEndOn} min={startsOn || undefined} error={form.fieldError('plannedEndOn')} required />
          </div>
        </div>
        <fieldset className="mb-3">
          <legend className="fs-6 fw-semibold mb-2">{t('housing.placementForm.agreement')}</legend>
          <div className="row g-2">
            <div className="col-12 col-md-6">
              <TextField label={t('housing.placementForm.contribution')} value={contribution} onChange={setContribution} inputMode="decimal" error={form.fieldError('monthlyContributionCents')} required />
            </div>
            <div className="col-12 col-md-6">
              <TextField label={t('housing.placementForm.deposit')} value={deposit} onChange={setDeposit} inputMode="decimal" error={form.fieldError('depositCents')} required />
            </div>
          </div>
          <TextField type="date" label={t('housing.placementForm.rulesSignedOn')} value={rulesSignedOn} onChange={setRulesSignedOn} max={today()} error={form.fieldError('rulesSignedOn')} />
        </fieldset>
        <FormErrors errors={form.general} />
        <div className="d-flex gap-2 flex-wrap">
          <SubmitButton busy={form.busy}>{t('housing.placementForm.submit')}</SubmitButton>
          <Link to="/abitare/lista-di-attesa" className="btn btn-outline-primary">
            {t('housing.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}
