// The training area of the volunteers service: its routes and menu entries. Staff run courses
// and workshops (/formazione), a volunteer follows their own (/i-miei-corsi), and anyone checks a
// certificate's code without an account (/verifica).
import type { ReactElement } from 'react';
import { Route } from 'react-router-dom';
import type { NavItem } from '../../../components/Layout';
import { Guard } from '../../../components/Guard';
import type { Role } from '../../../session';
import Courses from './Courses';
import CoursePage from './CoursePage';
import Attendance from './Attendance';
import MyCourses from './MyCourses';
import Verify from './Verify';

const STAFF: Role[] = ['TENANT_ADMIN', 'COORDINATOR', 'OPERATOR'];

export const routes: ReactElement[] = [
  <Route key="training" path="/formazione" element={<Guard roles={STAFF}><Courses /></Guard>} />,
  <Route key="training-course" path="/formazione/:id" element={<Guard roles={STAFF}><CoursePage /></Guard>} />,
  <Route
    key="training-attendance"
    path="/formazione/:id/incontri/:sessionId/presenze"
    element={<Guard roles={STAFF}><Attendance /></Guard>}
  />,
  <Route key="training-mine" path="/i-miei-corsi" element={<Guard roles={['VOLUNTEER']}><MyCourses /></Guard>} />,
  <Route key="training-verify" path="/verifica" element={<Verify />} />,
  <Route key="training-verify-code" path="/verifica/:code" element={<Verify />} />,
];

export function nav(t: (k: string) => string): NavItem[] {
  return [
    { to: '/formazione', label: t('volunteers.training.nav.staff'), roles: STAFF },
    { to: '/i-miei-corsi', label: t('volunteers.training.nav.mine'), roles: ['VOLUNTEER'] },
  ];
}
