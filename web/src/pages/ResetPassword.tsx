// A new password with the link of a reset e-mail: /password/nuova#<token>. The token travels in
// the fragment (never sent to a server) and leaves the address bar as soon as it is read, so it
// stays out of the browser's history. Every session of the account ends on success, this
// browser's too: the person then signs in with the new password.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Alert } from 'design-react-kit';
import { ApiError, request, setCsrfToken } from '../api/client';
import { ResetPasswordMutation } from '../api/operations';
import { FormErrors, SubmitButton, TextField, useErrorText } from '../components/Form';
import { EmptyState } from '../components/States';
import { missingFields, useSubmit } from '../hooks';
import { useSession } from '../session';

/** The token of a link's fragment (`#<token>`), or '' when there is none. */
function tokenOf(hash: string): string {
  const raw = hash.replace(/^#/, '');
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return raw.trim();
  }
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const { refresh } = useSession();
  // Read once: the address loses the fragment right after.
  const [token] = useState(() => tokenOf(location.hash));
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const form = useSubmit(['newPassword']);
  const text = useErrorText();

  useEffect(() => {
    if (location.hash) navigate({ pathname: location.pathname, search: location.search }, { replace: true, state: location.state });
  }, [location, navigate]);

  const refused = form.fieldError('token');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing = missingFields({ newPassword: password }, t('errors.reasons.REQUIRED'));
    if (missing.length > 0) {
      setMismatch(false);
      form.setErrors(missing);
      return;
    }
    if (password !== confirm) {
      setMismatch(true);
      form.setErrors([]);
      return;
    }
    setMismatch(false);
    const changed = await form.run(async () => {
      try {
        return await request(ResetPasswordMutation, { input: { token, newPassword: password } });
      } catch (err) {
        if (err instanceof ApiError && err.has('RATE_LIMITED')) {
          throw new ApiError([{ code: 'RATE_LIMITED', local: true, message: t('passwordReset.resetRateLimited') }]);
        }
        throw err;
      }
    });
    if (changed) {
      // The server has ended every session of the account and cleared this browser's cookies.
      setCsrfToken(null);
      setPassword('');
      setConfirm('');
      setDone(true);
      await refresh();
    }
  };

  return (
    <div className="row justify-content-center">
      <div className="col-12 col-md-8 col-lg-6">
        <h1 className="h2 mb-3">{t('passwordReset.newTitle')}</h1>
        {done ? (
          <div data-testid="password-reset-done">
            <div role="status">
              <Alert color="success">
                <p className="mb-0">{t('passwordReset.done')}</p>
              </Alert>
            </div>
            <Link to="/accesso" className="btn btn-primary">
              {t('passwordReset.signIn')}
            </Link>
          </div>
        ) : !token ? (
          <div data-testid="reset-no-token">
            <EmptyState title={t('passwordReset.noToken')} action={<Link to="/password/dimenticata">{t('passwordReset.askAgain')}</Link>}>
              {t('passwordReset.noTokenHelp')}
            </EmptyState>
          </div>
        ) : (
          <>
            <p className="lead">{t('passwordReset.newIntro')}</p>
            {refused && (
              <div data-testid="reset-token-refused">
                <Alert color="danger">
                  <p className="mb-2">{text(refused)}</p>
                  <Link to="/password/dimenticata">{t('passwordReset.askAgain')}</Link>
                </Alert>
              </div>
            )}
            <form onSubmit={submit} noValidate data-testid="reset-form">
              <TextField
                label={t('password.new')}
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={setPassword}
                hint={t('passwordReset.newHint')}
                error={form.fieldError('newPassword')}
                required
              />
              <TextField
                label={t('password.confirm')}
                type="password"
                autoComplete="new-password"
                value={confirm}
                onChange={setConfirm}
                error={mismatch ? { code: 'INVALID_INPUT', local: true, message: t('password.mismatch'), field: 'confirm' } : undefined}
                required
              />
              <FormErrors errors={form.general.filter((e) => e.field !== 'token')} />
              <SubmitButton busy={form.busy}>{t('passwordReset.submit')}</SubmitButton>
            </form>
          </>
        )}
      </div>
    </div>
  );
}
