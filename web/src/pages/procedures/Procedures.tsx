// The back office's procedures (pratiche): those alerting and those past their deadline, the
// viewer's own or everyone's within their territories, and the workload by type, by step and by
// the staff member who follows them.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { CheckField } from '../../components/Form';
import { LoadMore, usePaged } from '../../components/Paged';
import { EmptyState, LoadError, Loading } from '../../components/States';
import { useLoad } from '../../hooks';
import { formatDate, formatNumber } from '../../i18n';
import { useSession } from '../../session';
import { ProcedureTypesQuery, ProceduresQuery, ProcedureWorkloadQuery } from './operations';
import { AlertBadge, NextDeadline, ProcedureText, useProcedureLabels } from './common';

export default function Procedures() {
  const { t } = useTranslation();
  const labels = useProcedureLabels();
  const [view, setView] = useState<'alerting' | 'overdue'>('alerting');
  const [mine, setMine] = useState(false);
  const list = usePaged(
    async (after) => (await request(ProceduresQuery, { after, filter: { alerting: view === 'alerting', overdue: view === 'overdue', mine, status: 'OPEN' } })).procedures,
    [view, mine],
  );
  return (
    <>
      <h1 className="h2">{t('procedures.title')}</h1>
      <p>{t('procedures.intro')}</p>
      <section className="case-section" aria-labelledby="procedures-list-title">
        <h2 id="procedures-list-title" className="h4">
          {t(`procedures.view.${view}`)}
        </h2>
        <div className="d-flex flex-wrap gap-3 align-items-center mb-3">
          <div className="btn-group" role="group" aria-label={t('procedures.viewLabel')}>
            {(['alerting', 'overdue'] as const).map((v) => (
              <button key={v} type="button" className={`btn btn-sm ${view === v ? 'btn-primary' : 'btn-outline-primary'}`} aria-pressed={view === v} onClick={() => setView(v)}>
                {t(`procedures.view.${v}`)}
              </button>
            ))}
          </div>
          <CheckField label={t('procedures.mine')} checked={mine} onChange={setMine} />
        </div>
        {list.error && <LoadError error={list.error} />}
        {!list.loading && !list.error && list.rows.length === 0 && <EmptyState title={t(`procedures.noneView.${view}`)}>{t('procedures.noneHelp')}</EmptyState>}
        {list.rows.length > 0 && (
          <div className="table-responsive">
            <table className="table" data-testid="procedures-list">
              <caption className="visually-hidden">{t(`procedures.view.${view}`)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('procedures.type')}</th>
                  <th scope="col">{t('procedures.next')}</th>
                  <th scope="col">{t('procedures.startedOn')}</th>
                  <th scope="col">{t('procedures.case')}</th>
                </tr>
              </thead>
              <tbody>
                {list.rows.map((p) => (
                  <tr key={p.id} data-testid="procedure-row" data-type={p.typeCode}>
                    <th scope="row" className="fw-normal">
                      <ProcedureText label={labels.type(p.typeCode, p.typeLabel)} /> <AlertBadge p={p} />
                    </th>
                    <td>
                      <NextDeadline p={p} />
                    </td>
                    <td>{formatDate(p.startedOn)}</td>
                    <td>{p.caseId ? <Link to={`/casi/${encodeURIComponent(p.caseId)}`}>{t('procedures.openCase')}</Link> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.loading && <Loading />}
        <LoadMore list={list} />
      </section>
      <Workload />
    </>
  );
}

function Workload() {
  const { t } = useTranslation();
  const { viewer } = useSession();
  const labels = useProcedureLabels();
  const loaded = useLoad(() => Promise.all([request(ProcedureWorkloadQuery), request(ProcedureTypesQuery)]), []);
  if (loaded.error) return <LoadError error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const [{ procedureWorkload: w }, { procedureTypes }] = loaded.data;
  const typeLabel = (code: string) => labels.type(code, procedureTypes.find((x) => x.code === code)?.label ?? code);
  const stepLabel = (type: string, step: string) =>
    labels.step(type, step, procedureTypes.find((x) => x.code === type)?.steps.find((s) => s.code === step)?.label ?? step);
  const n = (x: number) => formatNumber(x);
  return (
    <section className="case-section" aria-labelledby="workload-title">
      <h2 id="workload-title" className="h4">
        {t('procedures.workload')}
      </h2>
      {w.byType.length === 0 && <p>{t('procedures.noWorkload')}</p>}
      {w.byType.length > 0 && (
        <div className="table-responsive">
          <table className="table table-sm" data-testid="workload-by-type">
            <caption>{t('procedures.byType')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('procedures.type')}</th>
                <th scope="col">{t('procedures.open')}</th>
                <th scope="col">{t('procedures.overdueCount')}</th>
                <th scope="col">{t('procedures.status.COMPLETED')}</th>
                <th scope="col">{t('procedures.status.ABANDONED')}</th>
              </tr>
            </thead>
            <tbody>
              {w.byType.map((r) => (
                <tr key={r.typeCode}>
                  <th scope="row" className="fw-normal">
                    <ProcedureText label={typeLabel(r.typeCode)} />
                  </th>
                  <td>{n(r.open)}</td>
                  <td>{n(r.overdue)}</td>
                  <td>{n(r.completed)}</td>
                  <td>{n(r.abandoned)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {w.byStep.length > 0 && (
        <div className="table-responsive">
          <table className="table table-sm" data-testid="workload-by-step">
            <caption>{t('procedures.byStep')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('procedures.step')}</th>
                <th scope="col">{t('procedures.open')}</th>
                <th scope="col">{t('procedures.overdueCount')}</th>
              </tr>
            </thead>
            <tbody>
              {w.byStep.map((r) => (
                <tr key={`${r.typeCode} ${r.step}`}>
                  <th scope="row" className="fw-normal">
                    <ProcedureText label={typeLabel(r.typeCode)} />: <ProcedureText label={stepLabel(r.typeCode, r.step)} />
                  </th>
                  <td>{n(r.open)}</td>
                  <td>{n(r.overdue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {w.byResponsible.length > 0 && (
        <div className="table-responsive">
          <table className="table table-sm" data-testid="workload-by-responsible">
            <caption>{t('procedures.byResponsible')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('procedures.responsible')}</th>
                <th scope="col">{t('procedures.open')}</th>
                <th scope="col">{t('procedures.alertingCount')}</th>
                <th scope="col">{t('procedures.overdueCount')}</th>
              </tr>
            </thead>
            <tbody>
              {w.byResponsible.map((r, i) => (
                <tr key={r.responsibleId}>
                  <th scope="row" className="fw-normal">
                    {r.responsibleId === viewer?.user.id ? t('procedures.you') : t('procedures.colleague', { n: i + 1 })}
                  </th>
                  <td>{n(r.open)}</td>
                  <td>{n(r.alerting)}</td>
                  <td>{n(r.overdue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
