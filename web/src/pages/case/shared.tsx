// What the parts of the case page share: the case's types, the names of needs, and the panels
// that hold a form (closed again after a save, with a note of what was saved).
import { createContext, useContext, useState, type ReactNode } from 'react';
import { request, type ApiErrorItem } from '../../api/client';
import { InterventionOutcomesQuery } from '../../api/operations';
import { SelectField } from '../../components/Form';
import { useLoad } from '../../hooks';
import { useTranslation } from 'react-i18next';
import type { CaseQuery as CaseResult, NeedCode, NeedTypesQuery as NeedTypesResult } from '../../gql/graphql';
import { formatDate, listSeparator } from '../../i18n';
import { localInput } from '../../time';

export type CaseData = Exclude<NonNullable<CaseResult['node']>, Record<PropertyKey, never>>;
export type Need = CaseData['needs']['nodes'][number];
export type NeedType = NeedTypesResult['needTypes'][number];

/** The tenant's need types, for the labels of the needs that carry one. */
export const NeedTypesContext = createContext<NeedType[]>([]);

/** A need's name in markup: its category, and the tenant's own type (its text isolated). */
export function NeedName({ need }: { need: { code: NeedCode; typeCode?: string | null } }) {
  const { t } = useTranslation();
  const types = useContext(NeedTypesContext);
  const category = t(`enum.NeedCode.${need.code}`);
  if (!need.typeCode) return <>{category}</>;
  return (
    <>
      {category}: <bdi>{types.find((x) => x.code === need.typeCode)?.label ?? need.typeCode}</bdi>
    </>
  );
}

/** The needs of `ids` in markup, comma-separated; an id not among `needs` shows as is. */
export function NeedNames({ ids, needs }: { ids: string[]; needs: Need[] }) {
  return (
    <>
      {ids.map((id, i) => {
        const n = needs.find((x) => x.id === id);
        return (
          <span key={id}>
            {i > 0 && ', '}
            {n ? <NeedName need={n} /> : id}
          </span>
        );
      })}
    </>
  );
}

/** A need's name as a plain string (accessible names): its category, and the tenant's own type. */
export function useNeedName() {
  const { t } = useTranslation();
  const types = useContext(NeedTypesContext);
  return (n: { code: NeedCode; typeCode?: string | null }) => {
    const category = t(`enum.NeedCode.${n.code}`);
    if (!n.typeCode) return category;
    const label = types.find((x) => x.code === n.typeCode)?.label ?? n.typeCode;
    return `${category}: ${label}`;
  };
}

export function localNow(): string {
  return localInput(Date.now());
}

/**
 * The case's needs as checkbox options that tell them apart: the category and the tenant's type
 * (isolated), then the source and when it was noted (`Documenti e questioni legali: ⁨Rinnovo del
 * permesso⁩ (Espressi, 6 dic 2026, 10:15)`).
 */
export function needChoices(needs: Need[], t: (k: string) => string) {
  return needs.map((n) => ({
    value: n.id,
    label: (
      <span className="need-choice">
        <NeedName need={n} /> ({t(`enum.NeedSource.${n.source}`)}
        {listSeparator()}
        <time dateTime={n.notedAt}>{formatDate(n.notedAt, true)}</time>)
      </span>
    ),
  }));
}

/** Closes the panel around a form after its save (a no-op outside a panel). */
const PanelDone = createContext<() => void>(() => {});

/** What a form inside a `Panel` calls after a successful save. */
export function usePanelDone() {
  return useContext(PanelDone);
}

/**
 * A form behind a summary. After a save the panel closes and says what was saved (a polite
 * status), so that the page does not grow with forms left open.
 */
export function Panel({ title, children, testId, open }: { title: string; children: ReactNode; testId: string; open?: boolean }) {
  const { t } = useTranslation();
  const [isOpen, setOpen] = useState(!!open);
  const [saved, setSaved] = useState(false);
  return (
    <>
      <details className="form-panel" data-testid={testId} open={isOpen} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary onClick={() => setSaved(false)}>{title}</summary>
        <div className="form-panel-body">
          <PanelDone.Provider
            value={() => {
              setOpen(false);
              setSaved(true);
            }}
          >
            {children}
          </PanelDone.Provider>
        </div>
      </details>
      {saved && !isOpen && (
        <p className="small text-success fw-semibold panel-saved" role="status" data-testid={`${testId}-saved`}>
          {t('caseView.saved', { what: title })}
        </p>
      )}
    </>
  );
}

/** An intervention outcome's name in the console's language (a code recorded before the closed
 * list existed shows as it is). */
export function useInterventionOutcomeName() {
  const { t } = useTranslation();
  return (code: string) => t(`enum.InterventionOutcome.${code}`, { defaultValue: code });
}

/** The intervention outcomes the tenant offers, by name; empty means "no outcome yet". `current`
 * (an intervention's outcome now) stays offered even if the tenant has withdrawn it. */
export function InterventionOutcomeField({
  value,
  onChange,
  error,
  current,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: ApiErrorItem;
  current?: string | null;
}) {
  const { t } = useTranslation();
  const name = useInterventionOutcomeName();
  const outcomes = useLoad(() => request(InterventionOutcomesQuery), []);
  const codes = (outcomes.data?.interventionOutcomes ?? []).filter((o) => o.offered || o.code === current).map((o) => o.code);
  if (current && !codes.includes(current)) codes.push(current);
  return (
    <SelectField
      label={t('case.fields.outcome')}
      value={value}
      onChange={onChange}
      placeholder={t('case.fields.noOutcomeYet')}
      options={codes.map((code) => ({ value: code, label: name(code) }))}
      error={error}
    />
  );
}
