// The personalised plan: its goals (marked achieved, or dropped after a question) and their steps
// (done, or cancelled after a question).
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { ChangeStepStatusMutation, UpdateGoalMutation } from '../../api/operations';
import { ConfirmButton } from '../../components/Confirm';
import { FormErrors } from '../../components/Form';
import { EmptyState } from '../../components/States';
import type { GoalStatus, StepStatus } from '../../gql/graphql';
import { useSubmit } from '../../hooks';
import { formatDate } from '../../i18n';
import { isolate } from '../../bidi';
import { NeedNames, type CaseData, type Need } from './shared';

type Goal = CaseData['plan'][number];

/** The plan's goals; `readOnly` (a closed case) offers no change. */
export function Plan({ plan, needs, readOnly, onDone }: { plan: Goal[]; needs: Need[]; readOnly: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  if (plan.length === 0) return <EmptyState title={t('case.noPlan')}>{t('case.noPlanHelp')}</EmptyState>;
  return (
    <ol className="plan-list" data-testid="plan">
      {plan.map((g) => (
        <GoalItem key={g.id} goal={g} needs={needs} readOnly={readOnly} onDone={onDone} />
      ))}
    </ol>
  );
}

function GoalItem({ goal: g, needs, readOnly, onDone }: { goal: Goal; needs: Need[]; readOnly: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit([]);
  const change = async (status: GoalStatus) => {
    if (await form.run(() => request(UpdateGoalMutation, { id: g.id, expectedVersion: g.version, status }))) onDone();
  };
  return (
    <li data-testid="goal" data-status={g.status.toLowerCase()}>
      <strong>
        <bdi>{g.title}</bdi>
      </strong>{' '}
      · <span data-testid="goal-status">{t(`enum.GoalStatus.${g.status}`)}</span>
      {g.reviewOn && <> · {t('case.reviewOn', { date: formatDate(g.reviewOn) })}</>}
      {g.needIds.length > 0 && (
        <>
          {' · '}
          <NeedNames ids={g.needIds} needs={needs} />
        </>
      )}
      {g.status === 'OPEN' && !readOnly && (
        <span className="d-inline-flex flex-wrap gap-1 ms-1">
          <button
            type="button"
            className="btn btn-outline-primary btn-xs"
            disabled={form.busy}
            aria-label={t('caseView.goalAchievedNamed', { title: isolate(g.title) })}
            onClick={() => void change('ACHIEVED')}
          >
            {t('caseView.goalAchieved')}
          </button>
          <ConfirmButton
            disabled={form.busy}
            ariaLabel={t('caseView.goalDropNamed', { title: isolate(g.title) })}
            confirmation={{
              title: t('caseView.confirmDropGoal.title'),
              body: t('caseView.confirmDropGoal.body', { title: isolate(g.title) }),
              confirm: t('caseView.confirmDropGoal.confirm'),
            }}
            onConfirm={() => change('DROPPED')}
          >
            {t('caseView.goalDrop')}
          </ConfirmButton>
        </span>
      )}
      {g.status !== 'OPEN' && !readOnly && (
        // A goal marked achieved or dropped by mistake is opened again.
        <button
          type="button"
          className="btn btn-outline-secondary btn-xs ms-1"
          disabled={form.busy}
          aria-label={t('caseView.goalReopenNamed', { title: isolate(g.title) })}
          onClick={() => void change('OPEN')}
        >
          {t('caseView.goalReopen')}
        </button>
      )}
      <FormErrors errors={form.general} />
      <ul>
        {g.steps.map((s) => (
          <StepItem key={s.id} step={s} readOnly={readOnly} onDone={onDone} />
        ))}
      </ul>
    </li>
  );
}

function StepItem({ step, readOnly, onDone }: { step: Goal['steps'][number]; readOnly: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit([]);
  const change = async (status: StepStatus) => {
    if (await form.run(() => request(ChangeStepStatusMutation, { id: step.id, expectedVersion: step.version, status }))) onDone();
  };
  return (
    <li>
      <bdi>{step.title}</bdi> · {t(`enum.StepOwner.${step.owner}`)} · {t(`enum.StepStatus.${step.status}`)}
      {step.dueOn && <> · {formatDate(step.dueOn)}</>}
      {step.status === 'TODO' && !readOnly && (
        <>
          <button type="button" className="btn btn-outline-secondary btn-xs ms-1" disabled={form.busy} onClick={() => void change('DONE')}>
            {t('enum.StepStatus.DONE')}
          </button>
          <ConfirmButton
            className="btn btn-outline-danger btn-xs ms-1"
            disabled={form.busy}
            confirmation={{
              title: t('confirm.cancelStep.title'),
              body: t('confirm.cancelStep.body', { title: isolate(step.title) }),
              confirm: t('confirm.cancelStep.confirm'),
            }}
            onConfirm={() => change('CANCELLED')}
          >
            {t('enum.StepStatus.CANCELLED')}
          </ConfirmButton>
        </>
      )}
      <FormErrors errors={form.general} />
    </li>
  );
}

