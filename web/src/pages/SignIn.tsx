import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Alert } from 'design-react-kit';
import { FormErrors, SubmitButton, TextField } from '../components/Form';
import { useSubmit } from '../hooks';
import { useSession } from '../session';

/**
 * The path that starts the sign-in with the tenant's OpenID provider (a full navigation: the
 * server redirects to the provider), back to `returnTo` once signed in.
 */
export function oidcStartPath(tenantId: string, returnTo?: string): string {
  const path = `/auth/oidc/${encodeURIComponent(tenantId)}/start`;
  // Only a path of the console itself: never another site.
  return returnTo && /^\/(?![/\\])/.test(returnTo) ? `${path}?returnTo=${encodeURIComponent(returnTo)}` : path;
}

/** Why the sign-in through the tenant's provider failed (`?oidcError=<REASON>`), in words. */
function OidcError({ reason }: { reason: string }) {
  const { t, i18n } = useTranslation();
  const known = /^[A-Z_]+$/.test(reason) && i18n.exists(`errors.reasons.${reason}`);
  return (
    <Alert color="danger" data-testid="oidc-error">
      <p className="fw-semibold mb-1">{t('signIn.providerFailed')}</p>
      <p className="mb-0">{known ? t(`errors.reasons.${reason}`) : t('signIn.providerFailedHelp')}</p>
    </Alert>
  );
}

export default function SignIn() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const tenantId = params.get('ente')?.trim() ?? '';
  const oidcError = params.get('oidcError')?.trim() ?? '';
  const { signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit(['email', 'password']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const viewer = await form.run(() => signIn(email.trim(), password));
    if (viewer) navigate(from && from !== '/accesso' ? from : '/', { replace: true });
  };

  return (
    <div className="row justify-content-center">
      <div className="col-12 col-md-8 col-lg-6">
        <h1 className="h2 mb-3">{t('signIn.title')}</h1>
        {oidcError && <OidcError reason={oidcError} />}
        {tenantId ? (
          <>
            <p className="lead">{t('signIn.providerIntro')}</p>
            <p className="mb-4">
              <a className="btn btn-primary" href={oidcStartPath(tenantId, from && from !== '/accesso' ? from : undefined)} data-testid="oidc-sign-in">
                {t('signIn.withProvider')}
              </a>
            </p>
            <p>{t('signIn.orPassword')}</p>
          </>
        ) : (
          <p className="lead">{t('signIn.intro')}</p>
        )}
        <form onSubmit={submit} noValidate className="card-form">
          <TextField
            label={t('signIn.email')}
            type="email"
            autoComplete="username"
            value={email}
            onChange={setEmail}
            error={form.fieldError('email')}
            required
          />
          <TextField
            label={t('signIn.password')}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            error={form.fieldError('password')}
            required
          />
          <FormErrors errors={form.general} />
          <SubmitButton busy={form.busy}>{t('signIn.submit')}</SubmitButton>
        </form>
        <p className="mt-3">
          <Link to="/password/dimenticata" data-testid="forgot-password">
            {t('signIn.forgot')}
          </Link>
        </p>
        <p className="mt-4 small">{t('signIn.invitationHint')}</p>
      </div>
    </div>
  );
}
