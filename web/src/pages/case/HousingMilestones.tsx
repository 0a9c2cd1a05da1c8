// The path to housing autonomy on the case page: the milestones of the placements of the
// person's household, read-only, each with a link to its placement.
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { LoadError, Loading } from '../../components/States';
import { useLoad } from '../../hooks';
import { formatDate } from '../../i18n';
import { isolate } from '../../bidi';
import { HousingCaseMilestonesQuery } from '../housing/operations';

export function HousingMilestones({ householdId }: { householdId: string | null | undefined }) {
  const { t } = useTranslation();
  const placements = useLoad(async () => (householdId ? request(HousingCaseMilestonesQuery, { householdId }) : null), [householdId]);
  if (!householdId) return <p>{t('housing.caseMilestones.noHousehold')}</p>;
  if (placements.loading && !placements.data) return <Loading />;
  if (placements.error) return <LoadError error={placements.error} />;
  const rows = (placements.data?.placements.nodes ?? []).flatMap((p) => p.milestones.map((m) => ({ ...m, placement: p })));
  if (rows.length === 0) return <p data-testid="case-milestones-empty">{t('housing.caseMilestones.none')}</p>;
  return (
    <ul className="list-unstyled item-list" data-testid="case-milestones">
      {rows.map((m) => (
        <li key={m.id} data-kind={m.kind}>
          <strong>{t(`housing.milestoneKind.${m.kind}`)}</strong> · {formatDate(m.reachedOn)}
          {m.note && (
            <>
              {' '}
              · <bdi>{m.note}</bdi>
            </>
          )}{' '}
          ·{' '}
          <Link to={`/abitare/inserimenti/${encodeURIComponent(m.placement.id)}`}>
            {t('housing.caseMilestones.placement', { unit: isolate(m.placement.unit.name) })}
          </Link>
        </li>
      ))}
    </ul>
  );
}
