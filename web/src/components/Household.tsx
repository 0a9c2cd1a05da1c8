// The person's household ("nucleo familiare"): its members with their role and how many are
// minors; creating one for the person, adding another person of the tenant (found with the
// duplicate search), taking a member out.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import {
  AddHouseholdMemberMutation,
  CreateHouseholdMutation,
  PersonDuplicatesQuery,
  RemoveHouseholdMemberMutation,
} from '../api/operations';
import { HOUSEHOLD_ROLES } from '../enums';
import type { HouseholdFieldsFragment, HouseholdRole, PersonDuplicatesQuery as DuplicatesResult } from '../gql/graphql';
import { useSubmit } from '../hooks';
import { formatNumber } from '../i18n';
import { personName } from '../pages/Persons';
import { PersonName, isolate, isolatedName } from '../bidi';
import { useTerritoryNames } from '../territories';
import { ConfirmButton } from './Confirm';
import { FormErrors, SelectField, SubmitButton, TextField } from './Form';
import { EmptyState } from './States';

interface Person {
  id: string;
  givenNames: string;
  familyNames: string;
  latinGivenNames: string;
  latinFamilyNames: string;
  territoryCode: string;
  household?: HouseholdFieldsFragment | null;
}

export function Household({ person, onDone }: { person: Person; onDone: () => void }) {
  const { t } = useTranslation();
  const household = person.household;
  const remove = useSubmit([]);
  if (!household) return <CreateHousehold person={person} onDone={onDone} />;
  return (
    <div data-testid="household">
      <p className="mb-1">
        <strong data-testid="household-label">
          <bdi>{household.label}</bdi>
        </strong>
      </p>
      <p className="small" data-testid="household-minors">
        {t('household.summary', { members: formatNumber(household.members.length), minors: formatNumber(household.minors) })}
      </p>
      <ul className="list-unstyled item-list" data-testid="household-members">
        {household.members.map((m) => {
          const name = personName(m.person);
          return (
            <li key={m.person.id} className="d-flex flex-wrap justify-content-between align-items-center gap-2" data-testid="household-member">
              <span>
                <strong>
                  <PersonName person={m.person} />
                </strong>{' '}
                · {t(`enum.HouseholdRole.${m.role}`)}
                {m.person.birth && <> · {m.person.birth.year}</>}
                {m.minor && (
                  <>
                    {' '}
                    <span className="badge bg-primary">{t('household.minor')}</span>
                  </>
                )}
                {m.person.id === person.id && <> · {t('household.thisPerson')}</>}
              </span>
              <ConfirmButton
                disabled={remove.busy}
                ariaLabel={t('household.removeNamed', { name: isolate(name) })}
                confirmation={{
                  title: t('confirm.removeMember.title'),
                  body: t('confirm.removeMember.body', { name: isolatedName(m.person), household: isolate(household.label) }),
                  confirm: t('confirm.removeMember.confirm'),
                }}
                onConfirm={async () => {
                  if (await remove.run(() => request(RemoveHouseholdMemberMutation, { personId: m.person.id }))) onDone();
                }}
              >
                {t('household.remove')}
              </ConfirmButton>
            </li>
          );
        })}
      </ul>
      <FormErrors errors={remove.general} />
      <AddMember householdId={household.id} memberIds={household.members.map((m) => m.person.id)} onDone={onDone} />
    </div>
  );
}

function CreateHousehold({ person, onDone }: { person: Person; onDone: () => void }) {
  const { t } = useTranslation();
  const [label, setLabel] = useState(t('household.defaultLabel', { name: person.familyNames }));
  const [role, setRole] = useState<HouseholdRole>('HEAD');
  const form = useSubmit(['label', 'territoryCode', 'role']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await form.run(async () => {
      const created = await request(CreateHouseholdMutation, { label: label.trim(), territoryCode: person.territoryCode });
      return request(AddHouseholdMemberMutation, { householdId: created.createHousehold.id, personId: person.id, role });
    });
    if (done) onDone();
  };
  return (
    <>
      <EmptyState title={t('household.empty')}>{t('household.emptyHelp')}</EmptyState>
      <form onSubmit={submit} noValidate data-testid="household-create">
        <TextField label={t('household.label')} value={label} onChange={setLabel} error={form.fieldError('label')} required />
        <SelectField
          label={t('household.ownRole')}
          value={role}
          onChange={(v) => setRole(v as HouseholdRole)}
          options={HOUSEHOLD_ROLES.map((r) => ({ value: r, label: t(`enum.HouseholdRole.${r}`) }))}
          error={form.fieldError('role')}
          required
        />
        <FormErrors errors={form.general} />
        <SubmitButton busy={form.busy}>{t('household.create')}</SubmitButton>
      </form>
    </>
  );
}

type Match = DuplicatesResult['personDuplicates'][number];

function AddMember({ householdId, memberIds, onDone }: { householdId: string; memberIds: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [givenNames, setGivenNames] = useState('');
  const [familyNames, setFamilyNames] = useState('');
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [personId, setPersonId] = useState('');
  const [role, setRole] = useState<HouseholdRole>('CHILD');
  const search = useSubmit(['givenNames', 'familyNames']);
  const add = useSubmit(['personId', 'role']);
  const { name: territoryName } = useTerritoryNames();
  const candidates = (matches ?? []).filter((m) => !memberIds.includes(m.person.id));
  const chosen = personId || candidates[0]?.person.id || '';

  const submitSearch = async (e: FormEvent) => {
    e.preventDefault();
    setPersonId('');
    const found = await search.run(() => request(PersonDuplicatesQuery, { givenNames: givenNames.trim(), familyNames: familyNames.trim() }));
    if (found) setMatches(found.personDuplicates);
  };
  const submitAdd = async (e: FormEvent) => {
    e.preventDefault();
    const done = await add.run(() => request(AddHouseholdMemberMutation, { householdId, personId: chosen, role }));
    if (done) {
      setMatches(null);
      setGivenNames('');
      setFamilyNames('');
      onDone();
    }
  };
  return (
    <details className="form-panel" data-testid="household-add">
      <summary>{t('household.add')}</summary>
      <div className="form-panel-body">
        <p className="small">{t('household.addHelp')}</p>
        <form onSubmit={submitSearch} noValidate data-testid="household-search">
          <TextField label={t('persons.givenNames')} value={givenNames} onChange={setGivenNames} error={search.fieldError('givenNames')} required />
          <TextField label={t('persons.familyNames')} value={familyNames} onChange={setFamilyNames} error={search.fieldError('familyNames')} required />
          <FormErrors errors={search.general} />
          <SubmitButton busy={search.busy}>{t('persons.search')}</SubmitButton>
        </form>
        {matches && candidates.length === 0 && (
          <EmptyState title={t('household.noCandidates')}>{t('household.noCandidatesHelp')}</EmptyState>
        )}
        {candidates.length > 0 && (
          <form onSubmit={submitAdd} noValidate className="mt-3" data-testid="household-member-form">
            <SelectField
              label={t('household.person')}
              value={chosen}
              onChange={setPersonId}
              options={candidates.map((m) => ({
                value: m.person.id,
                label: `${isolatedName(m.person)}${m.person.birth ? ` · ${m.person.birth.year}` : ''} · ${isolate(territoryName(m.person.territoryCode))}`,
              }))}
              error={add.fieldError('personId')}
              required
            />
            <SelectField
              label={t('household.role')}
              value={role}
              onChange={(v) => setRole(v as HouseholdRole)}
              options={HOUSEHOLD_ROLES.map((r) => ({ value: r, label: t(`enum.HouseholdRole.${r}`) }))}
              error={add.fieldError('role')}
              required
            />
            <FormErrors errors={add.general} />
            <SubmitButton busy={add.busy}>{t('household.addSubmit')}</SubmitButton>
          </form>
        )}
      </div>
    </details>
  );
}
