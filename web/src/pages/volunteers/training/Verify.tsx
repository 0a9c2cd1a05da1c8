// Public, no account: checks the verification code printed on a certificate of attendance. A
// real certificate is confirmed with what the API gives (participant, course, hours, day of
// issue, issuing organisation); a forged or unknown code is plainly refused. What is typed is
// never shown back: a code that cannot be one (empty, too long, not shaped like one) is refused
// in the browser without asking the server.
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { request } from '../../../api/client';
import { SubmitButton, TextField } from '../../../components/Form';
import { LoadError, Loading } from '../../../components/States';
import { useLoad } from '../../../hooks';
import { formatDate } from '../../../i18n';
import { VerifyCertificateQuery } from './operations';
import { hoursOf, useTr } from './shared';

/** The most characters the code field takes (a real code has 51). */
export const CODE_MAX = 100;

/** A code as printed: 26 and 24 letters or digits joined by a hyphen (any case). */
export function codeShaped(code: string): boolean {
  return /^[0-9A-Za-z]{26}-[0-9A-Za-z]{24}$/.test(code.trim());
}

function Malformed() {
  const tr = useTr();
  return (
    <div className="alert alert-danger" role="alert" data-testid="verify-malformed">
      <h2 className="h4">{tr('verify.malformedTitle')}</h2>
      <p className="mb-0">{tr('verify.malformed')}</p>
    </div>
  );
}

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
        <p className="mb-1">{tr('verify.invalidCode')}</p>
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
              {hoursOf(Math.round(r.hours * 60))}
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
        {r.issuedBy && (
          <>
            <dt className="col-sm-4">{tr('verify.issuedBy')}</dt>
            <dd className="col-sm-8 mx-0" data-testid="verify-issued-by">
              <bdi>{r.issuedBy}</bdi>
            </dd>
          </>
        )}
        <dt className="col-sm-4">{tr('verificationCode')}</dt>
        <dd className="col-sm-8 mx-0">
          <code dir="ltr" className="text-break">
            {code.trim().toUpperCase()}
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
  const [error, setError] = useState<'required' | 'malformed' | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const c = typed.trim();
    if (!c) {
      setError('required');
      return;
    }
    if (!codeShaped(c)) {
      setError('malformed');
      return;
    }
    setError(null);
    setTyped('');
    navigate(`/verifica/${encodeURIComponent(c)}`);
  };
  return (
    <>
      <h1 className="h2">{tr('verify.title')}</h1>
      <p className="lead">{tr('verify.intro')}</p>
      {code && (codeShaped(code) ? <Result code={code} /> : <Malformed />)}
      <form onSubmit={submit} noValidate data-testid="verify-form" className="mt-3">
        <TextField
          label={code ? tr('verify.another') : tr('verify.code')}
          value={typed}
          onChange={(value) => {
            setTyped(value);
            setError(null);
          }}
          hint={tr('verify.codeHint')}
          autoComplete="off"
          maxLength={CODE_MAX}
          error={
            error
              ? { code: 'INVALID_INPUT', field: 'code', message: error === 'required' ? tr('verify.codeRequired') : tr('verify.malformedTitle'), local: true }
              : undefined
          }
          required
        />
        <SubmitButton busy={false}>{tr('verify.check')}</SubmitButton>
      </form>
    </>
  );
}
