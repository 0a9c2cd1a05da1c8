// Public, no account: checks the verification code printed on a certificate of attendance. A
// real certificate is confirmed with what the API gives (participant, course, hours, day of
// issue); a forged or unknown code is plainly refused.
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { request } from '../../../api/client';
import { SubmitButton, TextField } from '../../../components/Form';
import { LoadError, Loading } from '../../../components/States';
import { useLoad } from '../../../hooks';
import { formatDate, formatNumber } from '../../../i18n';
import { VerifyCertificateQuery } from './operations';
import { useTr } from './shared';

function Result({ code }: { code: string }) {
  const tr = useTr();
  const check = useLoad(() => request(VerifyCertificateQuery, { code }), [code]);
  if (check.loading) return <Loading />;
  if (check.error) return <LoadError error={check.error} />;
  const r = check.data!.verifyCertificate;
  if (!r.valid) {
    return (
      <div className="alert alert-danger" role="alert" data-testid="verify-invalid">
        <h2 className="h4">{tr('verify.invalidTitle')}</h2>
        <p className="mb-1">
          {tr('verify.invalidCode')}{' '}
          <code dir="ltr" className="text-break">
            {code}
          </code>
        </p>
        <p className="mb-0">{tr('verify.invalidHelp')}</p>
      </div>
    );
  }
  return (
    <div className="alert alert-success" role="status" data-testid="verify-valid">
      <h2 className="h4">{tr('verify.validTitle')}</h2>
      <dl className="row mb-0">
        <dt className="col-sm-4">{tr('verify.participant')}</dt>
        <dd className="col-sm-8 mx-0" data-testid="verify-participant">
          <bdi>{r.participantName}</bdi>
        </dd>
        <dt className="col-sm-4">{tr('verify.course')}</dt>
        <dd className="col-sm-8 mx-0" data-testid="verify-course">
          <bdi>{r.courseTitle}</bdi>
        </dd>
        {r.hours != null && (
          <>
            <dt className="col-sm-4">{tr('verify.hours')}</dt>
            <dd className="col-sm-8 mx-0" data-testid="verify-hours">
              {formatNumber(r.hours, 2)}
            </dd>
          </>
        )}
        {r.issuedOn && (
          <>
            <dt className="col-sm-4">{tr('verify.issuedOn')}</dt>
            <dd className="col-sm-8 mx-0" data-testid="verify-issued">
              {formatDate(r.issuedOn)}
            </dd>
          </>
        )}
        <dt className="col-sm-4">{tr('verificationCode')}</dt>
        <dd className="col-sm-8 mx-0">
          <code dir="ltr" className="text-break">
            {code}
          </code>
        </dd>
      </dl>
    </div>
  );
}

export default function Verify() {
  const tr = useTr();
  const navigate = useNavigate();
  const { code } = useParams();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const c = typed.trim();
    if (!c) {
      setError(true);
      return;
    }
    setError(false);
    setTyped('');
    navigate(`/verifica/${encodeURIComponent(c)}`);
  };
  return (
    <>
      <h1 className="h2">{tr('verify.title')}</h1>
      <p className="lead">{tr('verify.intro')}</p>
      {code && <Result code={code} />}
      <form onSubmit={submit} noValidate data-testid="verify-form" className="mt-3">
        <TextField
          label={code ? tr('verify.another') : tr('verify.code')}
          value={typed}
          onChange={setTyped}
          hint={tr('verify.codeHint')}
          autoComplete="off"
          error={error ? { code: 'INVALID_INPUT', field: 'code', message: tr('verify.codeRequired'), local: true } : undefined}
          required
        />
        <SubmitButton busy={false}>{tr('verify.check')}</SubmitButton>
      </form>
    </>
  );
}
