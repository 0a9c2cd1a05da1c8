// Pieces shared by the training screens: the area's messages, session times on the tenant's
// clock, the certificate's PDF download and its verification link.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request, ApiError } from '../../../api/client';
import { FormErrors } from '../../../components/Form';
import { NotFound } from '../../../components/States';
import { formatDate, formatNumber } from '../../../i18n';
import i18n from 'i18next';
import { tenantTimeZone } from '../../../time';
import { CertificatePdfQuery } from './operations';

/** `t` on the area's messages: `tr('title')` is `volunteers.training.title`. */
export function useTr() {
  const { t } = useTranslation();
  return (key: string, options?: Record<string, unknown>) => t(`volunteers.training.${key}`, options ?? {}) as string;
}

/** A time of day of an instant, on the tenant's clock, in the console's language. */
export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short', timeZone: tenantTimeZone() }).format(new Date(iso));
}

/** A session's day and times: «7 dic 2026, 10:00–12:00». */
export function sessionWhen(s: { startsAt: string; endsAt: string }): string {
  return `${formatDate(s.startsAt)}, ${formatTime(s.startsAt)}–${formatTime(s.endsAt)}`;
}

/** A long local day, `YYYY-MM-DD`, with its weekday («lunedì 7 dicembre 2026»). */
export function formatLongDay(day: string): string {
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** Minutes as hours in the console's language (90 → «1,5»). */
export function hoursOf(minutes: number): string {
  return formatNumber(minutes / 60, 2);
}

/** Minutes as hours with their word, in the console's language and its plural (90 → «1,5 ore»,
 * 60 → «1 ora»; in Arabic «ساعتان» for 120). */
export function useHours() {
  const tr = useTr();
  return (minutes: number) => tr('hoursCount', { count: Math.round((minutes / 60) * 100) / 100, hours: hoursOf(minutes) });
}

/** Where a session takes place: the place, the online address, or both. */
export function SessionWhere({ session }: { session: { place?: string | null; onlineUrl?: string | null } }) {
  const tr = useTr();
  return (
    <>
      {session.place && <bdi>{session.place}</bdi>}
      {session.place && session.onlineUrl && ' · '}
      {session.onlineUrl && (
        <>
          {tr('online')}{' '}
          <a href={session.onlineUrl} target="_blank" rel="noreferrer noopener" dir="ltr">
            {session.onlineUrl}
          </a>
        </>
      )}
    </>
  );
}

function download(filename: string, contentType: string, base64: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads a certificate's PDF. */
export function DownloadPdf({ certificateId, label, ariaLabel }: { certificateId: string; label: string; ariaLabel?: string }) {
  const tr = useTr();
  const [state, setState] = useState<'idle' | 'running' | 'done'>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <div>
      <button
        type="button"
        className="btn btn-primary btn-sm"
        disabled={state === 'running'}
        aria-busy={state === 'running' || undefined}
        data-testid="certificate-pdf"
        aria-label={ariaLabel}
        onClick={async () => {
          setState('running');
          setError(null);
          try {
            const { certificatePdf: f } = await request(CertificatePdfQuery, { id: certificateId });
            download(f.filename, f.contentType, f.contentBase64);
            setState('done');
          } catch (e) {
            setError(e instanceof ApiError ? e : new ApiError([{ message: String(e), code: 'INTERNAL' }]));
            setState('idle');
          }
        }}
      >
        {label}
      </button>
      <span aria-live="polite" className="small gap-start">
        {state === 'running' && tr('pdfPreparing')}
        {state === 'done' && tr('pdfReady')}
      </span>
      {error && <FormErrors errors={error.items} />}
    </div>
  );
}

/** A certificate's verification code and the public page that checks it. */
export function Verification({ code, path }: { code: string; path: string }) {
  const tr = useTr();
  const url = `${window.location.origin}${path}`;
  return (
    <dl className="mb-2 small">
      <dt>{tr('verificationCode')}</dt>
      <dd className="mx-0">
        <code dir="ltr" data-testid="verification-code" className="text-break">
          {code}
        </code>
      </dd>
      <dt>{tr('verificationUrl')}</dt>
      <dd className="mx-0">
        <Link to={path} dir="ltr" className="text-break" data-testid="verification-url">
          {url}
        </Link>
      </dd>
    </dl>
  );
}

/** A course or session this tenant does not have (or that does not exist). */
export function CourseNotFound() {
  const tr = useTr();
  return <NotFound title={tr('notFound')} help={tr('notFoundHelp')} back={{ to: '/formazione', label: tr('backToCourses') }} />;
}
