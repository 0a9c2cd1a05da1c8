import { useEffect, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Alert } from 'design-react-kit';
import { request } from '../api/client';
import { AcceptInvitationMutation, InvitationStatusQuery } from '../api/operations';
import { FormErrors, SubmitButton, TextField } from '../components/Form';
import { EmptyState, LoadError, Loading } from '../components/States';
import { useLoad, useSubmit } from '../hooks';
import { useSession } from '../session';

/** The link sent to an invitee: /invito#<token> (the token stays out of server logs). */
export function invitationLink(token: string): string {
  return `${window.location.origin}/invito#${encodeURIComponent(token)}`;
}

export default function AcceptInvitation() {
  const { t } = useTranslation();
  const location = useLocation();
  // The console's own link has the token in the fragment; the invitation e-mail's, in the path.
  const fromLink = decodeURIComponent(location.hash.replace(/^#/, '')) || new URLSearchParams(location.search).get('token') || '';
  // A link's token is checked before the form is shown: a revoked, used, expired or unknown link
  // is refused at once, not after the password is typed.
  const status = useLoad(
    () => (fromLink ? request(InvitationStatusQuery, { token: fromLink }) : Promise.resolve(null)),
    [fromLink],
  );
  return (
    <div className="row justify-content-center">
      <div className="col-12 col-md-8 col-lg-6">
        <h1 className="h2 mb-3">{t('accept.title')}</h1>
        {fromLink && status.loading && <Loading />}
        {fromLink && status.error && <LoadError error={status.error} />}
        {fromLink && status.data?.invitationStatus.status === 'NOT_VALID' && (
          <div data-testid="invitation-refused">
            <EmptyState title={t('invitationCheck.refused')}>{t('invitationCheck.refusedHelp')}</EmptyState>
          </div>
        )}
        {fromLink && status.data?.invitationStatus.status === 'VALID' && (
          <AcceptForm token={fromLink} createsAccount={status.data.invitationStatus.createsAccount} />
        )}
        {!fromLink && <AcceptForm token="" createsAccount />}
      </div>
    </div>
  );
}

/**
 * The form: a new account's name and password, or the current password of the account the
 * invited e-mail already has. Without a token from a link, the token is typed too.
 */
function AcceptForm({ token: fromLink, createsAccount }: { token: string; createsAccount: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [token, setToken] = useState(fromLink);
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const form = useSubmit(['token', 'password', 'displayName']);
  useEffect(() => setToken(fromLink), [fromLink]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (createsAccount && password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const done = await form.run(() =>
      request(AcceptInvitationMutation, {
        input: { token: token.trim(), password, displayName: createsAccount ? displayName.trim() || null : null },
      }),
    );
    if (done) {
      await refresh();
      navigate('/');
    }
  };

  return (
    <>
      <p className="lead">{t('accept.intro')}</p>
      {!fromLink && <EmptyState title={t('accept.noToken')}>{t('accept.noTokenHelp')}</EmptyState>}
      {!createsAccount && (
        <Alert color="info" data-testid="invitation-existing">
          {t('invitationCheck.existing')}
        </Alert>
      )}
      <form onSubmit={submit} noValidate data-testid="accept-form">
        {!fromLink && <TextField label={t('accept.token')} value={token} onChange={setToken} error={form.fieldError('token')} required />}
        {createsAccount && (
          <TextField
            label={t('accept.displayName')}
            value={displayName}
            onChange={setDisplayName}
            autoComplete="name"
            hint={t('accept.displayNameHint')}
            error={form.fieldError('displayName')}
          />
        )}
        <TextField
          label={createsAccount ? t('accept.password') : t('invitationCheck.currentPassword')}
          type="password"
          autoComplete={createsAccount ? 'new-password' : 'current-password'}
          value={password}
          onChange={setPassword}
          hint={createsAccount ? t('accept.passwordHint') : undefined}
          error={form.fieldError('password')}
          required
        />
        {createsAccount && (
          <TextField
            label={t('accept.confirm')}
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={setConfirm}
            error={mismatch ? { code: 'INVALID_INPUT', local: true, message: t('accept.mismatch'), field: 'confirm' } : undefined}
            required
          />
        )}
        <FormErrors errors={form.general} />
        <SubmitButton busy={form.busy}>{t('accept.submit')}</SubmitButton>
      </form>
    </>
  );
}
