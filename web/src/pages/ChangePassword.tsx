// The signed-in user's password. The server ends the user's other sessions and renews this one:
// the CSRF token it returns replaces the old one for every later request.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from 'design-react-kit';
import { request, setCsrfToken } from '../api/client';
import { ChangePasswordMutation } from '../api/operations';
import { FormErrors, SubmitButton, TextField } from '../components/Form';
import { useSubmit } from '../hooks';
import { useSession } from '../session';

export default function ChangePassword() {
  const { t } = useTranslation();
  const { viewer, refresh } = useSession();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const form = useSubmit(['currentPassword', 'newPassword']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    if (password !== confirm) {
      setMismatch(true);
      form.setErrors([]);
      return;
    }
    setMismatch(false);
    const changed = await form.run(() => request(ChangePasswordMutation, { input: { currentPassword: current, newPassword: password } }));
    if (changed) {
      setCsrfToken(changed.changePassword.csrfToken);
      setCurrent('');
      setPassword('');
      setConfirm('');
      setDone(true);
      await refresh();
    }
  };

  return (
    <div className="row justify-content-center">
      <div className="col-12 col-md-8 col-lg-6">
        <h1 className="h2 mb-3">{t('password.title')}</h1>
        <p className="lead">{t('password.intro', { email: viewer?.user.email ?? '' })}</p>
        {done && (
          <div data-testid="password-changed" role="status">
            <Alert color="success">
              <p className="mb-0">{t('password.done')}</p>
            </Alert>
          </div>
        )}
        <form onSubmit={submit} noValidate data-testid="password-form">
          <TextField
            label={t('password.current')}
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={setCurrent}
            error={form.fieldError('currentPassword')}
            required
          />
          <TextField
            label={t('password.new')}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            hint={t('password.newHint')}
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
          <FormErrors errors={form.general} />
          <SubmitButton busy={form.busy}>{t('password.submit')}</SubmitButton>
        </form>
      </div>
    </div>
  );
}
