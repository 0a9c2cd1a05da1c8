// The case's status: the next states it can move to; closing needs an outcome from the closed
// list (checked before the confirmation), reopening a reason.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { CaseOutcomesQuery, ChangeCaseStatusMutation } from '../../api/operations';
import { ConfirmDialog } from '../../components/Confirm';
import { FormErrors, SelectField, SubmitButton, TextField } from '../../components/Form';
import { CASE_NEXT } from '../../enums';
import type { CaseStatus } from '../../gql/graphql';
import { useLoad, useSubmit } from '../../hooks';

export function StatusForm({ caseId, version, status, onDone }: { caseId: string; version: number; status: CaseStatus; onDone: () => void }) {
  const { t } = useTranslation();
  const next = CASE_NEXT[status];
  const [to, setTo] = useState<string>('');
  const [text, setText] = useState('');
  const form = useSubmit(['to', 'outcome', 'reason']);
  const outcomes = useLoad(() => request(CaseOutcomesQuery), []);
  // Closing asks for confirmation first.
  const [confirming, setConfirming] = useState(false);
  if (next.length === 0) return null;
  const target = (to || next[0]) as CaseStatus;
  const needsOutcome = target === 'CLOSED';
  const needsReason = status === 'CLOSED';
  const outcomeName = text ? t(`enum.CaseOutcome.${text}`, { defaultValue: text }) : '';
  const change = async () => {
    const done = await form.run(() =>
      request(ChangeCaseStatusMutation, {
        id: caseId,
        expectedVersion: version,
        to: target,
        outcome: needsOutcome ? text.trim() || null : null,
        reason: needsReason ? text.trim() || null : null,
      }),
    );
    if (done) {
      setText('');
      setTo('');
      onDone();
    }
  };
  return (
    <form
      className="status-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        // The outcome is checked first: a confirmation for a close that cannot happen is noise.
        if (needsOutcome && !text.trim()) {
          form.setErrors([{ field: 'outcome', code: 'INVALID_INPUT', local: true, message: t('caseView.outcomeRequired') }]);
          return;
        }
        if (needsReason && !text.trim()) {
          form.setErrors([{ field: 'reason', code: 'INVALID_INPUT', local: true, message: t('caseView.reasonRequired') }]);
          return;
        }
        form.setErrors([]);
        if (target === 'CLOSED') setConfirming(true);
        else void change();
      }}
    >
      <ConfirmDialog
        open={confirming}
        confirmation={{
          title: t('confirm.closeCase.title'),
          body: t('confirm.closeCase.body', { outcome: outcomeName }),
          confirm: t('confirm.closeCase.confirm'),
        }}
        onClose={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void change();
        }}
      />
      <SelectField
        label={t('case.moveTo')}
        value={target}
        onChange={(v) => {
          setTo(v);
          setText('');
          form.setErrors([]);
        }}
        options={next.map((s) => ({ value: s, label: t(`enum.CaseStatus.${s}`) }))}
        error={form.fieldError('to')}
      />
      {needsOutcome && (
        // Outcomes come from the closed list only: they travel in anonymised statistics.
        <SelectField
          label={t('case.outcome')}
          value={text}
          onChange={setText}
          placeholder={t('common.choose')}
          options={(outcomes.data?.caseOutcomes ?? [])
            .filter((o) => o.offered)
            .map(({ code }) => ({ value: code, label: t(`enum.CaseOutcome.${code}`, { defaultValue: code }) }))}
          error={form.fieldError('outcome')}
          required
        />
      )}
      {needsReason && (
        <TextField label={t('case.reopenReason')} value={text} onChange={setText} error={form.fieldError('reason')} required />
      )}
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('case.changeStatus')}</SubmitButton>
    </form>
  );
}

