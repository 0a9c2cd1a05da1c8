import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invitationLink } from '../pages/AcceptInvitation';
import { isolate } from '../bidi';

/** The invitation link, shown once after it is issued, with a copy button. */
export function InvitationIssued({ token, email }: { token: string; email: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const link = invitationLink(token);
  return (
    <div className="alert alert-success mt-3" role="status" data-testid="invitation-issued">
      <p className="fw-semibold mb-1">{t('invitation.issued', { email: isolate(email) })}</p>
      <p className="mb-2 small">{t('invitation.once')}</p>
      <label htmlFor="invitation-link" className="visually-hidden">
        {t('invitation.link')}
      </label>
      <input id="invitation-link" className="form-control mb-2 invitation-link" readOnly value={link} onFocus={(e) => e.target.select()} />
      <button
        type="button"
        className="btn btn-outline-primary btn-sm"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(link);
            setCopied(true);
          } catch {
            setCopied(false);
          }
        }}
      >
        {copied ? t('invitation.copied') : t('invitation.copy')}
      </button>
    </div>
  );
}
