// The housing section's first screen: where to go, and the viewer's follow-ups that are due,
// each with its form.
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { LoadMore, usePaged } from '../../components/Paged';
import { EmptyState, LoadError, Loading } from '../../components/States';
import type { HousingFollowUpsQuery as Result } from '../../gql/graphql';
import { formatDate, formatNumber } from '../../i18n';
import { HousingFollowUpsQuery } from './operations';
import { HousingTabs } from './common';
import { FollowUpForm } from './FollowUpForm';

type Row = Result['followUps']['nodes'][number];

export default function HousingHome() {
  const { t } = useTranslation();
  const due = usePaged<Row>(async (after) => (await request(HousingFollowUpsQuery, { after, due: true, mine: true })).followUps, []);
  return (
    <>
      <h1 className="h2">{t('housing.home.title')}</h1>
      <HousingTabs />
      <p>{t('housing.home.help')}</p>
      <div className="d-flex gap-2 flex-wrap mb-4">
        <Link to="/abitare/domande/nuova" className="btn btn-primary">
          {t('housing.waiting.new')}
        </Link>
        <Link to="/abitare/inserimenti/nuovo" className="btn btn-outline-primary">
          {t('housing.home.place')}
        </Link>
      </div>
      <section aria-labelledby="due-title" className="case-section">
        <h2 id="due-title" className="h4">
          {t('housing.home.due')}
        </h2>
        {due.error && <LoadError error={due.error} />}
        {!due.loading && !due.error && due.rows.length === 0 && <EmptyState title={t('housing.home.noneDue')}>{t('housing.home.noneDueHelp')}</EmptyState>}
        {due.rows.length > 0 && (
          <ul className="list-unstyled item-list" data-testid="due-follow-ups">
            {due.rows.map((f) => (
              <li key={f.id} data-testid="due-follow-up">
                <p className="mb-1">
                  <Link to={`/abitare/inserimenti/${encodeURIComponent(f.placementId)}`}>
                    <bdi>{f.household.label}</bdi>
                  </Link>{' '}
                  · {t('housing.followUp.months', { n: formatNumber(f.months) })} · {t('housing.followUp.due', { date: formatDate(f.dueOn) })}
                </p>
                <details className="form-panel">
                  <summary>{t('housing.followUp.record')}</summary>
                  <div className="form-panel-body">
                    <FollowUpForm followUp={f} onDone={() => due.setRows((rows) => rows.filter((r) => r.id !== f.id))} />
                  </div>
                </details>
              </li>
            ))}
          </ul>
        )}
        {due.loading && <Loading />}
        <LoadMore list={due} />
      </section>
    </>
  );
}
