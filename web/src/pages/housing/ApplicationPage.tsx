// An application: the household, its facts, the score with why, the history of the score, and
// what can be done while it waits (correct the facts, place the household, withdraw it).
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { ConfirmButton } from '../../components/Confirm';
import { FormErrors } from '../../components/Form';
import { LoadError, Loading, NotFound } from '../../components/States';
import type { HousingApplicationQuery as Result } from '../../gql/graphql';
import { useLoad, useSubmit } from '../../hooks';
import { formatDate, formatNumber } from '../../i18n';
import { isolate } from '../../bidi';
import { HousingApplicationQuery, HousingWithdrawApplicationMutation } from './operations';
import { ApplicationBadge, Explanation, HousingTabs } from './common';

type Application = Extract<NonNullable<Result['node']>, { scoreHistory: unknown }>;

export default function ApplicationPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const app = useLoad(() => request(HousingApplicationQuery, { id }), [id]);
  const withdraw = useSubmit([]);
  if (app.loading && !app.data) return <Loading />;
  if (app.error && !app.error.has('NOT_FOUND')) return <LoadError error={app.error} />;
  const a = app.data?.node && 'scoreHistory' in app.data.node ? (app.data.node as Application) : null;
  if (!a) return <NotFound title={t('housing.application.notFound')} help={t('housing.application.notFoundHelp')} back={{ to: '/abitare/lista-di-attesa', label: t('housing.waiting.back') }} />;
  return (
    <>
      <div className="page-head">
        <h1 className="h2">
          {t('housing.application.title')}: <bdi>{a.household.label}</bdi>
        </h1>
        <ApplicationBadge status={a.status} />
      </div>
      <HousingTabs />
      <dl className="row" data-testid="application-facts">
        {a.position != null && (
          <>
            <dt className="col-sm-4">{t('housing.application.position')}</dt>
            <dd className="col-sm-8" data-testid="application-position">
              {formatNumber(a.position)}
            </dd>
          </>
        )}
        <dt className="col-sm-4">{t('housing.application.score')}</dt>
        <dd className="col-sm-8" data-testid="application-score">
          <strong>{formatNumber(a.score)}</strong>
          <Explanation terms={a.explanation} incomeBand={a.incomeBand} />
        </dd>
        <dt className="col-sm-4">{t('housing.applicationForm.appliedOn')}</dt>
        <dd className="col-sm-8">{formatDate(a.appliedOn)}</dd>
        <dt className="col-sm-4">{t('housing.application.minors')}</dt>
        <dd className="col-sm-8">{formatNumber(a.minors)}</dd>
        <dt className="col-sm-4">{t('housing.applicationForm.evictionNoticeOn')}</dt>
        <dd className="col-sm-8">{a.evictionNoticeOn ? formatDate(a.evictionNoticeOn) : '—'}</dd>
        <dt className="col-sm-4">{t('housing.applicationForm.incomeBand')}</dt>
        <dd className="col-sm-8">{t(`housing.incomeBand.${a.incomeBand}`)}</dd>
        <dt className="col-sm-4">{t('housing.applicationForm.health')}</dt>
        <dd className="col-sm-8">{a.healthOrDisability ? t('housing.yes') : t('housing.no')}</dd>
        <dt className="col-sm-4">{t('housing.applicationForm.note')}</dt>
        <dd className="col-sm-8 text-prewrap">{a.note ? <bdi>{a.note}</bdi> : '—'}</dd>
      </dl>
      {a.status === 'WAITING' && (
        <div className="d-flex gap-2 flex-wrap mb-4">
          <Link
            to={`/abitare/inserimenti/nuovo?domanda=${encodeURIComponent(a.id)}&nucleo=${encodeURIComponent(a.householdId)}`}
            className="btn btn-primary"
          >
            {t('housing.application.place')}
          </Link>
          <Link to={`/abitare/domande/${encodeURIComponent(a.id)}/modifica`} className="btn btn-outline-primary">
            {t('housing.application.edit')}
          </Link>
          <ConfirmButton
            className="btn btn-outline-danger"
            disabled={withdraw.busy}
            confirmation={{
              title: t('housing.application.withdrawTitle'),
              body: t('housing.application.withdrawBody', { household: isolate(a.household.label) }),
              confirm: t('housing.application.withdrawConfirm'),
            }}
            onConfirm={async () => {
              if (await withdraw.run(() => request(HousingWithdrawApplicationMutation, { id: a.id, expectedVersion: a.version }))) app.reload();
            }}
          >
            {t('housing.application.withdraw')}
          </ConfirmButton>
        </div>
      )}
      <FormErrors errors={withdraw.general} />
      <section aria-labelledby="history-title" className="case-section">
        <h2 id="history-title" className="h4">
          {t('housing.application.history')}
        </h2>
        <ul className="list-unstyled item-list" data-testid="score-history">
          {a.scoreHistory.map((c, i) => (
            <li key={i} data-cause={c.cause}>
              {formatDate(c.at, true)} · {t(`housing.scoreCause.${c.cause}`)} ·{' '}
              {c.before == null
                ? t('housing.application.scoreSet', { after: formatNumber(c.after) })
                : t('housing.application.scoreChanged', { before: formatNumber(c.before), after: formatNumber(c.after) })}{' '}
              · {t('housing.application.ruleVersion', { version: formatNumber(c.ruleVersion) })}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
