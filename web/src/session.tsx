// The signed-in user and the tenant the session works in, shared by every screen.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onSessionLost, request, setCsrfToken } from './api/client';
import { LoginMutation, LogoutMutation, SwitchTenantMutation, ViewerQuery } from './api/operations';
import type { ViewerQuery as ViewerResult } from './gql/graphql';
import { setTenantTimeZone } from './time';

export type Viewer = NonNullable<ViewerResult['viewer']>;
export type Role = Viewer['roles'][number];

interface Session {
  /** undefined while loading, null when signed out. */
  viewer: Viewer | null | undefined;
  refresh: () => Promise<Viewer | null>;
  signIn: (email: string, password: string) => Promise<Viewer | null>;
  signOut: () => Promise<void>;
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

  const signOut = useCallback(async () => {
    try {
      await request(LogoutMutation);
    } finally {
      setCsrfToken(null);
      setViewer(null);
    }
  }, []);

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
      switchTenant,
      hasRole: (...roles) => !!viewer && viewer.roles.some((r) => roles.includes(r)),
    }),
    [viewer, refresh, signIn, signOut, switchTenant],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
