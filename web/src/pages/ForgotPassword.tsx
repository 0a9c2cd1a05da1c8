// A forgotten password: the account's e-mail, to which the server sends a link to set a new one
// (in the console's language). The answer is the same whether or not the address has an account.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Alert } from 'design-react-kit';
import { ApiError, request } from '../api/client';
import { RequestPasswordResetMutation } from '../api/operations';
import { FormErrors, SubmitButton, TextField } from '../components/Form';
import { missingFields, useShapeErrors, useSubmit } from '../hooks';

export default function ForgotPassword() {
  const { t, i18n } = useTranslation();
  const shapeErrors = useShapeErrors();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const form = useSubmit(['email']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = [...missingFields({ email }, t('errors.reasons.REQUIRED')), ...shapeErrors([{ field: 'email', email }])];
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    const done = await form.run(async () => {
      try {
        return await request(RequestPasswordResetMutation, { input: { email: email.trim(), language: i18n.language } });
      } catch (err) {
        // Too many requests: said in words of its own, with when to try again.
        if (err instanceof ApiError && err.has('RATE_LIMITED')) {
          throw new ApiError([{ code: 'RATE_LIMITED', local: true, message: t('passwordReset.rateLimited') }]);
        }
        throw err;
      }
    });
    if (done) setSent(true);
  };

  return (
    <div className="row justify-content-center">
      <div className="col-12 col-md-8 col-lg-6">
        <h1 className="h2 mb-3">{t('passwordReset.forgotTitle')}</h1>
        {sent ? (
          <>
            <div role="status" data-testid="reset-requested">
              <Alert color="success">
                <p className="mb-0">{t('passwordReset.requested')}</p>
              </Alert>
            </div>
            <p>{t('passwordReset.requestedHelp')}</p>
            <div className="d-flex flex-wrap gap-3 align-items-center">
              <Link to="/accesso">{t('passwordReset.backToSignIn')}</Link>
              <button
                type="button"
                className="btn btn-link p-0"
                onClick={() => {
                  setSent(false);
                  setEmail('');
                }}
              >
                {t('passwordReset.another')}
              </button>
            </div>
          </>
        ) : (
          <>
            <p className="lead">{t('passwordReset.forgotIntro')}</p>
            <form onSubmit={submit} noValidate data-testid="forgot-form">
              <TextField
                label={t('signIn.email')}
                type="email"
                autoComplete="username"
                value={email}
                onChange={setEmail}
                error={form.fieldError('email')}
                required
              />
              <FormErrors errors={form.general} />
              <SubmitButton busy={form.busy}>{t('passwordReset.send')}</SubmitButton>
            </form>
            <p className="mt-4 small">
              <Link to="/accesso">{t('passwordReset.backToSignIn')}</Link>
            </p>
          </>
        )}
      </div>
    </div>
  );
}
