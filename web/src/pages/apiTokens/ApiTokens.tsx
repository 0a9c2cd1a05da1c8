// API tokens for integrations, for any signed-in member of a tenant: the caller's tokens (a
// tenant administrator's: all of the tenant's) with their state and uses, revocation after a
// confirmation, and the form that issues one. A new token is shown once, when issued.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from 'design-react-kit';
import { ApiError, request, type ApiErrorItem } from '../../api/client';
import { CheckGroup, Feedback, FormErrors, SubmitButton, TextField } from '../../components/Form';
import { ConfirmButton } from '../../components/Confirm';
import { LoadMore, usePaged } from '../../components/Paged';
import { EmptyState, LoadError, Loading } from '../../components/States';
import type { ApiTokenFieldsFragment, ApiTokenKind, ApiTokenScope, Role } from '../../gql/graphql';
import { missingFields, useShapeErrors, useSubmit, wholeNumber } from '../../hooks';
import { formatDate, formatList } from '../../i18n';
import { isolate } from '../../bidi';
import { ROLES } from '../../enums';
import { useSession } from '../../session';
import { ApiTokenUsesQuery, ApiTokensQuery, CreateApiTokenMutation, RevokeApiTokenMutation } from './operations';

const KINDS: ApiTokenKind[] = ['PERSONAL', 'SERVICE'];
const SCOPES: ApiTokenScope[] = ['READ_ONLY', 'EXPORTS', 'FULL'];
/** The roles a service token may have: any but the tenant's administration. */
const SERVICE_ROLES: Role[] = ROLES.filter((r) => r !== 'TENANT_ADMIN');
const FIELDS = ['name', 'kind', 'scope', 'validDays', 'roles'];
export const MAX_VALID_DAYS = 366;

/** A token of the list, with the cursor of the one before it (to read it back alone). */
type Row = ApiTokenFieldsFragment & { before: string | null };
type TokenState = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

function stateOf(token: ApiTokenFieldsFragment, now = Date.now()): TokenState {
  if (token.revokedAt) return 'REVOKED';
  return new Date(token.expiresAt).getTime() <= now ? 'EXPIRED' : 'ACTIVE';
}

const STATE_COLOUR: Record<TokenState, string> = { ACTIVE: 'active', EXPIRED: 'monitoring', REVOKED: 'closed' };

function StateBadge({ state }: { state: TokenState }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status-${STATE_COLOUR[state]}`} data-status={state} data-testid="token-state">
      {t(`apiTokens.state.${state}`)}
    </span>
  );
}

/** Radio buttons for one choice, each with its one-line explanation; its error under the group. */
function RadioGroup<V extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  error,
}: {
  legend: string;
  name: string;
  options: { value: V; label: string; help: string }[];
  value: V | '';
  onChange: (value: V) => void;
  error?: ApiErrorItem;
}) {
  const id = useId();
  return (
    <fieldset className="mb-3" aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? true : undefined} data-testid={`field-${name}`}>
      <legend className="fs-6 fw-semibold mb-2">
        {legend}
        <span aria-hidden="true"> *</span>
      </legend>
      {options.map((o) => (
        <div className="form-check token-choice" key={o.value}>
          <input
            id={`${id}-${o.value}`}
            name={name}
            type="radio"
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
            aria-describedby={`${id}-${o.value}-help`}
          />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
          <small id={`${id}-${o.value}-help`} className="form-text d-block token-choice-help">
            {o.help}
          </small>
        </div>
      ))}
      <Feedback id={id} error={error} />
    </fieldset>
  );
}

/** The token just issued: shown this once, with a copy button and how to send it. */
function IssuedToken({ token, name, onClose }: { token: string; name: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [token]);
  const url = `${window.location.origin}/graphql`;
  return (
    <section className="alert alert-success token-issued" aria-labelledby="token-issued-title" data-testid="token-issued">
      <h2 className="h5" id="token-issued-title" tabIndex={-1} ref={heading}>
        {t('apiTokens.issued.title', { name: isolate(name) })}
      </h2>
      <p className="fw-semibold" data-testid="token-once">
        {t('apiTokens.issued.warning')}
      </p>
      <label htmlFor="issued-token" className="form-label">
        {t('apiTokens.issued.label')}
      </label>
      <input
        id="issued-token"
        className="form-control mb-2 token-value"
        dir="ltr"
        readOnly
        value={token}
        spellCheck={false}
        autoComplete="off"
        onFocus={(e) => e.target.select()}
        data-testid="issued-token"
      />
      <div className="d-flex flex-wrap gap-2 align-items-center mb-3">
        <button
          type="button"
          className="btn btn-primary btn-sm"
          data-testid="copy-token"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(token);
              setCopied('yes');
            } catch {
              setCopied('failed');
            }
          }}
        >
          {t('apiTokens.issued.copy')}
        </button>
        <span role="status" className="small" data-testid="copy-status">
          {copied === 'yes' ? t('apiTokens.issued.copied') : copied === 'failed' ? t('apiTokens.issued.copyFailed') : ''}
        </span>
      </div>
      <h3 className="h6">{t('apiTokens.issued.usage')}</h3>
      <p className="mb-1">{t('apiTokens.issued.usageText', { url: isolate(url) })}</p>
      <pre className="token-usage" dir="ltr" data-testid="token-usage">
        <code>{`Authorization: Bearer ${token}`}</code>
      </pre>
      <button type="button" className="btn btn-outline-primary btn-sm" onClick={onClose} data-testid="token-issued-close">
        {t('apiTokens.issued.close')}
      </button>
    </section>
  );
}

/** A token's uses, newest first, a page at a time. */
function Uses({ row }: { row: Row }) {
  const { t } = useTranslation();
  const [moved, setMoved] = useState(false);
  const uses = usePaged(async (after) => {
    const found = (await request(ApiTokenUsesQuery, { before: row.before, after })).apiTokens.nodes[0];
    if (!found || found.id !== row.id) {
      setMoved(true);
      return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    }
    return found.uses;
  }, [row.id, row.lastUsedAt, row.revokedAt]);
  return (
    <div className="token-uses mt-2" data-testid="token-uses">
      <h3 className="h6">{t('apiTokens.uses.title')}</h3>
      {uses.error && <LoadError error={uses.error} />}
      {moved && <p className="text-danger">{t('apiTokens.uses.moved')}</p>}
      {!uses.loading && !uses.error && !moved && uses.rows.length === 0 && <p className="mb-0">{t('apiTokens.uses.none')}</p>}
      {uses.rows.length > 0 && (
        <div className="table-responsive">
          <table className="table table-sm mb-2">
            <thead>
              <tr>
                <th scope="col">{t('apiTokens.uses.at')}</th>
                <th scope="col">{t('apiTokens.uses.operation')}</th>
                <th scope="col">{t('apiTokens.uses.kind')}</th>
                <th scope="col">{t('apiTokens.uses.client')}</th>
              </tr>
            </thead>
            <tbody>
              {uses.rows.map((u, i) => (
                <tr key={`${u.at}-${i}`} data-testid="token-use">
                  <td>{formatDate(u.at, true)}</td>
                  <td dir="ltr" className="text-start">
                    {u.operation === '-' ? t('apiTokens.uses.anonymous') : <code>{u.operation}</code>}
                  </td>
                  <td data-kind={u.kind}>{t(`apiTokens.uses.${u.kind}`, { defaultValue: u.kind })}</td>
                  <td dir="ltr" className="text-start">
                    <code>{u.client}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {uses.loading && <Loading />}
      <LoadMore list={uses} className="btn btn-outline-primary btn-sm" />
    </div>
  );
}

function TokenRow({ row, mine, onRevoked }: { row: Row; mine: boolean; onRevoked: (token: ApiTokenFieldsFragment) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<ApiErrorItem[]>([]);
  const state = stateOf(row);
  const usesId = useId();
  const fact = (label: string, value: ReactNode, testId?: string) => (
    <div className="token-fact">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <li className={`token-row state-${state.toLowerCase()}`} data-testid="token-row" data-state={state}>
      <div className="d-flex flex-wrap align-items-center gap-2">
        <h3 className="h5 mb-0 token-name">
          <bdi>{row.name}</bdi>
        </h3>
        <StateBadge state={state} />
      </div>
      <dl className="token-facts">
        {fact(t('apiTokens.facts.kind'), t(`apiTokens.kind.${row.kind}`), 'token-kind')}
        {fact(t('apiTokens.facts.scope'), t(`apiTokens.scope.${row.scope}`), 'token-scope')}
        {fact(
          t('apiTokens.facts.roles'),
          row.kind === 'SERVICE' ? formatList(row.roles.map((r) => t(`enum.Role.${r}`))) : t('apiTokens.ownerRoles'),
          'token-roles',
        )}
        {row.kind === 'PERSONAL' && fact(t('apiTokens.facts.owner'), mine ? t('apiTokens.ownerYou') : t('apiTokens.ownerOther'), 'token-owner')}
        {fact(t('apiTokens.facts.created'), formatDate(row.createdAt, true))}
        {fact(state === 'EXPIRED' ? t('apiTokens.facts.expired') : t('apiTokens.facts.expires'), formatDate(row.expiresAt, true), 'token-expires')}
        {fact(t('apiTokens.facts.lastUsed'), row.lastUsedAt ? formatDate(row.lastUsedAt, true) : t('apiTokens.never'), 'token-last-used')}
        {row.revokedAt && fact(t('apiTokens.facts.revoked'), formatDate(row.revokedAt, true), 'token-revoked')}
      </dl>
      <div className="d-flex flex-wrap gap-2">
        <button
          type="button"
          className="btn btn-outline-primary btn-xs"
          aria-expanded={open}
          aria-controls={usesId}
          aria-label={open ? t('apiTokens.uses.hideNamed', { name: isolate(row.name) }) : t('apiTokens.uses.showNamed', { name: isolate(row.name) })}
          onClick={() => setOpen(!open)}
          data-testid="toggle-uses"
        >
          {open ? t('apiTokens.uses.hide') : t('apiTokens.uses.show')}
        </button>
        {state !== 'REVOKED' && (
          <ConfirmButton
            ariaLabel={t('apiTokens.revoke.named', { name: isolate(row.name) })}
            confirmation={{
              title: t('apiTokens.revoke.title'),
              body: t('apiTokens.revoke.body', { name: isolate(row.name) }),
              confirm: t('apiTokens.revoke.yes'),
            }}
            onConfirm={async () => {
              setError([]);
              try {
                onRevoked((await request(RevokeApiTokenMutation, { id: row.id })).revokeApiToken);
              } catch (e) {
                setError(e instanceof ApiError ? e.items : [{ message: String(e), code: 'INTERNAL' }]);
              }
            }}
          >
            {t('apiTokens.revoke.button')}
          </ConfirmButton>
        )}
      </div>
      <FormErrors errors={error} />
      <div id={usesId}>{open && <Uses row={row} />}</div>
    </li>
  );
}

function IssueForm({ admin, onIssued }: { admin: boolean; onIssued: (token: string, name: string) => void }) {
  const { t } = useTranslation();
  const form = useSubmit(FIELDS);
  const shape = useShapeErrors();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ApiTokenKind>('PERSONAL');
  const [scope, setScope] = useState<ApiTokenScope | ''>('');
  const [validDays, setValidDays] = useState('90');
  const [roles, setRoles] = useState<string[]>([]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = missingFields({ name, scope, validDays, ...(kind === 'SERVICE' ? { roles } : {}) }, t('errors.reasons.REQUIRED'));
    local.push(...shape([{ field: 'validDays', number: validDays, min: 1, max: MAX_VALID_DAYS }]));
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    const done = await form.run(() =>
      request(CreateApiTokenMutation, {
        input: {
          kind,
          name: name.trim(),
          scope: scope as ApiTokenScope,
          validDays: wholeNumber(validDays),
          roles: kind === 'SERVICE' ? (roles as Role[]) : [],
        },
      }),
    );
    if (done) {
      onIssued(done.createApiToken.token, done.createApiToken.apiToken.name);
      setName('');
      setScope('');
      setValidDays('90');
      setRoles([]);
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid="token-form" aria-labelledby="token-form-title">
      <h2 className="h4" id="token-form-title">
        {t('apiTokens.form.title')}
      </h2>
      <TextField label={t('apiTokens.form.name')} value={name} onChange={setName} hint={t('apiTokens.form.nameHint')} maxLength={100} error={form.fieldError('name')} required />
      {admin ? (
        <RadioGroup
          legend={t('apiTokens.form.kind')}
          name="kind"
          options={KINDS.map((k) => ({ value: k, label: t(`apiTokens.kind.${k}`), help: t(`apiTokens.kindHelp.${k}`) }))}
          value={kind}
          onChange={(k) => {
            setKind(k);
            if (k === 'PERSONAL') setRoles([]);
          }}
          error={form.fieldError('kind')}
        />
      ) : (
        <p data-testid="token-kind-fixed">
          <strong>{t('apiTokens.form.kind')}:</strong> {t('apiTokens.kind.PERSONAL')} — {t('apiTokens.kindHelp.PERSONAL')}
        </p>
      )}
      {kind === 'SERVICE' && (
        <>
          <CheckGroup
            legend={`${t('apiTokens.form.roles')} *`}
            name="roles"
            options={SERVICE_ROLES.map((r) => ({ value: r, label: t(`enum.Role.${r}`) }))}
            values={roles}
            onChange={setRoles}
            error={form.fieldError('roles')}
          />
          <p className="form-text small mt-n2">{t('apiTokens.form.rolesHint')}</p>
        </>
      )}
      <RadioGroup
        legend={t('apiTokens.form.scope')}
        name="scope"
        options={SCOPES.map((s) => ({ value: s, label: t(`apiTokens.scope.${s}`), help: t(`apiTokens.scopeHelp.${s}`) }))}
        value={scope}
        onChange={setScope}
        error={form.fieldError('scope')}
      />
      <TextField
        label={t('apiTokens.form.validDays')}
        value={validDays}
        onChange={setValidDays}
        inputMode="numeric"
        hint={t('apiTokens.form.validDaysHint')}
        error={form.fieldError('validDays')}
        required
      />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('apiTokens.form.submit')}</SubmitButton>
    </form>
  );
}

export default function ApiTokens() {
  const { t } = useTranslation();
  const { viewer, hasRole } = useSession();
  const admin = hasRole('TENANT_ADMIN');
  const [issued, setIssued] = useState<{ token: string; name: string } | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  const list = usePaged<Row>(async (after) => {
    const page = (await request(ApiTokensQuery, { after })).apiTokens;
    return {
      nodes: page.edges.map((e, i) => ({ ...e.node, before: i === 0 ? after : page.edges[i - 1].cursor })),
      pageInfo: page.pageInfo,
    };
  }, [viewer?.activeTenant?.id]);
  const { rows, loading, error } = list;
  return (
    <>
      <h1 className="h2">{t('apiTokens.title')}</h1>
      <p className="lead">{t('apiTokens.intro')}</p>
      {admin && <p>{t('apiTokens.adminIntro')}</p>}
      <div className="row g-4">
        <div className="col-12 col-lg-7">
          <section aria-labelledby="token-list-title">
            <h2 className="h4" id="token-list-title">
              {admin ? t('apiTokens.list.titleAdmin') : t('apiTokens.list.title')}
            </h2>
            {revoked && (
              <div role="status" data-testid="token-revoked-notice">
                <Alert color="success">
                  <p className="mb-0">{t('apiTokens.revoke.done', { name: isolate(revoked) })}</p>
                </Alert>
              </div>
            )}
            {error && <LoadError error={error} />}
            {!loading && !error && rows.length === 0 && <EmptyState title={t('apiTokens.list.empty')}>{t('apiTokens.list.emptyHelp')}</EmptyState>}
            {rows.length > 0 && (
              <ul className="list-unstyled p-0 token-list" data-testid="token-list">
                {rows.map((r) => (
                  <TokenRow
                    key={r.id}
                    row={r}
                    mine={r.ownerUserId === viewer?.user.id}
                    onRevoked={(token) => {
                      setRevoked(token.name);
                      list.setRows((all) => all.map((x) => (x.id === token.id ? { ...x, ...token } : x)));
                    }}
                  />
                ))}
              </ul>
            )}
            {loading && <Loading />}
            <LoadMore list={list} />
          </section>
        </div>
        <div className="col-12 col-lg-5">
          {issued && <IssuedToken token={issued.token} name={issued.name} onClose={() => setIssued(null)} />}
          <IssueForm
            admin={admin}
            onIssued={(token, name) => {
              setRevoked(null);
              setIssued({ token, name });
              list.reload();
            }}
          />
        </div>
      </div>
    </>
  );
}
