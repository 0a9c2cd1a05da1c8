// A volunteer's profile (`/volontari/:id`): status and history with the steps to take, the
// agreements, and the record editable at the version loaded (a stale version says to reload).
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { InvitationIssued } from '../../../components/InvitationIssued';
import { LoadError, Loading, NotFound } from '../../../components/States';
import { useLoad } from '../../../hooks';
import { formatDate } from '../../../i18n';
import { RegisterTaxonomyQuery, RegisterVolunteerQuery } from './operations';
import { Fact, History, StatusBadge } from './shared';
import { StatusActions, type Issued } from './StatusActions';
import { VolunteerForm } from './VolunteerForm';

export default function Profile() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [issued, setIssued] = useState<Issued | null>(null);
  const volunteer = useLoad(() => request(RegisterVolunteerQuery, { id }), [id]);
  const taxonomy = useLoad(() => request(RegisterTaxonomyQuery), []);
  const node = volunteer.data?.node;
  const v = node && 'givenNames' in node ? (node as Extract<typeof node, { givenNames: string }>) : null;
  if (volunteer.loading && !volunteer.data) return <Loading />;
  const notFound = (
    <NotFound title={t('volunteers.register.profile.notFound')} help={t('volunteers.register.profile.notFoundHelp')} back={{ to: '/volontari', label: t('volunteers.register.queue.back') }} />
  );
  if (volunteer.error?.has('NOT_FOUND')) return notFound;
  if (volunteer.error) return <LoadError error={volunteer.error} />;
  if (!v) return notFound;
  const day = (d?: string | null) => (d ? formatDate(d) : t('volunteers.register.profile.notRecorded'));
  return (
    <>
      <p>
        <Link to="/volontari">{t('volunteers.register.queue.back')}</Link>
      </p>
      <h1 className="h2">
        <bdi>{`${v.givenNames} ${v.familyNames}`}</bdi>
      </h1>
      <section className="mb-4" aria-labelledby="volunteer-status-title">
        <h2 id="volunteer-status-title" className="h4">
          {t('volunteers.register.profile.status')} <StatusBadge status={v.status} />
        </h2>
        <dl className="row small">
          <Fact term={t('volunteers.register.profile.source')}>{t(`volunteers.register.source.${v.source}`)}</Fact>
          <Fact term={t('volunteers.register.profile.account')}>{v.hasAccount ? t('volunteers.register.profile.hasAccount') : t('volunteers.register.profile.noAccount')}</Fact>
          <Fact term={t('volunteers.register.profile.conduct')}>{day(v.conductSignedOn)}</Fact>
          <Fact term={t('volunteers.register.profile.consent')}>{day(v.dataConsentOn)}</Fact>
          <Fact term={t('volunteers.register.profile.minorsCheck')}>
            {!v.worksWithMinors
              ? t('volunteers.register.profile.noMinors')
              : v.minorsCheckOn
                ? t('volunteers.register.profile.minorsSeen', { date: formatDate(v.minorsCheckOn) })
                : t('volunteers.register.profile.minorsMissing')}
          </Fact>
          <Fact term={t('volunteers.register.profile.history')}>
            <History steps={v.history} />
          </Fact>
        </dl>
        {issued && <InvitationIssued token={issued.token} email={issued.email} />}
        <StatusActions volunteer={v} onIssued={setIssued} onDone={volunteer.reload} />
      </section>
      <section aria-labelledby="volunteer-edit-title">
        <h2 id="volunteer-edit-title" className="h4">
          {t('volunteers.register.profile.edit')}
        </h2>
        {taxonomy.error && <LoadError error={taxonomy.error} />}
        {taxonomy.data && (
          <VolunteerForm
            key={v.id}
            volunteer={v}
            skills={taxonomy.data.skills}
            territories={taxonomy.data.territories.nodes}
            onSaved={volunteer.reload}
          />
        )}
      </section>
    </>
  );
}

export function NewVolunteer() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const taxonomy = useLoad(() => request(RegisterTaxonomyQuery), []);
  return (
    <>
      <p>
        <Link to="/volontari">{t('volunteers.register.queue.back')}</Link>
      </p>
      <h1 className="h2">{t('volunteers.register.add.title')}</h1>
      <p className="lead">{t('volunteers.register.add.intro')}</p>
      {taxonomy.loading && !taxonomy.data && <Loading />}
      {taxonomy.error && <LoadError error={taxonomy.error} />}
      {taxonomy.data && (
        <VolunteerForm
          skills={taxonomy.data.skills}
          territories={taxonomy.data.territories.nodes}
          onSaved={(id) => navigate(`/volontari/${encodeURIComponent(id)}`)}
        />
      )}
    </>
  );
}
