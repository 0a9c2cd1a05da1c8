// One case, laid out for a desk and for a phone: the person and the case's state first, then the
// actions (the status and, on an open case, a form for each kind of entry), then the needs, the
// timeline (a page at a time) and the plan, then the person's data, appointments and consents.
// A jump list leads to each section. The parts live in ./case/.
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import { CaseQuery, NeedTypesQuery, PersonExportQuery } from '../api/operations';
import { ErasePerson } from '../components/ErasePerson';
import { ExportButton } from '../components/ExportButton';
import { Household } from '../components/Household';
import { HousingMilestones } from './case/HousingMilestones';
import { PersonEditForm } from '../components/PersonEditForm';
import { useIsoNames } from '../iso';
import { useTerritoryNames } from '../territories';
import { EmptyState, LoadError, Loading } from '../components/States';
import type { PersonExportFormat } from '../gql/graphql';
import { useLoad } from '../hooks';
import { formatDate, formatList } from '../i18n';
import { useSession } from '../session';
import { PersonName, isolate } from '../bidi';
import { Appointments } from './case/Appointments';
import { Consents } from './case/Consents';
import { EncounterForm, GoalForm, InterventionForm, NeedForm, ReferralForm, StepForm } from './case/Forms';
import { Needs } from './case/Needs';
import { Plan } from './case/Plan';
import { StatusForm } from './case/StatusForm';
import { Timeline } from './case/Timeline';
import { CaseProcedures } from './case/Procedures';
import { NeedTypesContext, Panel, type CaseData } from './case/shared';

export default function CasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const loaded = useLoad(() => request(CaseQuery, { id }), [id]);
  const { name: territoryName, territories } = useTerritoryNames();
  const needTypes = useLoad(() => request(NeedTypesQuery), []);
  const types = needTypes.data?.needTypes ?? [];
  const iso = useIsoNames();
  const navigate = useNavigate();
  const { hasRole } = useSession();

  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error && !loaded.error.has('NOT_FOUND')) return <LoadError error={loaded.error} />;
  const c = loaded.error ? null : (loaded.data?.node as CaseData | null | undefined);
  // Another tenant's case is indistinguishable from a missing one.
  if (!c || !('status' in c)) {
    return (
      <EmptyState title={t('case.notFound')} action={<Link to="/casi">{t('case.backToList')}</Link>}>
        {t('case.notFoundHelp')}
      </EmptyState>
    );
  }
  const reload = loaded.reload;
  const needs = c.needs.nodes;
  // A closed case is read: only reopening, the notes of its encounters and the person's own data
  // (consents, household, appointments already booked) can change.
  const closed = c.status === 'CLOSED';
  const jumps: [string, string][] = [
    ['actions-title', t('caseView.actions')],
    ['needs-title', t('caseView.jumpNeeds')],
    ['timeline-title', t('case.timeline')],
    ['plan-title', t('caseView.jumpPlan')],
    ['procedures-title', t('procedures.title')],
    ['person-title', t('caseView.jumpPerson')],
    ['appointments-title', t('appointments.title')],
    ['consent-title', t('case.consents')],
  ];
  return (
    <NeedTypesContext.Provider value={types}>
      <p className="mb-1">
        <Link to="/casi" className="back-link">{t('case.backToList')}</Link>
      </p>
      <div className="page-head">
        <h1 className="h2 mb-0" data-testid="case-person">
          <PersonName person={c.person} />
        </h1>
        <span className={`badge status-${c.status.toLowerCase()}`} data-testid="case-status">
          {t(`enum.CaseStatus.${c.status}`)}
        </span>
      </div>
      <p className="text-muted">
        {t('case.summary', {
          territory: isolate(territoryName(c.territoryCode)),
          date: formatDate(c.openedAt),
        })}
        {c.person.birth && <> · {t('case.born', { year: c.person.birth.year })}</>}
        {c.person.countryOfBirth && <> · <span data-testid="case-country">{iso.country(c.person.countryOfBirth)}</span></>}
        {c.person.citizenships.length > 0 && (
          <>
            {' · '}
            {t('personEdit.citizenships')}: <span data-testid="case-citizenships">{formatList(c.person.citizenships.map(iso.country))}</span>
          </>
        )}
        {c.person.languages.length > 0 && (
          <>
            {' · '}
            {t('personEdit.languages')}: <span data-testid="case-languages">{formatList(c.person.languages.map((l) => iso.language(l.code)))}</span>
          </>
        )}
        {c.person.phone && <> · <bdi data-testid="case-phone">{c.person.phone}</bdi></>}
        {closed && c.closedAt && (
          <>
            {' · '}
            <span data-testid="case-closed">
              {t('case.closedSummary', {
                date: formatDate(c.closedAt),
                outcome: c.outcome ? t(`enum.CaseOutcome.${c.outcome}`, { defaultValue: c.outcome }) : '—',
              })}
            </span>
          </>
        )}
        {c.person.warnings.length > 0 && (
          <>
            {' · '}
            <a href="#person-title" className="text-warning-emphasis fw-semibold" data-testid="case-cf-warning">
              {t('persons.cfWarnings.short')}
            </a>
          </>
        )}
      </p>
      <nav className="case-jump" aria-label={t('caseView.jump')} data-testid="case-jump">
        <ul>
          {jumps.map(([target, label]) => (
            <li key={target}>
              <a href={`#${target}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>

      <div className="case-layout">
        <div className="case-actions">
          <section aria-labelledby="actions-title" className="case-section" data-testid="case-actions">
            <h2 id="actions-title" className="h4">
              {t('caseView.actions')}
            </h2>
            <StatusForm caseId={c.id} version={c.version} status={c.status} onDone={reload} />
            {closed ? (
              <p className="small" data-testid="case-closed-note">
                {t('caseView.closedNote')}
              </p>
            ) : (
              <div data-testid="record-forms">
                <h3 id="add-title" className="h6">
                  {t('case.record')}
                </h3>
                <Panel title={t('case.forms.encounter')} testId="form-encounter" open={c.encounters.nodes.length === 0}>
                  <EncounterForm caseId={c.id} types={types} onDone={reload} />
                </Panel>
                <Panel title={t('case.forms.need')} testId="form-need">
                  <NeedForm caseId={c.id} types={types} onDone={reload} />
                </Panel>
                <Panel title={t('case.forms.intervention')} testId="form-intervention">
                  <InterventionForm caseId={c.id} needs={needs} onDone={reload} />
                </Panel>
                <Panel title={t('case.forms.referral')} testId="form-referral">
                  <ReferralForm caseId={c.id} personId={c.person.id} consents={c.person.consents} needs={needs} onDone={reload} />
                </Panel>
                <Panel title={t('case.forms.goal')} testId="form-goal">
                  <GoalForm caseId={c.id} needs={needs} onDone={reload} />
                </Panel>
                {c.plan.length > 0 && (
                  <Panel title={t('case.forms.step')} testId="form-step">
                    <StepForm goals={c.plan} onDone={reload} />
                  </Panel>
                )}
              </div>
            )}
          </section>
        </div>

        <div className="case-main">
          <section aria-labelledby="needs-title" className="case-section">
            <h2 id="needs-title" className="h4">
              {t('case.needs')}
            </h2>
            <Needs needs={needs} readOnly={closed} onDone={reload} />
          </section>
          <section aria-labelledby="timeline-title" className="case-section">
            <h2 id="timeline-title" className="h4">
              {t('case.timeline')}
            </h2>
            <Timeline c={c} readOnly={closed} onDone={reload} />
          </section>
          <section aria-labelledby="plan-title" className="case-section">
            <h2 id="plan-title" className="h4">
              {t('case.plan')}
            </h2>
            <Plan plan={c.plan} needs={needs} readOnly={closed} onDone={reload} />
          </section>
          <section aria-labelledby="procedures-title" className="case-section" data-testid="procedures-section">
            <h2 id="procedures-title" className="h4">
              {t('procedures.title')}
            </h2>
            <CaseProcedures personId={c.person.id} caseId={c.id} closed={closed} />
          </section>
          <section aria-labelledby="legal-title" className="case-section">
            <h2 id="legal-title" className="h4">
              {t('oncall.legal.title')}
            </h2>
            <p className="small">{t('oncall.legal.fromCase')}</p>
            <Link className="btn btn-outline-primary btn-sm" to={`/consulenza-legale?caso=${encodeURIComponent(c.id)}`}>
              {t('oncall.legal.askAboutCase')}
            </Link>
          </section>
        </div>

        <div className="case-side">
          <section aria-labelledby="person-title" className="case-section">
            <h2 id="person-title" className="h4">
              {t('personEdit.title')}
            </h2>
            <Panel title={t('personEdit.open')} testId="form-person">
              <PersonEditForm person={c.person} territories={territories.data?.territories.nodes ?? []} onDone={reload} />
            </Panel>
          </section>
          <section aria-labelledby="subject-access-title" className="case-section" data-testid="subject-access">
            <h2 id="subject-access-title" className="h4">
              {t('subjectAccess.title')}
            </h2>
            <p className="small">{t('subjectAccess.help')}</p>
            <div className="d-flex gap-2 flex-wrap">
              <ExportButton label={t('subjectAccess.json')} run={() => exportPerson(c.person.id, 'JSON')} />
              <ExportButton label={t('subjectAccess.pdf')} run={() => exportPerson(c.person.id, 'PDF')} />
            </div>
          </section>
          <section aria-labelledby="household-title" className="case-section">
            <h2 id="household-title" className="h4">
              {t('household.title')}
            </h2>
            <Household person={c.person} onDone={reload} />
          </section>
          <section aria-labelledby="housing-milestones-title" className="case-section">
            <h2 id="housing-milestones-title" className="h4">
              {t('housing.caseMilestones.title')}
            </h2>
            <HousingMilestones householdId={c.person.household?.id} />
          </section>
          <section aria-labelledby="appointments-title" className="case-section">
            <h2 id="appointments-title" className="h4">
              {t('appointments.title')}
            </h2>
            <Appointments personId={c.person.id} caseId={c.id} closed={closed} person={c.person} />
          </section>
          <section aria-labelledby="consent-title" className="case-section">
            <h2 id="consent-title" className="h4">
              {t('case.consents')}
            </h2>
            <Consents personId={c.person.id} consents={c.person.consents} onDone={reload} />
          </section>
          {hasRole('COORDINATOR', 'TENANT_ADMIN') && (
            <section aria-labelledby="erase-title" className="case-section" data-testid="erase-section">
              <h2 id="erase-title" className="h4">
                {t('erase.title')}
              </h2>
              <p className="small">{t('erase.intro')}</p>
              <p className="small">
                {t('erase.idLabel')}: <code data-testid="erase-person-id">{c.person.id}</code>
              </p>
              <ErasePerson personId={c.person.id} onDone={() => navigate('/casi', { state: { erased: true } })} />
            </section>
          )}
        </div>
      </div>
    </NeedTypesContext.Provider>
  );
}

// A person's subject access export (GDPR art. 15 and 20) as a file to download.
async function exportPerson(personId: string, format: PersonExportFormat) {
  const data = await request(PersonExportQuery, { personId, format });
  const f = data.personExport;
  return { filename: f.filename, contentType: f.contentType, base64: f.contentBase64 };
}
