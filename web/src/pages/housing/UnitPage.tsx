// A unit: its description, rooms and beds (free or taken today), a room to add, the bed-occupancy
// calendar of a month, and its placements.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { FormErrors, SubmitButton, TextField } from '../../components/Form';
import { LoadMore, usePaged } from '../../components/Paged';
import { EmptyState, LoadError, Loading, NotFound } from '../../components/States';
import type { HousingPlacementsQuery as PlacementsResult, HousingUnitFieldsFragment } from '../../gql/graphql';
import { missingFields, useLoad, useShapeErrors, useSubmit, wholeNumber } from '../../hooks';
import { formatDate, formatNumber } from '../../i18n';
import { useSession } from '../../session';
import { useTerritoryNames } from '../../territories';
import { HousingAddRoomMutation, HousingPlacementsQuery, HousingUnitQuery } from './operations';
import { HousingTabs, PlacementBadge, UnitStateBadge } from './common';
import { OccupancyCalendar } from './Calendar';

export default function UnitPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { hasRole } = useSession();
  const { name: territoryName } = useTerritoryNames();
  const unit = useLoad(() => request(HousingUnitQuery, { id }), [id]);
  if (unit.loading && !unit.data) return <Loading />;
  if (unit.error && !unit.error.has('NOT_FOUND')) return <LoadError error={unit.error} />;
  const u = unit.data?.node && 'name' in unit.data.node ? (unit.data.node as HousingUnitFieldsFragment) : null;
  if (!u) return <NotFound title={t('housing.unit.notFound')} help={t('housing.unit.notFoundHelp')} back={{ to: '/abitare/alloggi', label: t('housing.units.back') }} />;
  const canEdit = hasRole('TENANT_ADMIN', 'COORDINATOR');
  return (
    <>
      <div className="page-head">
        <h1 className="h2">
          <bdi>{u.name}</bdi>
        </h1>
        <UnitStateBadge state={u.state} />
      </div>
      <HousingTabs />
      <dl className="row" data-testid="unit-facts">
        <dt className="col-sm-4">{t('housing.unitForm.kind')}</dt>
        <dd className="col-sm-8">{t(`housing.unitKind.${u.kind}`)}</dd>
        <dt className="col-sm-4">{t('housing.unitForm.ownership')}</dt>
        <dd className="col-sm-8">
          {t(`housing.ownership.${u.ownership}`)} · <bdi>{u.owner}</bdi>
        </dd>
        <dt className="col-sm-4">{t('housing.unitForm.address')}</dt>
        <dd className="col-sm-8">
          <bdi>{u.address}</bdi> · <bdi>{territoryName(u.territoryCode)}</bdi>
        </dd>
        <dt className="col-sm-4">{t('housing.unitForm.accessible')}</dt>
        <dd className="col-sm-8">{u.accessible ? t('housing.yes') : t('housing.no')}</dd>
        <dt className="col-sm-4">{t('housing.unitForm.sharedSpaces')}</dt>
        <dd className="col-sm-8">{u.sharedSpaces.length > 0 ? <bdi>{u.sharedSpaces.join(', ')}</bdi> : '—'}</dd>
        <dt className="col-sm-4">{t('housing.unitForm.houseRules')}</dt>
        <dd className="col-sm-8 text-prewrap">{u.houseRules ? <bdi>{u.houseRules}</bdi> : '—'}</dd>
        <dt className="col-sm-4">{t('housing.unit.bedsTitle')}</dt>
        <dd className="col-sm-8" data-testid="unit-beds">
          {t('housing.units.beds', { vacant: formatNumber(u.vacantBeds), total: formatNumber(u.beds) })}
        </dd>
      </dl>
      <div className="d-flex gap-2 flex-wrap mb-4">
        {canEdit && (
          <Link to={`/abitare/alloggi/${encodeURIComponent(u.id)}/modifica`} className="btn btn-outline-primary">
            {t('housing.unit.edit')}
          </Link>
        )}
        {u.vacantBeds > 0 && u.state === 'AVAILABLE' && (
          <Link to={`/abitare/inserimenti/nuovo?alloggio=${encodeURIComponent(u.id)}`} className="btn btn-primary">
            {t('housing.unit.place')}
          </Link>
        )}
      </div>
      <section aria-labelledby="rooms-title" className="case-section">
        <h2 id="rooms-title" className="h4">
          {t('housing.unit.rooms')}
        </h2>
        <ul className="list-unstyled item-list" data-testid="unit-rooms">
          {u.rooms.map((r) => (
            <li key={r.id} data-testid="unit-room">
              <strong>
                <bdi>{r.name}</bdi>
              </strong>
              <ul className="list-inline mb-0">
                {r.beds.map((b) => (
                  <li key={b.id} className="list-inline-item" data-testid="unit-bed">
                    {t('housing.unit.bed', { label: b.label })}:{' '}
                    {b.placementId ? (
                      <Link to={`/abitare/inserimenti/${encodeURIComponent(b.placementId)}`}>{t('housing.unit.bedTaken')}</Link>
                    ) : (
                      <span>{t('housing.unit.bedFree')}</span>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
        {canEdit && <AddRoom unit={u} onDone={unit.reload} />}
      </section>
      <section aria-labelledby="calendar-title" className="case-section">
        <h2 id="calendar-title" className="h4">
          {t('housing.calendar.title')}
        </h2>
        <OccupancyCalendar unit={u} />
      </section>
      <section aria-labelledby="placements-title" className="case-section">
        <h2 id="placements-title" className="h4">
          {t('housing.unit.placements')}
        </h2>
        <UnitPlacements unitId={u.id} />
      </section>
    </>
  );
}

function AddRoom({ unit, onDone }: { unit: HousingUnitFieldsFragment; onDone: () => void }) {
  const { t } = useTranslation();
  const shape = useShapeErrors();
  const [name, setName] = useState('');
  const [beds, setBeds] = useState('');
  const form = useSubmit(['room.name', 'room.beds', 'name', 'beds']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = [...missingFields({ 'room.name': name, 'room.beds': beds }, t('errors.reasons.REQUIRED')), ...shape([{ field: 'room.beds', number: beds, min: 1, max: 12 }])];
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    const done = await form.run(() =>
      request(HousingAddRoomMutation, { input: { unitId: unit.id, expectedVersion: unit.version, room: { name: name.trim(), beds: wholeNumber(beds) } } }),
    );
    if (done) {
      setName('');
      setBeds('');
      onDone();
    }
  };
  return (
    <details className="form-panel" data-testid="add-room">
      <summary>{t('housing.unit.addRoom')}</summary>
      <div className="form-panel-body">
        <form onSubmit={submit} noValidate>
          <TextField label={t('housing.unit.roomName')} value={name} onChange={setName} error={form.fieldError('room.name') ?? form.fieldError('name')} required maxLength={100} />
          <TextField label={t('housing.unit.roomBeds')} value={beds} onChange={setBeds} error={form.fieldError('room.beds') ?? form.fieldError('beds')} inputMode="numeric" required />
          <FormErrors errors={form.general} />
          <SubmitButton busy={form.busy}>{t('housing.unit.addRoomSubmit')}</SubmitButton>
        </form>
      </div>
    </details>
  );
}

type PlacementRow = PlacementsResult['placements']['nodes'][number];

function UnitPlacements({ unitId }: { unitId: string }) {
  const { t } = useTranslation();
  const list = usePaged<PlacementRow>(async (after) => (await request(HousingPlacementsQuery, { after, unitId })).placements, [unitId]);
  if (list.error) return <LoadError error={list.error} />;
  return (
    <>
      {!list.loading && list.rows.length === 0 && <EmptyState title={t('housing.unit.noPlacements')} />}
      {list.rows.length > 0 && (
        <ul className="list-unstyled item-list" data-testid="unit-placements">
          {list.rows.map((p) => (
            <li key={p.id} className="d-flex flex-wrap gap-2 align-items-center">
              <Link to={`/abitare/inserimenti/${encodeURIComponent(p.id)}`}>
                <bdi>{p.household.label}</bdi>
              </Link>
              <PlacementBadge status={p.status} />
              <span className="small text-muted">
                {t('housing.period', { from: formatDate(p.startsOn), to: formatDate(p.plannedEndOn) })} · {t('housing.bedCount', { count: p.bedIds.length, n: formatNumber(p.bedIds.length) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {list.loading && <Loading />}
      <LoadMore list={list} />
    </>
  );
}
