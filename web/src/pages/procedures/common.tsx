// What the procedure screens share: the labels of procedure types, steps and documents, the
// alert badge, one procedure with its steps, documents and next deadline, and the form that
// records a step's day.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request, type ApiError, type ApiErrorItem } from '../../api/client';
import { FormErrors } from '../../components/Form';
import { formatDate } from '../../i18n';
import { today } from '../../time';
import type { DocumentStatus, ProcedureFieldsFragment } from '../../gql/graphql';
import { RecordProcedureStepMutation, SetProcedureDocumentMutation } from './operations';

export type ProcedureRow = ProcedureFieldsFragment;
export const DOCUMENT_STATUSES: DocumentStatus[] = ['MISSING', 'REQUESTED', 'RECEIVED', 'NOT_NEEDED'];

/** Overdue, or within its alert days of the next deadline; nothing otherwise. */
export function AlertBadge({ p }: { p: Pick<ProcedureRow, 'overdue' | 'alerting'> }) {
  const { t } = useTranslation();
  if (p.overdue) {
    return (
      <span className="badge status-badge status-alert" data-testid="procedure-alert" data-alert="overdue">
        {t('procedures.overdue')}
      </span>
    );
  }
  if (p.alerting) {
    return (
      <span className="badge status-badge status-monitoring" data-testid="procedure-alert" data-alert="alerting">
        {t('procedures.alerting')}
      </span>
    );
  }
  return null;
}

/** A text the server gives in Italian only (the source of a time limit), marked as such. */
export function ItalianLabel({ text }: { text: string }) {
  return <bdi lang="it">{text}</bdi>;
}

/**
 * The label of a procedure type, reference date, step or document as shown: the catalogue's in
 * the console's language for the seeded types (`translated`), otherwise the server's (a tenant's
 * own type), which is in Italian (`lang` is `it` when the console is in another language).
 */
export type ProcedureLabel = { text: string; translated: boolean; lang?: 'it' };

/**
 * Labels of procedure types and their reference dates, steps and documents by code, from the
 * locales' `procedureCatalogue`; a code the catalogue does not know keeps the label the server
 * sends (`fallback`).
 */
export function useProcedureLabels() {
  const { t, i18n } = useTranslation();
  const label = (key: string, fallback: string): ProcedureLabel => {
    const translated = i18n.exists(key);
    return {
      text: t(key, { defaultValue: fallback }),
      translated,
      lang: translated || i18n.language === 'it' ? undefined : 'it',
    };
  };
  return {
    type: (code: string, fallback: string) => label(`procedureCatalogue.types.${code}`, fallback),
    reference: (code: string, fallback: string) => label(`procedureCatalogue.references.${code}`, fallback),
    step: (typeCode: string, stepCode: string, fallback: string) => label(`procedureCatalogue.steps.${typeCode}.${stepCode}`, fallback),
    document: (typeCode: string, documentCode: string, fallback: string) => label(`procedureCatalogue.documents.${typeCode}.${documentCode}`, fallback),
  };
}

/** A procedure label in markup: the catalogue's as it is, the server's isolated and marked by language. */
export function ProcedureText({ label }: { label: ProcedureLabel }) {
  return label.translated ? <>{label.text}</> : <bdi lang={label.lang}>{label.text}</bdi>;
}

/** The next deadline: its day and step, or that none is pending. */
export function NextDeadline({ p }: { p: ProcedureRow }) {
  const { t } = useTranslation();
  const labels = useProcedureLabels();
  if (p.status !== 'OPEN') return <>{t(`procedures.status.${p.status}`)}</>;
  if (!p.nextDueOn) return <>{t('procedures.noDeadline')}</>;
  const step = p.steps.find((s) => s.code === p.nextStep);
  return (
    <span data-testid="next-deadline">
      {formatDate(p.nextDueOn)}
      {step && (
        <>
          {' · '}
          <ProcedureText label={labels.step(p.typeCode, step.code, step.label)} />
        </>
      )}
    </span>
  );
}

/** One procedure in full: steps with due and done days, documents, next deadline. */
export function ProcedureCard({ p, onChange, readOnly }: { p: ProcedureRow; onChange: (p: ProcedureRow) => void; readOnly?: boolean }) {
  const { t } = useTranslation();
  const labels = useProcedureLabels();
  const type = labels.type(p.typeCode, p.typeLabel);
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<ProcedureRow>) => {
    setBusy(true);
    setErrors([]);
    try {
      onChange(await action());
    } catch (e) {
      setErrors((e as ApiError).items ?? [{ code: 'INTERNAL', message: String(e) }]);
    } finally {
      setBusy(false);
    }
  };
  const titleId = `procedure-${p.id}`;
  const open = p.status === 'OPEN' && !readOnly;
  return (
    <li className={`card card-bg mb-3 shadow-sm procedure${p.alerting ? ' procedure-alerting' : ''}`} data-testid="procedure" data-type={p.typeCode} aria-labelledby={titleId}>
      <div className="card-body p-3">
        <div className="d-flex flex-wrap gap-2 align-items-center mb-2">
          <h3 id={titleId} className="h5 mb-0">
            <ProcedureText label={type} />
          </h3>
          <AlertBadge p={p} />
        </div>
        <p className="small mb-2">
          {t('procedures.started', { date: formatDate(p.startedOn) })} · {t(`procedures.office.${p.office}`)}
          {p.referenceOn && <> · {t('procedures.reference', { date: formatDate(p.referenceOn) })}</>}
          {' · '}
          {t('procedures.alertDays', { count: p.alertDays })}
        </p>
        <p className="mb-2">
          <span className="fw-semibold">{t('procedures.next')}:</span> <NextDeadline p={p} />
        </p>
        <div className="table-responsive">
          <table className="table table-sm procedure-steps" data-testid="procedure-steps">
            <caption className="visually-hidden">{t('procedures.stepsOf', { type: type.text })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('procedures.step')}</th>
                <th scope="col">{t('procedures.due')}</th>
                <th scope="col">{t('procedures.done')}</th>
              </tr>
            </thead>
            <tbody>
              {p.steps.map((s) => {
                const step = labels.step(p.typeCode, s.code, s.label);
                return (
                  <tr key={s.code} data-step={s.code} className={s.code === p.nextStep && p.status === 'OPEN' ? 'procedure-next' : undefined}>
                    <th scope="row" className="fw-normal">
                      <ProcedureText label={step} />
                      <span className="d-block small text-muted">
                        {t(`procedures.office.${s.office}`)}
                        {s.source && (
                          <>
                            {' · '}
                            {t(`procedures.limit.${s.limitKind}`)}: <ItalianLabel text={s.source} />
                          </>
                        )}
                      </span>
                    </th>
                    <td>{s.dueOn ? formatDate(s.dueOn) : '—'}</td>
                    <td>
                      {s.doneOn ? formatDate(s.doneOn) : open ? <RecordStep p={p} step={s.code} label={step.text} busy={busy} run={run} /> : '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {p.documents.length > 0 && (
          <>
            <h4 className="h6">{t('procedures.documents')}</h4>
            <ul className="list-unstyled procedure-documents" data-testid="procedure-documents">
              {p.documents.map((d) => {
                const doc = labels.document(p.typeCode, d.code, d.label);
                return (
                  <li key={d.code} className="d-flex flex-wrap gap-2 align-items-center mb-1">
                    <ProcedureText label={doc} />
                    {open ? (
                      <select
                        className="form-select form-select-sm w-auto"
                        aria-label={`${doc.text}: ${t('procedures.documentStatus')}`}
                        value={d.status}
                        disabled={busy}
                        onChange={(e) =>
                          void run(async () =>
                            (await request(SetProcedureDocumentMutation, { input: { id: p.id, document: d.code, status: e.target.value as DocumentStatus, expectedVersion: p.version } })).setProcedureDocument,
                          )
                        }
                      >
                        {DOCUMENT_STATUSES.map((s) => (
                          <option key={s} value={s}>
                            {t(`procedures.document.${s}`)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <span className="small">· {t(`procedures.document.${d.status}`)}</span>
                    )}
                  </li>
                );
              })}
            </ul>
          </>
        )}
        <FormErrors errors={errors} />
      </div>
    </li>
  );
}

function RecordStep({
  p,
  step,
  label,
  busy,
  run,
}: {
  p: ProcedureRow;
  step: string;
  label: string;
  busy: boolean;
  run: (action: () => Promise<ProcedureRow>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [on, setOn] = useState(today());
  return (
    <form
      className="d-flex flex-wrap gap-1 align-items-center record-step"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!on) return;
        void run(async () => (await request(RecordProcedureStepMutation, { input: { id: p.id, step, doneOn: on, expectedVersion: p.version } })).recordProcedureStep);
      }}
    >
      <input
        type="date"
        className="form-control form-control-sm w-auto"
        aria-label={t('procedures.doneOn', { step: label })}
        value={on}
        min={p.startedOn}
        max={today()}
        onChange={(e) => setOn(e.target.value)}
      />
      <button type="submit" className="btn btn-outline-primary btn-xs" disabled={busy} aria-label={t('procedures.recordStep', { step: label })}>
        {t('procedures.record')}
      </button>
    </form>
  );
}
