// The pacts area of the volunteers service: collaboration pacts on common goods (staff), and the
// public list of the pacts in force per municipality (no account).
import type { ReactElement } from 'react';
import { Route } from 'react-router-dom';
import type { NavItem } from '../../../components/Layout';
import { Guard } from '../../../components/Guard';
import type { Role } from '../../../session';
import PactList from './PactList';
import PactForm from './PactForm';
import PactPage from './PactPage';
import PublicPacts from './PublicPacts';

const STAFF: Role[] = ['TENANT_ADMIN', 'COORDINATOR', 'OPERATOR'];

export const routes: ReactElement[] = [
  <Route key="pacts" path="/patti" element={<Guard roles={STAFF}><PactList /></Guard>} />,
  <Route key="pact-new" path="/patti/nuovo" element={<Guard roles={STAFF}><PactForm /></Guard>} />,
  <Route key="pact" path="/patti/:id" element={<Guard roles={STAFF}><PactPage /></Guard>} />,
  <Route key="public-pacts" path="/patti-attivi/:tenantId" element={<PublicPacts />} />,
];

export function nav(t: (k: string) => string): NavItem[] {
  return [{ to: '/patti', label: t('volunteers.pacts.nav.pacts'), roles: STAFF }];
}
