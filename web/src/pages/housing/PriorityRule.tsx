// The tenant's priority rule for the waiting list: the points each fact gives, a change with
// its reason (administrators and coordinators), and every change made.
import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { FormErrors, SubmitButton, TextArea, TextField } from '../../components/Form';
import { LoadError, Loading } from '../../components/States';
import type { HousingPriorityRuleFieldsFragment } from '../../gql/graphql';
import { missingFields, useLoad, useShapeErrors, useSubmit, wholeNumber } from '../../hooks';
import { formatDate, formatNumber } from '../../i18n';
import { useSession } from '../../session';
import { HousingPriorityRuleQuery, HousingSetPriorityRuleMutation } from './operations';
import { HousingTabs } from './common';

const KEYS = ['perMinor', 'evictionNotice', 'incomeVeryLow', 'incomeLow', 'incomeMedium', 'incomeHigh', 'healthOrDisability', 'perMonthWaiting', 'maxMonthsWaiting'] as const;
type Key = (typeof KEYS)[number];

export default function PriorityRule() {
  const { t } = useTranslation();
  const { hasRole } = useSession();
  const rule = useLoad(() => request(HousingPriorityRuleQuery), []);
  if (rule.loading && !rule.data) return <Loading />;
  if (rule.error) return <LoadError error={rule.error} />;
  const r = rule.data!.priorityRule;
  return (
    <>
      <h1 className="h2">{t('housing.rule.title')}</h1>
      <HousingTabs />
      <p>{t('housing.rule.help')}</p>
      <RuleTable rule={r} />
      {hasRole('TENANT_ADMIN', 'COORDINATOR') && <RuleForm rule={r} onDone={rule.reload} />}
      <section aria-labelledby="rule-history-title" className="case-section">
        <h2 id="rule-history-title" className="h4">
          {t('housing.rule.history')}
        </h2>
        {rule.data!.priorityRuleHistory.length === 0 ? (
          <p>{t('housing.rule.noHistory')}</p>
        ) : (
          <ul className="list-unstyled item-list" data-testid="rule-history">
            {rule.data!.priorityRuleHistory.map((c) => (
              <li key={c.rule.version}>
                <strong>{t('housing.rule.version', { version: formatNumber(c.rule.version) })}</strong>
                {c.rule.updatedAt && <> · {formatDate(c.rule.updatedAt, true)}</>} · <bdi>{c.reason}</bdi>
                <div className="small text-muted">{KEYS.map((k) => `${t(`housing.rule.${k}`)}: ${formatNumber(c.rule[k])}`).join(' · ')}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function RuleTable({ rule }: { rule: HousingPriorityRuleFieldsFragment }) {
  const { t } = useTranslation();
  return (
    <dl className="row" data-testid="rule-current">
      {KEYS.map((k) => (
        <Fragment key={k}>
          <dt className="col-8 col-sm-5">{t(`housing.rule.${k}`)}</dt>
          <dd className="col-4 col-sm-7" data-key={k}>
            {formatNumber(rule[k])}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

function RuleForm({ rule, onDone }: { rule: HousingPriorityRuleFieldsFragment; onDone: () => void }) {
  const { t } = useTranslation();
  const shape = useShapeErrors();
  const initial = () => Object.fromEntries(KEYS.map((k) => [k, String(rule[k])])) as Record<Key, string>;
  const [values, setValues] = useState<Record<Key, string>>(initial);
  const [reason, setReason] = useState('');
  const form = useSubmit([...KEYS, 'reason']);
  useEffect(() => setValues(initial()), [rule.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = [
      ...missingFields({ ...values, reason }, t('errors.reasons.REQUIRED')),
      ...shape(KEYS.map((k) => ({ field: k, number: values[k], min: 0, max: 1000 }))),
    ];
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    const numbers = Object.fromEntries(KEYS.map((k) => [k, wholeNumber(values[k])])) as Record<Key, number>;
    const done = await form.run(() => request(HousingSetPriorityRuleMutation, { input: { ...numbers, expectedVersion: rule.version, reason: reason.trim() } }));
    if (done) {
      setReason('');
      onDone();
    }
  };
  return (
    <details className="form-panel mb-4" data-testid="rule-form">
      <summary>{t('housing.rule.change')}</summary>
      <div className="form-panel-body">
        <form onSubmit={submit} noValidate>
          <div className="row g-2">
            {KEYS.map((k) => (
              <div key={k} className="col-12 col-md-4">
                <TextField label={t(`housing.rule.${k}`)} value={values[k]} onChange={(v) => setValues({ ...values, [k]: v })} inputMode="numeric" error={form.fieldError(k)} required />
              </div>
            ))}
          </div>
          <TextArea label={t('housing.rule.reason')} value={reason} onChange={setReason} error={form.fieldError('reason')} required maxLength={1000} />
          <FormErrors errors={form.general} />
          <SubmitButton busy={form.busy}>{t('housing.rule.save')}</SubmitButton>
        </form>
      </div>
    </details>
  );
}
