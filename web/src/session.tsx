// The signed-in user and the tenant the session works in, shared by every screen.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onSessionLost, request, setCsrfToken } from './api/client';
import { LoginMutation, SignOutEverywhereMutation, SignOutMutation, SwitchTenantMutation, ViewerQuery } from './api/operations';
import type { ViewerQuery as ViewerResult } from './gql/graphql';
import { setTenantTimeZone } from './time';

export type Viewer = NonNullable<ViewerResult['viewer']>;
export type Role = Viewer['roles'][number];

interface Session {
  /** undefined while loading, null when signed out. */
  viewer: Viewer | null | undefined;
  refresh: () => Promise<Viewer | null>;
  signIn: (email: string, password: string) => Promise<Viewer | null>;
  /**
   * Ends this session. Returns the OpenID provider's end-session address when the session was
   * opened through the tenant's provider (the browser must go there to sign out at the provider
   * too), otherwise null. The console forgets the viewer whatever the server answered.
   */
  signOut: () => Promise<string | null>;
  /** Ends every session of the viewer, this one included; throws (and keeps the viewer) when refused. */
  signOutEverywhere: () => Promise<void>;
  /** Forgets the viewer after the server ended this session some other way. */
  signedOut: () => void;
  switchTenant: (tenantId: string) => Promise<void>;
  hasRole: (...roles: Role[]) => boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [viewer, setViewer] = useState<Viewer | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const data = await request(ViewerQuery);
      setCsrfToken(data.viewer?.csrfToken ?? null);
      setTenantTimeZone(data.viewer?.activeTenant?.timeZone);
      setViewer(data.viewer ?? null);
      return data.viewer ?? null;
    } catch {
      setViewer(null);
      return null;
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onSessionLost(() => setViewer(null));
  }, [refresh]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const data = await request(LoginMutation, { input: { email, password } });
      setCsrfToken(data.login.csrfToken);
      return refresh();
    },
    [refresh],
  );

  const signedOut = useCallback(() => {
    setCsrfToken(null);
    setViewer(null);
  }, []);

  const signOut = useCallback(async () => {
    try {
      return (await request(SignOutMutation)).signOut.providerLogoutUrl ?? null;
    } catch {
      // Signed out already, or the server is unreachable: the console forgets the viewer anyway.
      return null;
    } finally {
      signedOut();
    }
  }, [signedOut]);

  const signOutEverywhere = useCallback(async () => {
    await request(SignOutEverywhereMutation);
    signedOut();
  }, [signedOut]);

  const switchTenant = useCallback(
    async (tenantId: string) => {
      const data = await request(SwitchTenantMutation, { tenantId });
      setCsrfToken(data.switchTenant.csrfToken);
      await refresh();
    },
    [refresh],
  );

  const value = useMemo<Session>(
    () => ({
      viewer,
      refresh,
      signIn,
      signOut,
      signOutEverywhere,
      signedOut,
      switchTenant,
      hasRole: (...roles) => !!viewer && viewer.roles.some((r) => roles.includes(r)),
    }),
    [viewer, refresh, signIn, signOut, signOutEverywhere, signedOut, switchTenant],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
