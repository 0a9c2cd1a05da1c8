// The person's procedures (pratiche) on the case page: each with its steps, due and done days,
// documents and next deadline, an alert badge when it is near or past; a form starts one.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { FormErrors, SelectField, SubmitButton, TextField } from '../../components/Form';
import { LoadError, Loading } from '../../components/States';
import { missingFields, useLoad, useSubmit, wholeNumber } from '../../hooks';
import { today } from '../../time';
import { ProcedureTypesQuery, ProceduresQuery, StartProcedureMutation } from '../procedures/operations';
import { ProcedureCard, useProcedureLabels, type ProcedureRow } from '../procedures/common';
import { Panel, usePanelDone } from './shared';

export function CaseProcedures({ personId, caseId, closed }: { personId: string; caseId: string; closed: boolean }) {
  const { t } = useTranslation();
  const loaded = useLoad(() => request(ProceduresQuery, { after: null, filter: { personId } }), [personId]);
  const [rows, setRows] = useState<ProcedureRow[] | null>(null);
  const list = rows ?? loaded.data?.procedures.nodes ?? [];
  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error) return <LoadError error={loaded.error} />;
  const alerting = list.filter((p) => p.alerting).length;
  return (
    <>
      {alerting > 0 && (
        <p className="alert alert-warning py-2" data-testid="procedures-alert-summary">
          {t('procedures.caseAlert', { count: alerting })}
        </p>
      )}
      {list.length === 0 && <p data-testid="procedures-empty">{t('procedures.none')}</p>}
      <ul className="p-0 list-unstyled" data-testid="case-procedures">
        {list.map((p) => (
          <ProcedureCard key={p.id} p={p} onChange={(n) => setRows(list.map((x) => (x.id === n.id ? n : x)))} />
        ))}
      </ul>
      {!closed && (
        <Panel title={t('procedures.start')} testId="form-procedure">
          <StartForm personId={personId} caseId={caseId} onDone={(p) => setRows([p, ...list])} />
        </Panel>
      )}
      <p className="small mb-0">
        <Link to="/pratiche">{t('procedures.backOffice')}</Link>
      </p>
    </>
  );
}

function StartForm({ personId, caseId, onDone }: { personId: string; caseId: string; onDone: (p: ProcedureRow) => void }) {
  const { t } = useTranslation();
  const types = useLoad(() => request(ProcedureTypesQuery), []);
  const labels = useProcedureLabels();
  const closePanel = usePanelDone();
  const form = useSubmit(['typeCode', 'startedOn', 'referenceOn', 'alertDays']);
  const [typeCode, setTypeCode] = useState('');
  const [startedOn, setStartedOn] = useState(today());
  const [referenceOn, setReferenceOn] = useState('');
  const [alertDays, setAlertDays] = useState('14');
  const type = types.data?.procedureTypes.find((x) => x.code === typeCode);
  const submit = async () => {
    const missing = missingFields({ typeCode, startedOn, ...(type?.reference ? { referenceOn } : {}) }, t('errors.reasons.REQUIRED'));
    const days = wholeNumber(alertDays);
    if (!(days >= 1 && days <= 90)) missing.push({ field: 'alertDays', code: 'INVALID_INPUT', local: true, message: t('errors.reasons.OUT_OF_RANGE', { min: 1, max: 90 }) });
    if (missing.length > 0) {
      form.setErrors(missing);
      return;
    }
    const done = await form.run(() =>
      request(StartProcedureMutation, {
        input: { personId, caseId, typeCode, startedOn, referenceOn: type?.reference ? referenceOn : null, alertDays: days },
      }),
    );
    if (done) {
      setTypeCode('');
      setReferenceOn('');
      closePanel();
      onDone(done.startProcedure);
    }
  };
  return (
    <form
      noValidate
      aria-label={t('procedures.start')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <SelectField
        label={t('procedures.type')}
        value={typeCode}
        onChange={setTypeCode}
        required
        placeholder={t('common.choose')}
        options={(types.data?.procedureTypes ?? []).filter((x) => !x.retired).map((x) => ({ value: x.code, label: labels.type(x.code, x.label).text }))}
        error={form.fieldError('typeCode')}
      />
      <TextField type="date" label={t('procedures.startedOn')} value={startedOn} onChange={setStartedOn} max={today()} required error={form.fieldError('startedOn')} />
      {type?.reference && (
        <TextField type="date" label={t('procedures.referenceOn', { what: labels.reference(type.code, type.reference).text })} value={referenceOn} onChange={setReferenceOn} required error={form.fieldError('referenceOn')} />
      )}
      <TextField type="text" inputMode="numeric" label={t('procedures.alertDaysField')} value={alertDays} onChange={setAlertDays} hint={t('procedures.alertDaysHint')} error={form.fieldError('alertDays')} />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('procedures.startSend')}</SubmitButton>
    </form>
  );
}
