import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { FormErrors, SubmitButton, TextField } from '../components/Form';
import { useSubmit } from '../hooks';
import { useSession } from '../session';

export default function SignIn() {
  const { t } = useTranslation();
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
        <p className="lead">{t('signIn.intro')}</p>
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
