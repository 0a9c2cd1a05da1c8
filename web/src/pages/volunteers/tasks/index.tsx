// The tasks area of the volunteers service: requests for help and their matching, hours to
// approve and delegations (staff); a volunteer's own tasks and hours (their home).
import type { ReactElement } from 'react';
import { Route } from 'react-router-dom';
import type { NavItem } from '../../../components/Layout';
import { Guard } from '../../../components/Guard';
import type { Role } from '../../../session';
import TaskList from './TaskList';
import TaskPage from './TaskPage';
import Hours from './Hours';
import Delegations from './Delegations';
import MyTasks from './MyTasks';

const STAFF: Role[] = ['TENANT_ADMIN', 'COORDINATOR', 'OPERATOR'];

export const routes: ReactElement[] = [
  <Route key="tasks" path="/richieste-di-aiuto" element={<Guard roles={STAFF}><TaskList /></Guard>} />,
  <Route key="task" path="/richieste-di-aiuto/:id" element={<Guard roles={STAFF}><TaskPage /></Guard>} />,
  <Route key="hours" path="/ore" element={<Guard roles={STAFF}><Hours /></Guard>} />,
  <Route key="delegations" path="/deleghe" element={<Guard roles={STAFF}><Delegations /></Guard>} />,
  <Route key="mine" path="/le-mie-attivita" element={<Guard roles={['VOLUNTEER']}><MyTasks /></Guard>} />,
];

export function nav(t: (k: string) => string): NavItem[] {
  return [
    { to: '/richieste-di-aiuto', label: t('volunteers.tasks.nav.tasks'), roles: STAFF },
    { to: '/ore', label: t('volunteers.tasks.nav.hours'), roles: STAFF },
    { to: '/deleghe', label: t('volunteers.tasks.nav.delegations'), roles: STAFF },
    { to: '/le-mie-attivita', label: t('volunteers.tasks.nav.mine'), roles: ['VOLUNTEER'] },
  ];
}
