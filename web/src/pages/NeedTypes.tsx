// The tenant's own need types: refinements of the common categories that operators can choose
// when they record a need. Tenant administrators and coordinators add, rename, retire and restore
// them; a retired type stays on past needs but cannot be chosen any more. Below, the outcomes of
// the closed list the tenant offers when a case is closed.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, request, type ApiErrorItem } from '../api/client';
import {
  CaseOutcomesQuery,
  CreateNeedTypeMutation,
  InterventionOutcomesQuery,
  NeedTypesQuery,
  SetCaseOutcomeMutation,
  SetInterventionOutcomeMutation,
  UpdateNeedTypeMutation,
} from '../api/operations';
import { FormErrors, SelectField, SubmitButton, TextField } from '../components/Form';
import { EmptyState, LoadError, Loading } from '../components/States';
import { NEED_CODES } from '../enums';
import type { NeedCode, NeedTypesQuery as NeedTypesResult } from '../gql/graphql';
import { useLoad, useSubmit } from '../hooks';
import { isolate } from '../bidi';

type NeedType = NeedTypesResult['needTypes'][number];

/** A duplicate code comes back as CONFLICT on the field `code`; without a field it still belongs next to the code. */
function onCode(items: ApiErrorItem[]): ApiErrorItem[] {
  return items.map((e) => (e.code === 'CONFLICT' && !e.field ? { ...e, field: 'code' } : e));
}

export default function NeedTypes() {
  const { t } = useTranslation();
  const types = useLoad(() => request(NeedTypesQuery), []);
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [category, setCategory] = useState<NeedCode>('DOCUMENTS_LEGAL');
  const form = useSubmit(['code', 'label', 'category']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await form.run(async () => {
      try {
        return await request(CreateNeedTypeMutation, { code: code.trim(), label: label.trim(), category });
      } catch (err) {
        throw err instanceof ApiError ? new ApiError(onCode(err.items)) : err;
      }
    });
    if (done) {
      setCode('');
      setLabel('');
      types.reload();
    }
  };

  const list = types.data?.needTypes ?? [];
  const sorted = [...list].sort(
    (a, b) => NEED_CODES.indexOf(a.category) - NEED_CODES.indexOf(b.category) || a.label.localeCompare(b.label),
  );
  return (
    <>
      <h1 className="h2">{t('needTypes.title')}</h1>
      <p className="lead">{t('needTypes.intro')}</p>
      <div className="row g-4">
        <div className="col-12 col-lg-7">
          <h2 className="h4">{t('needTypes.current')}</h2>
          {types.loading && !types.data && <Loading />}
          {types.error && <LoadError error={types.error} />}
          {types.data && list.length === 0 && <EmptyState title={t('needTypes.empty')}>{t('needTypes.emptyHelp')}</EmptyState>}
          <ul className="list-unstyled item-list" data-testid="need-type-list">
            {sorted.map((nt) => (
              <NeedTypeItem key={nt.id} type={nt} onDone={types.reload} />
            ))}
          </ul>
        </div>
        <div className="col-12 col-lg-5">
          <h2 className="h4">{t('needTypes.add')}</h2>
          <form onSubmit={submit} noValidate data-testid="need-type-form">
            <SelectField
              label={t('needTypes.category')}
              value={category}
              onChange={(v) => setCategory(v as NeedCode)}
              options={NEED_CODES.map((c) => ({ value: c, label: t(`enum.NeedCode.${c}`) }))}
              error={form.fieldError('category')}
              required
            />
            <TextField label={t('needTypes.label')} value={label} onChange={setLabel} error={form.fieldError('label')} required />
            <TextField
              label={t('needTypes.code')}
              value={code}
              onChange={setCode}
              hint={t('needTypes.codeHint')}
              error={form.fieldError('code')}
              autoComplete="off"
              required
            />
            <FormErrors errors={form.general} />
            <SubmitButton busy={form.busy}>{t('needTypes.submit')}</SubmitButton>
          </form>
        </div>
      </div>
      <OutcomeOffers list="case" />
      <OutcomeOffers list="intervention" />
    </>
  );
}

/** One closed list of outcomes (of cases, of interventions), each offered or withdrawn here. */
const OUTCOME_LISTS = {
  case: {
    section: 'caseOutcomes',
    enumName: 'CaseOutcome',
    testId: 'case-outcome',
    load: async () => (await request(CaseOutcomesQuery)).caseOutcomes,
    set: async (code: string, offered: boolean) => (await request(SetCaseOutcomeMutation, { code, offered })).setCaseOutcome,
  },
  intervention: {
    section: 'interventionOutcomes',
    enumName: 'InterventionOutcome',
    testId: 'intervention-outcome',
    load: async () => (await request(InterventionOutcomesQuery)).interventionOutcomes,
    set: async (code: string, offered: boolean) => (await request(SetInterventionOutcomeMutation, { code, offered })).setInterventionOutcome,
  },
} as const;

function OutcomeOffers({ list }: { list: keyof typeof OUTCOME_LISTS }) {
  const { t } = useTranslation();
  const def = OUTCOME_LISTS[list];
  const outcomes = useLoad(def.load, [def]);
  // Refusals (the last offered outcome, for one) are shown under the list.
  const toggle = useSubmit([]);
  return (
    <section className="mt-5" aria-labelledby={`${def.testId}s-title`}>
      <h2 id={`${def.testId}s-title`} className="h4">
        {t(`${def.section}.title`)}
      </h2>
      <p>{t(`${def.section}.intro`)}</p>
      {outcomes.error && <LoadError error={outcomes.error} />}
      <ul className="list-unstyled item-list" data-testid={`${def.testId}-list`}>
        {(outcomes.data ?? []).map((o) => {
          const name = t(`enum.${def.enumName}.${o.code}`, { defaultValue: o.code });
          return (
            <li key={o.code} data-testid={`${def.testId}-${o.code}`} className="d-flex flex-wrap justify-content-between align-items-center gap-2">
              <span>
                <strong>{name}</strong>
                {!o.offered && (
                  <>
                    {' '}
                    <span className="badge bg-secondary ms-1">{t(`${def.section}.withdrawn`)}</span>
                  </>
                )}
              </span>
              <button
                type="button"
                className={`btn btn-xs ${o.offered ? 'btn-outline-danger' : 'btn-outline-success'}`}
                disabled={toggle.busy}
                aria-label={t(o.offered ? 'needTypes.retireNamed' : 'needTypes.restoreNamed', { name })}
                onClick={async () => {
                  if (await toggle.run(() => def.set(o.code, !o.offered))) outcomes.reload();
                }}
              >
                {o.offered ? t('needTypes.retire') : t('needTypes.restore')}
              </button>
            </li>
          );
        })}
      </ul>
      <FormErrors errors={toggle.general} />
    </section>
  );
}

function NeedTypeItem({ type, onDone }: { type: NeedType; onDone: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(type.label);
  const rename = useSubmit(['label']);
  const toggle = useSubmit([]);
  return (
    <li data-testid={`need-type-${type.code}`}>
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2">
        <span>
          <strong>
            <bdi>{type.label}</bdi>
          </strong>{' '}
          · <bdi className="font-monospace">{type.code}</bdi> · {t(`enum.NeedCode.${type.category}`)}
          {type.retired && <span className="badge bg-secondary ms-2">{t('needTypes.retired')}</span>}
        </span>
        <span className="d-inline-flex flex-wrap gap-1">
          <button
            type="button"
            className="btn btn-outline-primary btn-xs"
            aria-expanded={editing}
            aria-label={t('needTypes.renameNamed', { name: isolate(type.label) })}
            onClick={() => {
              setLabel(type.label);
              rename.setErrors([]);
              setEditing(!editing);
            }}
          >
            {t('needTypes.rename')}
          </button>
          <button
            type="button"
            className={`btn btn-xs ${type.retired ? 'btn-outline-success' : 'btn-outline-danger'}`}
            disabled={toggle.busy}
            aria-label={t(type.retired ? 'needTypes.restoreNamed' : 'needTypes.retireNamed', { name: isolate(type.label) })}
            onClick={async () => {
              if (await toggle.run(() => request(UpdateNeedTypeMutation, { id: type.id, expectedVersion: type.version, retired: !type.retired }))) onDone();
            }}
          >
            {type.retired ? t('needTypes.restore') : t('needTypes.retire')}
          </button>
        </span>
      </div>
      {editing && (
        <form
          className="mt-2"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            if (await rename.run(() => request(UpdateNeedTypeMutation, { id: type.id, expectedVersion: type.version, label: label.trim() }))) {
              setEditing(false);
              onDone();
            }
          }}
        >
          <TextField label={t('needTypes.newLabel', { name: isolate(type.label) })} value={label} onChange={setLabel} error={rename.fieldError('label')} required />
          <FormErrors errors={rename.general} />
          <div className="d-flex gap-2">
            <SubmitButton busy={rename.busy}>{t('needTypes.saveLabel')}</SubmitButton>
            <button type="button" className="btn btn-outline-secondary" onClick={() => setEditing(false)}>
              {t('needTypes.cancel')}
            </button>
          </div>
        </form>
      )}
      <FormErrors errors={toggle.general} />
    </li>
  );
}
