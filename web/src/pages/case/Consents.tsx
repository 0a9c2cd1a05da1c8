// The person's consents by purpose: given, or withdrawn after a question.
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { RecordConsentMutation } from '../../api/operations';
import { ConfirmButton } from '../../components/Confirm';
import { FormErrors } from '../../components/Form';
import { CONSENT_PURPOSES } from '../../enums';
import type { ConsentPurpose } from '../../gql/graphql';
import { useSubmit } from '../../hooks';
import type { CaseData } from './shared';

export function Consents({
  personId,
  consents,
  onDone,
}: {
  personId: string;
  consents: CaseData['person']['consents'];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const form = useSubmit([]);
  const latest = (p: ConsentPurpose) => [...consents].reverse().find((c) => c.purpose === p);
  const record = async (purpose: ConsentPurpose, given: boolean) => {
    if (await form.run(() => request(RecordConsentMutation, { personId, purpose, given }))) onDone();
  };
  return (
    <>
      <ul className="list-unstyled item-list" data-testid="consents">
        {CONSENT_PURPOSES.map((p) => {
          const c = latest(p);
          return (
            <li key={p} className="d-flex flex-wrap justify-content-between align-items-center gap-2">
              <span>
                {t(`enum.ConsentPurpose.${p}`)}:{' '}
                <strong>{c ? (c.given ? t('case.consentGiven') : t('case.consentWithdrawn')) : t('case.consentNone')}</strong>
              </span>
              {c?.given ? (
                <ConfirmButton
                  disabled={form.busy}
                  ariaLabel={`${t(`enum.ConsentPurpose.${p}`)}: ${t('case.withdraw')}`}
                  confirmation={{
                    title: t('confirm.withdrawConsent.title'),
                    body: t('confirm.withdrawConsent.body', { purpose: t(`enum.ConsentPurpose.${p}`) }),
                    confirm: t('confirm.withdrawConsent.confirm'),
                  }}
                  onConfirm={() => record(p, false)}
                >
                  {t('case.withdraw')}
                </ConfirmButton>
              ) : (
                <button
                  type="button"
                  className="btn btn-outline-primary btn-xs"
                  disabled={form.busy}
                  aria-label={`${t(`enum.ConsentPurpose.${p}`)}: ${t('case.give')}`}
                  onClick={() => void record(p, true)}
                >
                  {t('case.give')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <FormErrors errors={form.general} />
    </>
  );
}

