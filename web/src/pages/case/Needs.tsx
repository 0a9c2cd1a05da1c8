// The case's needs, expressed by the person and detected by the operator, each open one with
// its outcome to mark.
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { ChangeNeedStatusMutation } from '../../api/operations';
import { FormErrors } from '../../components/Form';
import { NEED_SOURCES } from '../../enums';
import type { NeedStatus } from '../../gql/graphql';
import { useSubmit } from '../../hooks';
import { NeedName, useNeedName, type Need } from './shared';
import { isolate } from '../../bidi';

/** The needs by source; `readOnly` (a closed case) offers no change. */
export function Needs({ needs, readOnly, onDone }: { needs: Need[]; readOnly: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="row">
      {NEED_SOURCES.map((source) => (
        <div key={source} className="col-12 col-sm-6" data-testid={`needs-${source.toLowerCase()}`}>
          <h3 className="h6">{t(`enum.NeedSource.${source}`)}</h3>
          {needs.filter((n) => n.source === source).length === 0 ? (
            <p className="small text-muted">{t('case.noNeeds')}</p>
          ) : (
            <ul className="list-unstyled item-list">
              {needs
                .filter((n) => n.source === source)
                .map((n) => (
                  <NeedItem key={n.id} need={n} readOnly={readOnly} onDone={onDone} />
                ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}

function NeedItem({ need, readOnly, onDone }: { need: Need; readOnly: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const needName = useNeedName();
  const form = useSubmit([]);
  return (
    <li>
      <span className="fw-semibold">
        <NeedName need={need} />
      </span>{' '}
      · {t(`enum.NeedStatus.${need.status}`)}
      {need.status === 'OPEN' && !readOnly && (
        <span className="ms-2 d-inline-flex gap-1">
          {(['ADDRESSED', 'UNRESOLVED'] as NeedStatus[]).map((s) => (
            <button
              key={s}
              type="button"
              className="btn btn-outline-secondary btn-xs"
              disabled={form.busy}
              aria-label={`${isolate(needName(need))}: ${t(`enum.NeedStatus.${s}`)}`}
              onClick={async () => {
                if (await form.run(() => request(ChangeNeedStatusMutation, { id: need.id, expectedVersion: need.version, status: s }))) onDone();
              }}
            >
              {t(`enum.NeedStatus.${s}`)}
            </button>
          ))}
        </span>
      )}
      <FormErrors errors={form.general} />
    </li>
  );
}

