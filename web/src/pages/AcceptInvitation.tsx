import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import { AcceptInvitationMutation } from '../api/operations';
import { FormErrors, SubmitButton, TextField } from '../components/Form';
import { EmptyState } from '../components/States';
import { useSubmit } from '../hooks';
import { useSession } from '../session';

/** The link sent to an invitee: /invito#<token> (the token stays out of server logs). */
export function invitationLink(token: string): string {
  return `${window.location.origin}/invito#${encodeURIComponent(token)}`;
}

export default function AcceptInvitation() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const { refresh } = useSession();
  const fromLink = decodeURIComponent(location.hash.replace(/^#/, '')) || new URLSearchParams(location.search).get('token') || '';
  const [token, setToken] = useState(fromLink);
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const form = useSubmit(['token', 'password', 'displayName']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const done = await form.run(() =>
      request(AcceptInvitationMutation, {
        input: { token: token.trim(), password, displayName: displayName.trim() || null },
      }),
    );
    if (done) {
      await refresh();
      navigate('/');
    }
  };

  return (
    <div className="row justify-content-center">
      <div className="col-12 col-md-8 col-lg-6">
        <h1 className="h2 mb-3">{t('accept.title')}</h1>
        <p className="lead">{t('accept.intro')}</p>
        {!fromLink && <EmptyState title={t('accept.noToken')}>{t('accept.noTokenHelp')}</EmptyState>}
        <form onSubmit={submit} noValidate>
          {!fromLink && (
            <TextField label={t('accept.token')} value={token} onChange={setToken} error={form.fieldError('token')} required />
          )}
          <TextField
            label={t('accept.displayName')}
            value={displayName}
            onChange={setDisplayName}
            autoComplete="name"
            hint={t('accept.displayNameHint')}
            error={form.fieldError('displayName')}
          />
          <TextField
            label={t('accept.password')}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            hint={t('accept.passwordHint')}
            error={form.fieldError('password')}
            required
          />
          <TextField
            label={t('accept.confirm')}
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={setConfirm}
            error={mismatch ? { code: 'INVALID_INPUT', message: t('accept.mismatch'), field: 'confirm' } : undefined}
            required
          />
          <FormErrors errors={form.general} />
          <SubmitButton busy={form.busy}>{t('accept.submit')}</SubmitButton>
        </form>
      </div>
    </div>
  );
}
