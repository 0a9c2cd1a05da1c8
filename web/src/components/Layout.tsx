// The page frame: skip link, Designers Italia header with tenant, language and account, the
// navigation for the viewer's roles, and the main region.
import { useState, type ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n';
import { useSession, type Role } from '../session';
import { isolate } from '../bidi';
import { volunteerNav } from '../pages/volunteers/routes';
import { housingNav } from '../pages/housing';
import { onCallNav } from '../pages/oncall';
import { ROLES } from '../enums';

export interface NavItem {
  to: string;
  label: string;
  roles?: Role[];
  platform?: boolean;
  /** Active only on this exact path, not on the paths below it. */
  end?: boolean;
  /** Only in the folded phone menu (the header's name link does it on wider screens). */
  phoneOnly?: boolean;
}

export function navItems(t: (k: string) => string): NavItem[] {
  return [
    { to: '/enti', label: t('nav.tenants'), platform: true },
    { to: '/configurazione', label: t('nav.setup'), roles: ['TENANT_ADMIN'], end: true },
    { to: '/configurazione/tipi-di-bisogno', label: t('nav.needTypes'), roles: ['TENANT_ADMIN', 'COORDINATOR'] },
    { to: '/casi', label: t('nav.cases'), roles: ['OPERATOR', 'COORDINATOR'] },
    { to: '/persone', label: t('nav.persons'), roles: ['OPERATOR', 'COORDINATOR'] },
    { to: '/pratiche', label: t('procedures.nav'), roles: ['OPERATOR', 'COORDINATOR'] },
    { to: '/cruscotto', label: t('nav.dashboard'), roles: ['TENANT_ADMIN', 'COORDINATOR', 'OPERATOR'] },
    { to: '/territori', label: t('nav.crossTerritory'), roles: ['TENANT_ADMIN', 'COORDINATOR', 'TABLE_MEMBER'] },
    ...volunteerNav(t),
    ...housingNav(t),
    ...onCallNav(t),
    // Any member of the tenant, whatever the role: a token acts with its owner's roles.
    { to: '/profilo/token-api', label: t('apiTokens.nav'), roles: ROLES },
    { to: '/profilo/password', label: t('nav.password'), phoneOnly: true },
    { to: '/profilo/sessioni', label: t('nav.sessions'), phoneOnly: true },
  ];
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang-switch">
      <label htmlFor="language" className="visually-hidden">
        {t('header.language')}
      </label>
      <select
        id="language"
        className="form-select form-select-sm"
        value={i18n.language}
        onChange={(e) => void i18n.changeLanguage(e.target.value)}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function TenantSwitch() {
  const { t } = useTranslation();
  const { viewer, switchTenant } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  if (!viewer || viewer.memberships.length < 2) {
    return viewer?.activeTenant ? <bdi className="tenant-name" data-testid="active-tenant">{viewer.activeTenant.name}</bdi> : null;
  }
  return (
    <div className="tenant-switch">
      <label htmlFor="tenant" className="visually-hidden">
        {t('header.tenant')}
      </label>
      <select
        id="tenant"
        data-testid="tenant-switch"
        className="form-select form-select-sm"
        value={viewer.activeTenant?.id ?? ''}
        disabled={busy}
        onChange={async (e) => {
          setBusy(true);
          try {
            await switchTenant(e.target.value);
            navigate('/');
          } finally {
            setBusy(false);
          }
        }}
      >
        {viewer.memberships.map((m) => (
          <option key={m.tenant.id} value={m.tenant.id}>
            {isolate(m.tenant.name)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { viewer, signOut, hasRole } = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const items = viewer
    ? navItems(t).filter((i) => (i.platform ? viewer.user.platformAdmin : i.roles ? hasRole(...i.roles) : true))
    : [];
  return (
    <>
      <a className="skip-link" href="#main">
        {t('header.skip')}
      </a>
      <header className="it-header-wrapper app-header">
        <div className="it-header-slim-wrapper">
          <div className="container">
            <div className="slim-bar">
              <TenantSwitch />
              <div className="slim-actions">
                <LanguageSwitch />
                {viewer && (
                  <>
                    <NavLink
                      to="/profilo/password"
                      className="user-name"
                      title={t('header.changePassword')}
                      aria-label={`${isolate(viewer.user.displayName)}: ${t('header.changePassword')}`}
                    >
                      <bdi data-testid="user-name">{viewer.user.displayName}</bdi>
                    </NavLink>
                    <NavLink to="/profilo/sessioni" className="user-link" data-testid="sessions-link">
                      {t('header.sessions')}
                    </NavLink>
                    <button
                      type="button"
                      className="btn btn-sm btn-outline-light"
                      onClick={async () => {
                        const providerLogout = await signOut();
                        // A session of the tenant's identity provider ends there too: the
                        // provider comes back to the sign-in page.
                        if (providerLogout) window.location.assign(providerLogout);
                        else navigate('/accesso');
                      }}
                    >
                      {t('header.signOut')}
                    </button>
                  </>
                )}
              </div>
            </div>
          </div>
        </div>
        <div className="it-header-center-wrapper it-small-header">
          <div className="container">
            <div className="center-bar">
              <NavLink to="/" className="brand">
                <span className="brand-title">Sportello</span>
                <span className="brand-tagline">{t('header.tagline')}</span>
              </NavLink>
              {items.length > 0 && (
                <button
                  type="button"
                  className="btn btn-sm btn-outline-light nav-toggle"
                  aria-expanded={open}
                  aria-controls="main-nav"
                  onClick={() => setOpen(!open)}
                >
                  {t('header.menu')}
                </button>
              )}
            </div>
          </div>
        </div>
        {items.length > 0 && (
          <nav className={`app-nav${open ? ' open' : ''}`} id="main-nav" aria-label={t('header.navigation')}>
            <div className="container">
              <ul>
                {items.map((i) => (
                  <li key={i.to} className={i.phoneOnly ? 'phone-only' : undefined}>
                    <NavLink to={i.to} end={i.end} onClick={() => setOpen(false)}>
                      {i.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          </nav>
        )}
      </header>
      <main id="main" className="container py-4" tabIndex={-1}>
        {children}
      </main>
      <footer className="app-footer">
        <div className="container">{t('footer.text')}</div>
      </footer>
    </>
  );
}
