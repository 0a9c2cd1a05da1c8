// Sign-in through the tenant's own identity provider (OpenID Connect): the administrator registers
// Sportello as a client at the provider (with the redirect URI shown here) and enters the issuer,
// the client and how the client authenticates. The client secret and the private key are
// write-only: the server never returns them, keeps them when left empty, and asks for them the
// first time.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { OidcProviderQuery, RemoveOidcProviderMutation, SetOidcProviderMutation } from '../../api/operations';
import { FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../../components/Form';
import { ConfirmButton } from '../../components/Confirm';
import { LoadError, Loading } from '../../components/States';
import type { OidcAuthMethod, OidcProviderFieldsFragment } from '../../gql/graphql';
import { useLoad, useSubmit } from '../../hooks';
import { formatDate } from '../../i18n';

const AUTH_METHODS: OidcAuthMethod[] = ['CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST', 'PRIVATE_KEY_JWT'];
// The claim users are matched by is always `email`: a refusal of it is shown with the form's own.
const FIELDS = ['issuer', 'clientId', 'authMethod', 'clientSecret', 'privateKeyPem', 'keyId', 'scopes', 'allowedDomains'];

/** A list typed with commas, spaces or new lines between its items. */
function splitList(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The redirect URI the provider must know: the console's own address. */
export function oidcRedirectUri(): string {
  return `${window.location.origin}/auth/oidc/callback`;
}

/** A read-only address with a button that copies it. */
function CopyField({ label, hint, value, copyLabel, testId }: { label: string; hint: string; value: string; copyLabel: string; testId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="form-group">
      <label htmlFor={id} className="active">
        {label}
      </label>
      <div className="d-flex gap-2 flex-wrap align-items-start">
        <input
          id={id}
          className="form-control flex-grow-1 w-auto copy-field"
          dir="ltr"
          readOnly
          value={value}
          aria-describedby={`${id}-hint`}
          onFocus={(e) => e.target.select()}
          data-testid={testId}
        />
        <button
          type="button"
          className="btn btn-outline-primary btn-sm"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setCopied(true);
            } catch {
              setCopied(false);
            }
          }}
        >
          {copied ? t('setup.oidc.copied') : copyLabel}
        </button>
      </div>
      <small id={`${id}-hint`} className="form-text">
        {hint}
      </small>
    </div>
  );
}

export function OidcSetting() {
  const { t } = useTranslation();
  const loaded = useLoad(() => request(OidcProviderQuery), []);
  const [provider, setProvider] = useState<OidcProviderFieldsFragment | null>(null);
  const [issuer, setIssuer] = useState('');
  const [clientId, setClientId] = useState('');
  const [authMethod, setAuthMethod] = useState<OidcAuthMethod>('CLIENT_SECRET_BASIC');
  const [clientSecret, setClientSecret] = useState('');
  const [privateKeyPem, setPrivateKeyPem] = useState('');
  const [keyId, setKeyId] = useState('');
  const [scopes, setScopes] = useState('email');
  const [domains, setDomains] = useState('');
  const [status, setStatus] = useState<'saved' | 'removed' | null>(null);
  const form = useSubmit(FIELDS);
  const remove = useSubmit([]);

  const show = (p: OidcProviderFieldsFragment | null) => {
    setProvider(p);
    setIssuer(p?.issuer ?? '');
    setClientId(p?.clientId ?? '');
    setAuthMethod(p?.authMethod ?? 'CLIENT_SECRET_BASIC');
    setKeyId(p?.keyId ?? '');
    setScopes(p ? p.scopes.join(' ') || 'email' : 'email');
    setDomains(p?.allowedDomains.join(' ') ?? '');
    setClientSecret('');
    setPrivateKeyPem('');
  };
  useEffect(() => {
    if (loaded.data) show(loaded.data.oidcProvider);
  }, [loaded.data]);

  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error) return <LoadError error={loaded.error} />;

  const usesKey = authMethod === 'PRIVATE_KEY_JWT';
  // What the server keeps when the field is left empty: the saved method's own credential.
  const secretSet = !!provider && provider.authMethod !== 'PRIVATE_KEY_JWT';
  const keySet = !!provider && provider.authMethod === 'PRIVATE_KEY_JWT';
  const changed = () => setStatus(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    const done = await form.run(() =>
      request(SetOidcProviderMutation, {
        input: {
          issuer: issuer.trim(),
          clientId: clientId.trim(),
          authMethod,
          clientSecret: !usesKey && clientSecret !== '' ? clientSecret : null,
          privateKeyPem: usesKey && privateKeyPem.trim() !== '' ? privateKeyPem.trim() : null,
          keyId: usesKey ? keyId.trim() || null : null,
          scopes: splitList(scopes),
          allowedDomains: splitList(domains),
          expectedVersion: provider?.version ?? null,
        },
      }),
    );
    if (done) {
      show(done.setOidcProvider);
      setStatus('saved');
    }
  };

  return (
    <section className="card card-bg p-3 mb-4" aria-labelledby="oidc-title" data-testid="oidc-setting">
      <h2 id="oidc-title" className="h5">
        {t('setup.oidc.title')} <span className="fw-normal">({t('setup.oidc.protocol')})</span>
      </h2>
      <p>{t('setup.oidc.intro')}</p>
      <p className="fw-semibold" data-testid="oidc-state">
        {provider ? t('setup.oidc.active', { date: formatDate(provider.updatedAt, true) }) : t('setup.oidc.none')}
      </p>
      <CopyField
        label={t('setup.oidc.redirectUri')}
        hint={t('setup.oidc.redirectUriHint')}
        value={oidcRedirectUri()}
        copyLabel={t('setup.oidc.copyRedirectUri')}
        testId="oidc-redirect-uri"
      />
      {provider && (
        <CopyField
          label={t('setup.oidc.signInLink')}
          hint={t('setup.oidc.signInLinkHint')}
          value={`${window.location.origin}${provider.signInPath}`}
          copyLabel={t('setup.oidc.copySignInLink')}
          testId="oidc-sign-in-link"
        />
      )}
      <form onSubmit={submit} noValidate data-testid="oidc-form">
        <TextField
          label={t('setup.oidc.issuer')}
          hint={t('setup.oidc.issuerHint')}
          type="url"
          autoComplete="off"
          value={issuer}
          onChange={(v) => {
            setIssuer(v);
            changed();
          }}
          error={form.fieldError('issuer')}
          required
        />
        <TextField
          label={t('setup.oidc.clientId')}
          autoComplete="off"
          value={clientId}
          onChange={(v) => {
            setClientId(v);
            changed();
          }}
          error={form.fieldError('clientId')}
          required
        />
        <SelectField
          label={t('setup.oidc.authMethod')}
          value={authMethod}
          onChange={(v) => {
            setAuthMethod(v as OidcAuthMethod);
            changed();
          }}
          options={AUTH_METHODS.map((m) => ({ value: m, label: t(`setup.oidc.methods.${m}`) }))}
          error={form.fieldError('authMethod')}
        />
        {usesKey ? (
          <>
            <TextArea
              label={t('setup.oidc.privateKey')}
              hint={keySet ? t('setup.oidc.privateKeySet') : t('setup.oidc.privateKeyHint')}
              rows={6}
              className="font-monospace"
              value={privateKeyPem}
              onChange={(v) => {
                setPrivateKeyPem(v);
                changed();
              }}
              error={form.fieldError('privateKeyPem')}
              required={!keySet}
            />
            <TextField
              label={t('setup.oidc.keyId')}
              hint={t('setup.oidc.keyIdHint')}
              autoComplete="off"
              value={keyId}
              onChange={(v) => {
                setKeyId(v);
                changed();
              }}
              error={form.fieldError('keyId')}
              required
            />
          </>
        ) : (
          <TextField
            label={t('setup.oidc.clientSecret')}
            hint={t('setup.oidc.clientSecretHint')}
            type="password"
            autoComplete="new-password"
            placeholder={secretSet ? t('setup.oidc.secretSet') : undefined}
            value={clientSecret}
            onChange={(v) => {
              setClientSecret(v);
              changed();
            }}
            error={form.fieldError('clientSecret')}
            required={!secretSet}
          />
        )}
        <TextField
          label={t('setup.oidc.scopes')}
          hint={t('setup.oidc.scopesHint')}
          autoComplete="off"
          value={scopes}
          onChange={(v) => {
            setScopes(v);
            changed();
          }}
          error={form.fieldError('scopes')}
        />
        <TextField
          label={t('setup.oidc.domains')}
          hint={t('setup.oidc.domainsHint')}
          autoComplete="off"
          value={domains}
          onChange={(v) => {
            setDomains(v);
            changed();
          }}
          error={form.fieldError('allowedDomains')}
        />
        {status === 'saved' && (
          <p className="text-success fw-semibold" role="status" data-testid="oidc-saved">
            {t('setup.oidc.saved')}
          </p>
        )}
        {status === 'removed' && (
          <p className="text-success fw-semibold" role="status" data-testid="oidc-removed">
            {t('setup.oidc.removed')}
          </p>
        )}
        <FormErrors errors={[...form.general, ...remove.general]} />
        <div className="d-flex gap-2 flex-wrap">
          <SubmitButton busy={form.busy}>{t('setup.oidc.save')}</SubmitButton>
          {provider && (
            <ConfirmButton
              className="btn btn-outline-danger"
              ariaLabel={t('setup.oidc.removeNamed')}
              disabled={remove.busy || form.busy}
              confirmation={{
                title: t('confirm.removeOidcProvider.title'),
                body: t('confirm.removeOidcProvider.body'),
                confirm: t('confirm.removeOidcProvider.confirm'),
              }}
              onConfirm={async () => {
                setStatus(null);
                form.setErrors([]);
                if (await remove.run(() => request(RemoveOidcProviderMutation))) {
                  show(null);
                  setStatus('removed');
                }
              }}
            >
              {t('setup.oidc.remove')}
            </ConfirmButton>
          )}
        </div>
      </form>
    </section>
  );
}
