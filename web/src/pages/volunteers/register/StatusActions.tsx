// The steps an administrator or coordinator takes on a volunteer: take into review, approve,
// suspend, reactivate, withdraw (suspension and withdrawal after a confirmation), and invite
// again an active volunteer who has no account yet. Operators see none of them.
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { ConfirmButton } from '../../../components/Confirm';
import { FormErrors } from '../../../components/Form';
import { useLoad, useSubmit } from '../../../hooks';
import { formatNumber } from '../../../i18n';
import { isolate } from '../../../bidi';
import type { RegisterAssignedTasksQuery as RegisterAssignedTasksResult, VolunteerStatus } from '../../../gql/graphql';
import { RegisterAssignedTasksQuery, RegisterInviteMutation, RegisterSetStatusMutation } from './operations';
import { NEXT, useDecides } from './shared';

/**
 * What suspending or withdrawing does to the volunteer's tasks, in words: their assigned tasks
 * that have not ended go back to open. Counted when the profile is shown; nothing is said if the
 * count cannot be read.
 */
function useOpenTasks(volunteerId: string | null, version: number): string {
  const { t } = useTranslation();
  const count = useLoad(async () => {
    if (!volunteerId) return null;
    let n = 0;
    let after: string | null = null;
    const now = Date.now();
    for (let i = 0; i < 10; i++) {
      const page: RegisterAssignedTasksResult = await request(RegisterAssignedTasksQuery, { volunteerId, after });
      n += page.tasks.nodes.filter((x) => new Date(x.endsAt).getTime() > now).length;
      if (!page.tasks.pageInfo.hasNextPage) break;
      after = page.tasks.pageInfo.endCursor ?? null;
    }
    return n;
  }, [volunteerId, version]);
  if (!volunteerId || count.error) return '';
  if (count.data === undefined || count.data === null) return t('volunteers.register.openTasks.counting');
  if (count.data === 0) return t('volunteers.register.openTasks.none');
  return t('volunteers.register.openTasks.some', { count: count.data, n: formatNumber(count.data) });
}

export type Issued = { token: string; email: string };

type Target = { id: string; version: number; status: VolunteerStatus; email?: string | null; hasAccount: boolean; givenNames: string; familyNames: string };

/** The action's words for each step. */
const ACTION: Record<VolunteerStatus, string> = {
  SUBMITTED: 'review',
  UNDER_REVIEW: 'review',
  ACTIVE: 'approve',
  SUSPENDED: 'suspend',
  WITHDRAWN: 'withdraw',
};

export function StatusActions({ volunteer, onDone, onIssued }: { volunteer: Target; onDone: () => void; onIssued: (issued: Issued) => void }) {
  const { t } = useTranslation();
  const decides = useDecides();
  const form = useSubmit([]);
  const open = useOpenTasks(decides && (volunteer.status === 'ACTIVE' || volunteer.status === 'SUSPENDED') ? volunteer.id : null, volunteer.version);
  if (!decides) return null;
  const name = isolate(`${volunteer.givenNames} ${volunteer.familyNames}`.trim());
  const step = async (status: VolunteerStatus) => {
    const done = await form.run(() => request(RegisterSetStatusMutation, { input: { id: volunteer.id, status, expectedVersion: volunteer.version } }));
    if (!done) return;
    const r = done.setVolunteerStatus;
    if (r.invitationToken) onIssued({ token: r.invitationToken, email: r.email ?? '' });
    onDone();
  };
  const invite = async () => {
    const done = await form.run(() => request(RegisterInviteMutation, { id: volunteer.id }));
    if (!done) return;
    const r = done.inviteVolunteer;
    if (r.invitationToken) onIssued({ token: r.invitationToken, email: r.email ?? '' });
    onDone();
  };
  const action = (status: VolunteerStatus) =>
    volunteer.status === 'SUSPENDED' && status === 'ACTIVE' ? 'reactivate' : ACTION[status];
  return (
    <div data-testid="status-actions">
      <div className="d-flex flex-wrap gap-2">
        {NEXT[volunteer.status].map((status) => {
          const key = action(status);
          const label = t(`volunteers.register.actions.${key}`);
          const aria = t('volunteers.register.actions.named', { action: label, name });
          if (status === 'SUSPENDED' || status === 'WITHDRAWN') {
            return (
              <ConfirmButton
                key={status}
                className="btn btn-outline-danger btn-sm"
                ariaLabel={aria}
                disabled={form.busy}
                confirmation={{
                  title: t(`volunteers.register.confirm.${key}Title`),
                  body: (
                    <>
                      {t(`volunteers.register.confirm.${key}Body`, { name })}{' '}
                      <span data-testid="open-tasks">{open}</span>
                    </>
                  ),
                  confirm: t(`volunteers.register.confirm.${key}Yes`),
                }}
                onConfirm={() => step(status)}
              >
                {label}
              </ConfirmButton>
            );
          }
          return (
            <button key={status} type="button" className="btn btn-primary btn-sm" aria-label={aria} disabled={form.busy} onClick={() => void step(status)}>
              {label}
            </button>
          );
        })}
        {volunteer.status === 'ACTIVE' && volunteer.email && !volunteer.hasAccount && (
          <button type="button" className="btn btn-outline-primary btn-sm" disabled={form.busy} onClick={() => void invite()}>
            {t('volunteers.register.actions.inviteAgain')}
          </button>
        )}
      </div>
      <div className="mt-2">
        <FormErrors errors={form.general} />
      </div>
    </div>
  );
}
