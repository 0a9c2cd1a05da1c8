// A unit's description: a new one with its rooms and beds, or the changes of one (with its
// state; withdrawing asks for confirmation first).
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { CheckField, FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../../components/Form';
import { ConfirmDialog } from '../../components/Confirm';
import { LoadError, Loading, NotFound } from '../../components/States';
import type { HousingUnitFieldsFragment, UnitKind, UnitOwnership, UnitState } from '../../gql/graphql';
import { missingFields, useLoad, useShapeErrors, useSubmit, wholeNumber } from '../../hooks';
import { isolate } from '../../bidi';
import { useTerritoryNames } from '../../territories';
import { HousingAddUnitMutation, HousingUnitQuery, HousingUpdateUnitMutation } from './operations';
import { HousingTabs, OWNERSHIPS, SETTABLE_STATES, UNIT_KINDS } from './common';

const FIELDS = ['name', 'kind', 'ownership', 'owner', 'address', 'territoryCode', 'sharedSpaces', 'houseRules', 'state', 'rooms'];

export function NewUnit() {
  return <UnitForm />;
}

export function EditUnit() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const unit = useLoad(() => request(HousingUnitQuery, { id }), [id]);
  if (unit.loading && !unit.data) return <Loading />;
  if (unit.error && !unit.error.has('NOT_FOUND')) return <LoadError error={unit.error} />;
  const u = unit.data?.node && 'name' in unit.data.node ? (unit.data.node as HousingUnitFieldsFragment) : null;
  if (!u) return <NotFound title={t('housing.unit.notFound')} help={t('housing.unit.notFoundHelp')} back={{ to: '/abitare/alloggi', label: t('housing.units.back') }} />;
  return <UnitForm existing={u} />;
}

interface RoomDraft {
  name: string;
  beds: string;
}

function UnitForm({ existing }: { existing?: HousingUnitFieldsFragment }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const shape = useShapeErrors();
  const { territories } = useTerritoryNames();
  const form = useSubmit([...FIELDS, ...Array.from({ length: 20 }, (_, i) => [`rooms.${i}.name`, `rooms.${i}.beds`]).flat()]);
  const [name, setName] = useState(existing?.name ?? '');
  const [kind, setKind] = useState<string>(existing?.kind ?? '');
  const [ownership, setOwnership] = useState<string>(existing?.ownership ?? '');
  const [owner, setOwner] = useState(existing?.owner ?? '');
  const [address, setAddress] = useState(existing?.address ?? '');
  const [territoryCode, setTerritoryCode] = useState(existing?.territoryCode ?? '');
  const [accessible, setAccessible] = useState(existing?.accessible ?? false);
  const [sharedSpaces, setSharedSpaces] = useState((existing?.sharedSpaces ?? []).join(', '));
  const [houseRules, setHouseRules] = useState(existing?.houseRules ?? '');
  const [state, setState] = useState<string>(existing && existing.state !== 'OCCUPIED' ? existing.state : 'AVAILABLE');
  const [rooms, setRooms] = useState<RoomDraft[]>([{ name: '', beds: '' }]);
  const [confirming, setConfirming] = useState(false);
  const municipalities = territories.data?.territories.nodes ?? [];
  const territory = territoryCode || (municipalities.length === 1 ? municipalities[0].istatCode : '');

  const validate = () => {
    const values: Record<string, string> = { name, kind, ownership, owner, address, territoryCode: territory };
    if (!existing) rooms.forEach((r, i) => Object.assign(values, { [`rooms.${i}.name`]: r.name, [`rooms.${i}.beds`]: r.beds }));
    const local = missingFields(values, t('errors.reasons.REQUIRED'));
    if (!existing) local.push(...shape(rooms.map((r, i) => ({ field: `rooms.${i}.beds`, number: r.beds, min: 1, max: 12 }))));
    return local;
  };

  const save = async () => {
    const unit = {
      name: name.trim(),
      kind: kind as UnitKind,
      ownership: ownership as UnitOwnership,
      owner: owner.trim(),
      address: address.trim(),
      territoryCode: territory,
      accessible,
      sharedSpaces: sharedSpaces.split(',').map((s) => s.trim()).filter(Boolean),
      houseRules: houseRules.trim() || null,
    };
    if (existing) {
      const done = await form.run(() => request(HousingUpdateUnitMutation, { input: { id: existing.id, expectedVersion: existing.version, unit, state: state as UnitState } }));
      if (done) navigate(`/abitare/alloggi/${encodeURIComponent(existing.id)}`);
      return;
    }
    const done = await form.run(() =>
      request(HousingAddUnitMutation, { input: { unit, rooms: rooms.map((r) => ({ name: r.name.trim(), beds: wholeNumber(r.beds) })) } }),
    );
    if (done) navigate(`/abitare/alloggi/${encodeURIComponent(done.addUnit.id)}`);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local = validate();
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    if (existing && state === 'WITHDRAWN' && existing.state !== 'WITHDRAWN') {
      setConfirming(true);
      return;
    }
    void save();
  };

  const title = existing ? t('housing.unitForm.editTitle') : t('housing.unitForm.newTitle');
  return (
    <>
      <h1 className="h2">{title}</h1>
      <HousingTabs />
      <form onSubmit={submit} noValidate data-testid="unit-form">
        <TextField label={t('housing.unitForm.name')} value={name} onChange={setName} error={form.fieldError('name')} required maxLength={200} />
        <SelectField
          label={t('housing.unitForm.kind')}
          value={kind}
          onChange={setKind}
          placeholder={t('common.choose')}
          options={UNIT_KINDS.map((k) => ({ value: k, label: t(`housing.unitKind.${k}`) }))}
          error={form.fieldError('kind')}
          required
        />
        <SelectField
          label={t('housing.unitForm.ownership')}
          value={ownership}
          onChange={setOwnership}
          placeholder={t('common.choose')}
          options={OWNERSHIPS.map((k) => ({ value: k, label: t(`housing.ownership.${k}`) }))}
          error={form.fieldError('ownership')}
          required
        />
        <TextField label={t('housing.unitForm.owner')} value={owner} onChange={setOwner} error={form.fieldError('owner')} required maxLength={200} />
        <TextField label={t('housing.unitForm.address')} value={address} onChange={setAddress} error={form.fieldError('address')} required maxLength={300} />
        <SelectField
          label={t('housing.unitForm.municipality')}
          value={territory}
          onChange={setTerritoryCode}
          placeholder={t('common.choose')}
          options={municipalities.map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
          error={form.fieldError('territoryCode')}
          required
        />
        <CheckField label={t('housing.unitForm.accessible')} checked={accessible} onChange={setAccessible} />
        <TextField
          label={t('housing.unitForm.sharedSpaces')}
          value={sharedSpaces}
          onChange={setSharedSpaces}
          hint={t('housing.unitForm.sharedSpacesHint')}
          error={form.fieldError('sharedSpaces')}
        />
        <TextArea label={t('housing.unitForm.houseRules')} value={houseRules} onChange={setHouseRules} error={form.fieldError('houseRules')} maxLength={4000} />
        {existing && (
          <SelectField
            label={t('housing.unitForm.state')}
            value={state}
            onChange={setState}
            options={SETTABLE_STATES.map((s) => ({ value: s, label: t(`housing.unitState.${s}`) }))}
            error={form.fieldError('state')}
            required
          />
        )}
        {!existing && (
          <fieldset className="mb-3" data-testid="rooms">
            <legend className="fs-6 fw-semibold mb-2">{t('housing.unitForm.rooms')}</legend>
            {rooms.map((r, i) => (
              <div key={i} className="row g-2 align-items-end" data-testid="room-draft">
                <div className="col-12 col-md-6">
                  <TextField
                    label={t('housing.unitForm.roomName', { n: i + 1 })}
                    value={r.name}
                    onChange={(v) => setRooms(rooms.map((x, j) => (j === i ? { ...x, name: v } : x)))}
                    error={form.fieldError(`rooms.${i}.name`)}
                    required
                    maxLength={100}
                  />
                </div>
                <div className="col-8 col-md-4">
                  <TextField
                    label={t('housing.unitForm.roomBeds', { n: i + 1 })}
                    value={r.beds}
                    onChange={(v) => setRooms(rooms.map((x, j) => (j === i ? { ...x, beds: v } : x)))}
                    error={form.fieldError(`rooms.${i}.beds`)}
                    inputMode="numeric"
                    required
                  />
                </div>
                <div className="col-4 col-md-2 mb-3">
                  {rooms.length > 1 && (
                    <button type="button" className="btn btn-outline-danger btn-sm" onClick={() => setRooms(rooms.filter((_, j) => j !== i))}>
                      {t('housing.unitForm.removeRoom', { n: i + 1 })}
                    </button>
                  )}
                </div>
              </div>
            ))}
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setRooms([...rooms, { name: '', beds: '' }])}>
              {t('housing.unitForm.addRoom')}
            </button>
            {form.fieldError('rooms') && <FormErrors errors={[form.fieldError('rooms')!]} />}
          </fieldset>
        )}
        <FormErrors errors={form.general} />
        <div className="d-flex gap-2 flex-wrap">
          <SubmitButton busy={form.busy}>{existing ? t('housing.unitForm.save') : t('housing.unitForm.add')}</SubmitButton>
          <Link to={existing ? `/abitare/alloggi/${encodeURIComponent(existing.id)}` : '/abitare/alloggi'} className="btn btn-outline-primary">
            {t('housing.cancel')}
          </Link>
        </div>
      </form>
      {existing && (
        <ConfirmDialog
          open={confirming}
          confirmation={{
            title: t('housing.unitForm.withdrawTitle'),
            body: t('housing.unitForm.withdrawBody', { name: isolate(existing.name) }),
            confirm: t('housing.unitForm.withdrawConfirm'),
          }}
          onClose={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void save();
          }}
        />
      )}
    </>
  );
}
