// The signed-in user's sessions: every browser signed in with the account, most recently used
// first, with how it was signed in and when it was last used (on the tenant's clock). Another
// session can be ended after a confirmation; "sign out everywhere" ends them all, this one
// included, and comes back to the sign-in page.
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Alert } from 'design-react-kit';
import { ApiError, request, type ApiErrorItem } from '../api/client';
import { EndSessionMutation, SessionsQuery } from '../api/operations';
import { ConfirmButton } from '../components/Confirm';
import { FormErrors } from '../components/Form';
import { EmptyState, LoadError, Loading } from '../components/States';
import type { SessionsQuery as SessionsResult } from '../gql/graphql';
import { useLoad } from '../hooks';
import { formatDate } from '../i18n';
import { isolate } from '../bidi';
import { useSession } from '../session';

type UserSession = NonNullable<SessionsResult['viewer']>['sessions'][number];

function errorsOf(e: unknown): ApiErrorItem[] {
  return e instanceof ApiError ? e.items : [{ message: String(e), code: 'INTERNAL' }];
}

/** A date-time on the tenant's clock, with its instant for machines. */
function When({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDate(iso, true)}</time>;
}

/** One session: its device as the heading, the current one marked, the facts, and its end. */
function SessionRow({ session, onEnd }: { session: UserSession; onEnd: (s: UserSession) => Promise<void> }) {
  const { t } = useTranslation();
  const device = session.device ? isolate(session.device) : t('sessions.unknownDevice');
  const fact = (label: string, value: ReactNode, testId: string) => (
    <div className="session-fact">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <li className={`session-row${session.current ? ' current' : ''}`} data-testid="session-row" data-current={session.current || undefined}>
      <div className="d-flex flex-wrap align-items-center gap-2">
        <h3 className="h5 mb-0 session-device" data-testid="session-device">
          {session.device ? <bdi>{session.device}</bdi> : t('sessions.unknownDevice')}
        </h3>
        {session.current && (
          <span className="badge bg-primary" data-testid="current-session">
            {t('sessions.current')}
          </span>
        )}
      </div>
      <dl className="session-facts">
        {fact(t('sessions.method'), t(`enum.SignInMethod.${session.method}`), 'session-method')}
        {fact(t('sessions.signedInAt'), <When iso={session.signedInAt} />, 'session-signed-in')}
        {fact(t('sessions.lastSeenAt'), <When iso={session.lastSeenAt} />, 'session-last-seen')}
      </dl>
      {!session.current && (
        <ConfirmButton
          ariaLabel={t('sessions.end.named', { device, date: formatDate(session.lastSeenAt, true) })}
          confirmation={{
            title: t('sessions.end.title'),
            body: t('sessions.end.body', { device, date: formatDate(session.lastSeenAt, true) }),
            confirm: t('sessions.end.yes'),
          }}
          onConfirm={() => onEnd(session)}
        >
          {t('sessions.end.button')}
        </ConfirmButton>
      )}
    </li>
  );
}

export default function Sessions() {
  const { t } = useTranslation();
  const { viewer, signOutEverywhere } = useSession();
  const navigate = useNavigate();
  const list = useLoad(() => request(SessionsQuery), [viewer?.user.id]);
  const [ended, setEnded] = useState<string | null>(null);
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const [everywhereErrors, setEverywhereErrors] = useState<ApiErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const sessions = list.data?.viewer?.sessions ?? [];

  const end = async (s: UserSession) => {
    setEnded(null);
    setErrors([]);
    try {
      await request(EndSessionMutation, { id: s.id });
      setEnded(s.device || t('sessions.unknownDevice'));
      list.setData((d) => (d?.viewer ? { viewer: { ...d.viewer, sessions: d.viewer.sessions.filter((x) => x.id !== s.id) } } : d));
    } catch (e) {
      // Ended meanwhile (signed out there, or expired): said plainly, and the list is read again.
      const items = errorsOf(e).map((i) => (i.code === 'NOT_FOUND' ? { ...i, local: true, message: t('sessions.end.gone') } : i));
      setErrors(items);
    }
    list.reload();
  };

  const everywhere = async () => {
    setBusy(true);
    setEverywhereErrors([]);
    try {
      await signOutEverywhere();
      navigate('/accesso', { replace: true });
    } catch (e) {
      setEverywhereErrors(errorsOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 className="h2">{t('sessions.title')}</h1>
      <p className="lead">{t('sessions.intro', { email: isolate(viewer?.user.email ?? '') })}</p>
      <p>
        {t('sessions.unknownHelp')} <Link to="/profilo/password">{t('sessions.changePassword')}</Link>
      </p>
      <section aria-labelledby="sessions-list-title" className="mb-4">
        <h2 className="h4" id="sessions-list-title">
          {t('sessions.listTitle')}
        </h2>
        {ended && (
          <div role="status" data-testid="session-ended">
            <Alert color="success">
              <p className="mb-0">{t('sessions.end.done', { device: isolate(ended) })}</p>
            </Alert>
          </div>
        )}
        <FormErrors errors={errors} />
        {list.error && <LoadError error={list.error} />}
        {list.loading && !list.data && <Loading />}
        {list.data && sessions.length === 0 && <EmptyState title={t('sessions.empty')}>{t('sessions.emptyHelp')}</EmptyState>}
        {sessions.length > 0 && (
          <ul className="list-unstyled p-0 session-list" data-testid="sessions" aria-label={t('sessions.caption')}>
            {sessions.map((s) => (
              <SessionRow key={s.id} session={s} onEnd={end} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="sign-out-everywhere-title" className="card card-bg p-3" data-testid="sign-out-everywhere">
        <h2 className="h5" id="sign-out-everywhere-title">
          {t('sessions.everywhere.title')}
        </h2>
        <p>{t('sessions.everywhere.intro')}</p>
        <FormErrors errors={everywhereErrors} />
        <div>
          <ConfirmButton
            className="btn btn-outline-danger"
            disabled={busy}
            confirmation={{
              title: t('sessions.everywhere.question'),
              body: t('sessions.everywhere.body'),
              confirm: t('sessions.everywhere.yes'),
            }}
            onConfirm={everywhere}
          >
            {t('sessions.everywhere.button')}
          </ConfirmButton>
        </div>
      </section>
    </>
  );
}
