// The register area of the volunteers service: its routes and menu entries. Staff keep the
// register and decide on applications; anyone applies on the public form; a volunteer keeps
// their own record.
import type { ReactElement } from 'react';
import { Route } from 'react-router-dom';
import type { NavItem } from '../../../components/Layout';
import { Guard } from '../../../components/Guard';
import RegisterList from './RegisterList';
import Applications from './Applications';
import Profile, { NewVolunteer } from './Profile';
import Skills from './Skills';
import PublicForm from './PublicForm';
import MyProfile from './MyProfile';

const STAFF = ['TENANT_ADMIN', 'COORDINATOR', 'OPERATOR'] as const;

export const routes: ReactElement[] = [
  <Route key="register-list" path="/volontari" element={<Guard roles={[...STAFF]}><RegisterList /></Guard>} />,
  <Route key="register-queue" path="/volontari/candidature" element={<Guard roles={[...STAFF]}><Applications /></Guard>} />,
  <Route key="register-new" path="/volontari/nuovo" element={<Guard roles={[...STAFF]}><NewVolunteer /></Guard>} />,
  <Route key="register-skills" path="/volontari/competenze" element={<Guard roles={['TENANT_ADMIN', 'COORDINATOR']}><Skills /></Guard>} />,
  <Route key="register-profile" path="/volontari/:id" element={<Guard roles={[...STAFF]}><Profile /></Guard>} />,
  <Route key="register-apply" path="/candidatura/:tenantId" element={<PublicForm />} />,
  <Route key="register-mine" path="/il-mio-profilo" element={<Guard roles={['VOLUNTEER']}><MyProfile /></Guard>} />,
];

export function nav(t: (k: string) => string): NavItem[] {
  return [
    { to: '/volontari', label: t('volunteers.register.nav.register'), roles: [...STAFF], end: true },
    { to: '/volontari/candidature', label: t('volunteers.register.nav.queue'), roles: [...STAFF] },
    { to: '/il-mio-profilo', label: t('volunteers.register.nav.mine'), roles: ['VOLUNTEER'] },
  ];
}
