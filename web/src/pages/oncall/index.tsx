// The on-call services: mediation on request (requesters, mediators) and legal advice
// (operators, legal advisors), with the administrators' page. Routes and menu entries.
import type { ReactElement } from 'react';
import { Route } from 'react-router-dom';
import type { NavItem } from '../../components/Layout';
import { Guard } from '../../components/Guard';
import type { Role } from '../../session';
import Mediation from './Mediation';
import MediatorQueue from './MediatorQueue';
import MediatorProfile from './MediatorProfile';
import Legal from './Legal';
import LegalQueue from './LegalQueue';
import OnCallAdmin from './OnCallAdmin';

const REQUESTERS: Role[] = ['EXTERNAL_REQUESTER', 'OPERATOR', 'COORDINATOR'];
const ADMINS: Role[] = ['TENANT_ADMIN', 'COORDINATOR'];

export const onCallRoutes: ReactElement[] = [
  <Route key="mediation" path="/mediazione" element={<Guard roles={REQUESTERS}><Mediation /></Guard>} />,
  <Route key="queue" path="/le-mie-richieste" element={<Guard roles={['MEDIATOR', 'VOLUNTEER']}><MediatorQueue /></Guard>} />,
  <Route key="profile" path="/profilo-mediatore" element={<Guard roles={['MEDIATOR']}><MediatorProfile /></Guard>} />,
  <Route key="legal" path="/consulenza-legale" element={<Guard roles={['OPERATOR', 'COORDINATOR']}><Legal /></Guard>} />,
  <Route key="advice" path="/consulenze" element={<Guard roles={['LEGAL_ADVISOR']}><LegalQueue /></Guard>} />,
  <Route key="admin" path="/configurazione/reperibilita" element={<Guard roles={ADMINS}><OnCallAdmin /></Guard>} />,
];

export function onCallNav(t: (k: string) => string): NavItem[] {
  return [
    { to: '/mediazione', label: t('oncall.nav.mediation'), roles: REQUESTERS },
    { to: '/le-mie-richieste', label: t('oncall.nav.queue'), roles: ['MEDIATOR', 'VOLUNTEER'] },
    { to: '/profilo-mediatore', label: t('oncall.nav.profile'), roles: ['MEDIATOR'] },
    { to: '/consulenza-legale', label: t('oncall.nav.legal'), roles: ['OPERATOR', 'COORDINATOR'] },
    { to: '/consulenze', label: t('oncall.nav.advice'), roles: ['LEGAL_ADVISOR'] },
    { to: '/configurazione/reperibilita', label: t('oncall.nav.admin'), roles: ADMINS },
  ];
}

/** The home of a viewer whose only work is on call. */
export function onCallHome(hasRole: (...roles: Role[]) => boolean): string | null {
  if (hasRole('MEDIATOR')) return '/le-mie-richieste';
  if (hasRole('LEGAL_ADVISOR')) return '/consulenze';
  if (hasRole('EXTERNAL_REQUESTER')) return '/mediazione';
  return null;
}
