// The municipalities, desks and places of the configuration, each corrected in place or removed
// after a question (the server refuses to remove a municipality a desk still uses, or a desk that
// still has places).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import {
  RemoveDeskMutation,
  RemovePlaceMutation,
  RemoveTerritoryMutation,
  UpdateDeskMutation,
  UpdatePlaceMutation,
  UpdateTerritoryMutation,
} from '../../api/operations';
import { ConfirmButton } from '../../components/Confirm';
import { FormErrors, SelectField, SubmitButton, TextField } from '../../components/Form';
import { CodeListPicker } from '../../components/Picker';
import { PLACE_KINDS } from '../../enums';
import type { PlaceKind, StructureQuery } from '../../gql/graphql';
import { useSubmit } from '../../hooks';
import { useIsoNames, useLanguageOptions } from '../../iso';
import { isolate } from '../../bidi';
import { formatList } from '../../i18n';

type Territory = StructureQuery['territories']['nodes'][number];
type Desk = StructureQuery['desks']['nodes'][number];
type Place = StructureQuery['places']['nodes'][number];

/** The buttons of a saved form: save, and put the form away. */
/** An item's edit and remove buttons; removing asks first (`structure.<confirmation>` texts). */
function ItemActions({
  name,
  editing,
  confirmation,
  busy,
  onEdit,
  onRemove,
}: {
  name: string;
  editing: boolean;
  confirmation: 'confirmTerritory' | 'confirmDesk' | 'confirmPlace';
  busy: boolean;
  onEdit: () => void;
  onRemove: () => Promise<void>;
}) {
  const { t } = useTranslation();
  return (
    <span className="d-inline-flex gap-1">
      <button
        type="button"
        className="btn btn-outline-primary btn-xs"
        aria-label={t('structure.editNamed', { name: isolate(name) })}
        aria-expanded={editing}
        onClick={onEdit}
      >
        {t('structure.edit')}
      </button>
      <ConfirmButton
        disabled={busy}
        ariaLabel={t('structure.removeNamed', { name: isolate(name) })}
        confirmation={{
          title: t(`structure.${confirmation}.title`),
          body: t(`structure.${confirmation}.body`, { name: isolate(name) }),
          confirm: t(`structure.${confirmation}.confirm`),
        }}
        onConfirm={onRemove}
      >
        {t('structure.remove')}
      </ConfirmButton>
    </span>
  );
}

function EditButtons({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="d-flex flex-wrap gap-2">
      <SubmitButton busy={busy}>{t('structure.save')}</SubmitButton>
      <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
        {t('structure.cancel')}
      </button>
    </div>
  );
}

export function TerritoryItem({ territory: x, onDone }: { territory: Territory; onDone: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(x.name);
  const form = useSubmit(['name']);
  const remove = useSubmit([]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (await form.run(() => request(UpdateTerritoryMutation, { input: { id: x.id, expectedVersion: x.version, name: name.trim() } }))) {
      setEditing(false);
      onDone();
    }
  };
  return (
    <li data-testid="territory">
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2">
        <span>
          <bdi>{x.name}</bdi> · <bdi className="font-monospace">{x.istatCode}</bdi>
        </span>
        <ItemActions
          name={x.name}
          editing={editing}
          confirmation="confirmTerritory"
          busy={remove.busy}
          onEdit={() => {
            setName(x.name);
            form.setErrors([]);
            setEditing(!editing);
          }}
          onRemove={async () => {
            if (await remove.run(() => request(RemoveTerritoryMutation, { id: x.id }))) onDone();
          }}
        />
      </div>
      <FormErrors errors={remove.general} />
      {editing && (
        <form className="structure-edit" noValidate onSubmit={save} data-testid="territory-edit">
          <TextField label={t('setup.territories.name')} value={name} onChange={setName} hint={t('structure.territoryNameHint')} error={form.fieldError('name')} required />
          <FormErrors errors={form.general} />
          <EditButtons busy={form.busy} onCancel={() => setEditing(false)} />
        </form>
      )}
    </li>
  );
}

export function DeskItem({ desk: d, places, onDone }: { desk: Desk; places: Place[]; onDone: () => void }) {
  const { t } = useTranslation();
  const iso = useIsoNames();
  const languageOptions = useLanguageOptions();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [hours, setHours] = useState('');
  const [languages, setLanguages] = useState<string[]>([]);
  const form = useSubmit(['name', 'address', 'openingHours', 'languages']);
  const remove = useSubmit([]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const done = await form.run(() =>
      request(UpdateDeskMutation, {
        // An empty address or opening hours clears it.
        input: { id: d.id, expectedVersion: d.version, name: name.trim(), address: address.trim(), openingHours: hours.trim(), languages },
      }),
    );
    if (done) {
      setEditing(false);
      onDone();
    }
  };
  return (
    <li data-testid="desk">
      <div className="d-flex flex-wrap justify-content-between align-items-start gap-2">
        <div>
          <strong>
            <bdi>{d.name}</bdi>
          </strong>{' '}
          · {t(`enum.DeskKind.${d.kind}`)} · <bdi>{d.territory.name}</bdi>
          {d.languages.length > 0 && <> · {formatList(d.languages.map(iso.language))}</>}
          {d.address && (
            <div className="small" data-testid="desk-address">
              {t('setup.desks.address')}: <bdi>{d.address}</bdi>
            </div>
          )}
          {d.openingHours && (
            <div className="small" data-testid="desk-hours">
              {t('setup.desks.hours')}: <bdi>{d.openingHours}</bdi>
            </div>
          )}
        </div>
        <ItemActions
          name={d.name}
          editing={editing}
          confirmation="confirmDesk"
          busy={remove.busy}
          onEdit={() => {
            setName(d.name);
            setAddress(d.address ?? '');
            setHours(d.openingHours ?? '');
            setLanguages(d.languages);
            form.setErrors([]);
            setEditing(!editing);
          }}
          onRemove={async () => {
            if (await remove.run(() => request(RemoveDeskMutation, { id: d.id }))) onDone();
          }}
        />
      </div>
      <FormErrors errors={remove.general} />
      {editing && (
        <form className="structure-edit" noValidate onSubmit={save} data-testid="desk-edit">
          <TextField label={t('setup.desks.name')} value={name} onChange={setName} error={form.fieldError('name')} required />
          <TextField label={t('setup.desks.address')} value={address} onChange={setAddress} error={form.fieldError('address')} />
          <TextField label={t('setup.desks.hours')} value={hours} onChange={setHours} error={form.fieldError('openingHours')} />
          <CodeListPicker
            label={t('setup.desks.languages')}
            options={languageOptions}
            values={languages}
            onChange={setLanguages}
            hint={t('setup.desks.languagesHint')}
            error={form.fieldError('languages')}
          />
          <FormErrors errors={form.general} />
          <EditButtons busy={form.busy} onCancel={() => setEditing(false)} />
        </form>
      )}
      {places.length > 0 && (
        <ul className="small list-unstyled ms-3 mt-1" data-testid="place-list">
          {places.map((p) => (
            <PlaceItem key={p.id} place={p} onDone={onDone} />
          ))}
        </ul>
      )}
    </li>
  );
}

function PlaceItem({ place: p, onDone }: { place: Place; onDone: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<PlaceKind>(p.kind);
  const [address, setAddress] = useState('');
  const form = useSubmit(['name', 'kind', 'address']);
  const remove = useSubmit([]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const done = await form.run(() =>
      request(UpdatePlaceMutation, { input: { id: p.id, expectedVersion: p.version, name: name.trim(), kind, address: address.trim() } }),
    );
    if (done) {
      setEditing(false);
      onDone();
    }
  };
  return (
    <li data-testid="place" className="mb-1">
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2">
        <span>
          <bdi>{p.name}</bdi> · {t(`enum.PlaceKind.${p.kind}`)}
          {p.address && (
            <>
              {' · '}
              <bdi>{p.address}</bdi>
            </>
          )}
        </span>
        <ItemActions
          name={p.name}
          editing={editing}
          confirmation="confirmPlace"
          busy={remove.busy}
          onEdit={() => {
            setName(p.name);
            setKind(p.kind);
            setAddress(p.address ?? '');
            form.setErrors([]);
            setEditing(!editing);
          }}
          onRemove={async () => {
            if (await remove.run(() => request(RemovePlaceMutation, { id: p.id }))) onDone();
          }}
        />
      </div>
      <FormErrors errors={remove.general} />
      {editing && (
        <form className="structure-edit" noValidate onSubmit={save} data-testid="place-edit">
          <TextField label={t('setup.places.name')} value={name} onChange={setName} error={form.fieldError('name')} required />
          <SelectField
            label={t('setup.places.kind')}
            value={kind}
            onChange={(v) => setKind(v as PlaceKind)}
            options={PLACE_KINDS.map((k) => ({ value: k, label: t(`enum.PlaceKind.${k}`) }))}
            error={form.fieldError('kind')}
          />
          <TextField label={t('setup.places.address')} value={address} onChange={setAddress} error={form.fieldError('address')} />
          <FormErrors errors={form.general} />
          <EditButtons busy={form.busy} onCancel={() => setEditing(false)} />
        </form>
      )}
    </li>
  );
}
