// The housing service's screens ("Abitare"), for staff: units and their occupancy, the waiting
// list and its priority rule, placements with the path to autonomy, follow-ups after an exit.
import type { ReactElement } from 'react';
import { Route } from 'react-router-dom';
import type { NavItem } from '../../components/Layout';
import { Guard } from '../../components/Guard';
import type { Role } from '../../session';
import HousingHome from './HousingHome';
import Units from './Units';
import { EditUnit, NewUnit } from './UnitForm';
import UnitPage from './UnitPage';
import WaitingList from './WaitingList';
import { EditApplication, NewApplication } from './ApplicationForm';
import ApplicationPage from './ApplicationPage';
import PriorityRule from './PriorityRule';
import PlacementForm from './PlacementForm';
import PlacementPage from './PlacementPage';

const STAFF: Role[] = ['TENANT_ADMIN', 'COORDINATOR', 'OPERATOR'];
const MANAGERS: Role[] = ['TENANT_ADMIN', 'COORDINATOR'];

const staff = (el: ReactElement, roles = STAFF) => <Guard roles={roles}>{el}</Guard>;

export const housingRoutes: ReactElement[] = [
  <Route key="housing" path="/abitare" element={staff(<HousingHome />)} />,
  <Route key="units" path="/abitare/alloggi" element={staff(<Units />)} />,
  <Route key="unit-new" path="/abitare/alloggi/nuovo" element={staff(<NewUnit />, MANAGERS)} />,
  <Route key="unit" path="/abitare/alloggi/:id" element={staff(<UnitPage />)} />,
  <Route key="unit-edit" path="/abitare/alloggi/:id/modifica" element={staff(<EditUnit />, MANAGERS)} />,
  <Route key="waiting" path="/abitare/lista-di-attesa" element={staff(<WaitingList />)} />,
  <Route key="application-new" path="/abitare/domande/nuova" element={staff(<NewApplication />)} />,
  <Route key="application" path="/abitare/domande/:id" element={staff(<ApplicationPage />)} />,
  <Route key="application-edit" path="/abitare/domande/:id/modifica" element={staff(<EditApplication />)} />,
  <Route key="rule" path="/abitare/regola-di-priorita" element={staff(<PriorityRule />)} />,
  <Route key="placement-new" path="/abitare/inserimenti/nuovo" element={staff(<PlacementForm />)} />,
  <Route key="placement" path="/abitare/inserimenti/:id" element={staff(<PlacementPage />)} />,
];

export function housingNav(t: (k: string) => string): NavItem[] {
  return [{ to: '/abitare', label: t('housing.nav'), roles: STAFF }];
}
