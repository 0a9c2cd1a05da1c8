// Route guard: a signed-out visitor goes to sign-in, a viewer without the role to their home.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { Loading } from './States';
import { useSession, type Role } from '../session';

/** Sends a signed-out visitor to sign-in, and a viewer without the role to their home. */
export function Guard({ roles, platform, children }: { roles?: Role[]; platform?: boolean; children: ReactNode }) {
  const { viewer, hasRole } = useSession();
  const location = useLocation();
  if (viewer === undefined) return <Loading />;
  if (viewer === null) return <Navigate to="/accesso" replace state={{ from: location.pathname }} />;
  if (platform && !viewer.user.platformAdmin) return <Navigate to="/" replace />;
  if (roles && !hasRole(...roles)) return <Navigate to="/" replace />;
  return <>{children}</>;
}
