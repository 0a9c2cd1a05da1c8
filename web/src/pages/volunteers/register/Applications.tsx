// The applications queue (`/volontari/candidature`): the volunteers still to be decided on,
// those submitted first and those under review next, each oldest first, with their history and
// the steps administrators and coordinators take. An approval that invites the volunteer shows
// the invitation link to pass on.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError, request } from '../../../api/client';
import { InvitationIssued } from '../../../components/InvitationIssued';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import { useLoad } from '../../../hooks';
import { formatDate } from '../../../i18n';
import type { RegisterQueueQuery as QueueResult, VolunteerStatus } from '../../../gql/graphql';
import { RegisterQueueQuery, RegisterTaxonomyQuery } from './operations';
import { History, StatusBadge, languageName, useSkillName, type Skill } from './shared';
import { StatusActions, type Issued } from './StatusActions';

const PAGE = 20;
type Row = QueueResult['volunteers']['nodes'][number];

export default function Applications() {
  const { t } = useTranslation();
  const [issued, setIssued] = useState<Issued | null>(null);
  const [tick, setTick] = useState(0);
  const taxonomy = useLoad(() => request(RegisterTaxonomyQuery), []);
  const skills = taxonomy.data?.skills ?? [];
  const territories = taxonomy.data?.territories.nodes ?? [];
  return (
    <>
      <h1 className="h2">{t('volunteers.register.queue.title')}</h1>
      <p className="lead">{t('volunteers.register.queue.intro')}</p>
      <p>
        <Link to="/volontari">{t('volunteers.register.queue.back')}</Link>
      </p>
      {issued && <InvitationIssued token={issued.token} email={issued.email} />}
      {(['SUBMITTED', 'UNDER_REVIEW'] as const).map((status) => (
        <QueueSection
          key={`${status}-${tick}`}
          status={status}
          skills={skills}
          territories={territories}
          onIssued={setIssued}
          onChanged={() => setTick((n) => n + 1)}
        />
      ))}
    </>
  );
}

function QueueSection({
  status,
  skills,
  territories,
  onIssued,
  onChanged,
}: {
  status: VolunteerStatus;
  skills: Skill[];
  territories: { istatCode: string; name: string }[];
  onIssued: (i: Issued) => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [more, setMore] = useState<{ rows: Row[]; cursor: string | null; hasNext: boolean } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const page = useLoad(() => request(RegisterQueueQuery, { first: PAGE, status }), [status]);
  const rows = [...(page.data?.volunteers.nodes ?? []), ...(more?.rows ?? [])];
  const hasNext = more ? more.hasNext : !!page.data?.volunteers.pageInfo.hasNextPage;
  const cursor = more ? more.cursor : page.data?.volunteers.pageInfo.endCursor ?? null;
  const loadMore = async () => {
    setLoadingMore(true);
    setMoreError(null);
    try {
      const next = await request(RegisterQueueQuery, { first: PAGE, after: cursor, status });
      setMore({ rows: [...(more?.rows ?? []), ...next.volunteers.nodes], cursor: next.volunteers.pageInfo.endCursor ?? null, hasNext: next.volunteers.pageInfo.hasNextPage });
    } catch (e) {
      setMoreError(e instanceof ApiError ? e : new ApiError([{ message: String(e), code: 'INTERNAL' }]));
    } finally {
      setLoadingMore(false);
    }
  };
  const headingId = `queue-${status}`;
  return (
    <section className="mt-4" aria-labelledby={headingId} data-testid={`queue-${status}`}>
      <h2 id={headingId} className="h4">
        {t(`volunteers.register.queue.section.${status}`)}
      </h2>
      {page.loading && !page.data && <Loading />}
      {page.error && <LoadError error={page.error} />}
      {page.data && rows.length === 0 && <EmptyState title={t(`volunteers.register.queue.empty.${status}`)} />}
      <ul className="list-unstyled item-list">
        {rows.map((v) => (
          <QueueItem key={v.id} volunteer={v} skills={skills} territories={territories} onIssued={onIssued} onChanged={onChanged} />
        ))}
      </ul>
      {moreError && <LoadError error={moreError} />}
      {hasNext && (
        <button type="button" className="btn btn-outline-primary" disabled={loadingMore} onClick={() => void loadMore()}>
          {t('common.loadMore')}
        </button>
      )}
    </section>
  );
}

function QueueItem({
  volunteer: v,
  skills,
  territories,
  onIssued,
  onChanged,
}: {
  volunteer: Row;
  skills: Skill[];
  territories: { istatCode: string; name: string }[];
  onIssued: (i: Issued) => void;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const skillName = useSkillName();
  const townName = (code: string) => territories.find((x) => x.istatCode === code)?.name ?? code;
  const list = (items: string[]) =>
    items.map((n, i) => (
      <span key={i}>
        {i > 0 && t('common.separator')}
        <bdi>{n}</bdi>
      </span>
    ));
  return (
    <li data-testid="application" className="border-bottom pb-3 mb-3">
      <div className="d-flex flex-wrap justify-content-between gap-2">
        <span>
          <Link to={`/volontari/${encodeURIComponent(v.id)}`} className="fw-semibold">
            <bdi>{`${v.givenNames} ${v.familyNames}`}</bdi>
          </Link>{' '}
          <StatusBadge status={v.status} />
        </span>
        <span className="small">
          {t(`volunteers.register.source.${v.source}`)} · {formatDate(v.createdAt)}
        </span>
      </div>
      <dl className="row small mb-2 mt-2">
        {v.email && (
          <>
            <dt className="col-sm-3">{t('volunteers.register.form.email')}</dt>
            <dd className="col-sm-9 mx-0">
              <bdi>{v.email}</bdi>
            </dd>
          </>
        )}
        {v.phone && (
          <>
            <dt className="col-sm-3">{t('volunteers.register.form.phone')}</dt>
            <dd className="col-sm-9 mx-0">
              <bdi dir="ltr">{v.phone}</bdi>
            </dd>
          </>
        )}
        {v.languages.length > 0 && (
          <>
            <dt className="col-sm-3">{t('volunteers.register.form.languages')}</dt>
            <dd className="col-sm-9 mx-0">{list(v.languages.map((l) => `${languageName(l.code, i18n.language)} (${t(`volunteers.register.level.${l.level}`)})`))}</dd>
          </>
        )}
        {v.skills.length > 0 && (
          <>
            <dt className="col-sm-3">{t('volunteers.register.form.skills')}</dt>
            <dd className="col-sm-9 mx-0">{list(v.skills.map((c) => skillName(c, skills)))}</dd>
          </>
        )}
        {v.territories.length > 0 && (
          <>
            <dt className="col-sm-3">{t('volunteers.register.form.territories')}</dt>
            <dd className="col-sm-9 mx-0">{list(v.territories.map(townName))}</dd>
          </>
        )}
        <dt className="col-sm-3">{t('volunteers.register.profile.history')}</dt>
        <dd className="col-sm-9 mx-0">
          <History steps={v.history} />
        </dd>
      </dl>
      <StatusActions volunteer={v} onIssued={onIssued} onDone={onChanged} />
    </li>
  );
}
