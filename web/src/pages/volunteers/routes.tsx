// The volunteers service's screens. Each area lists its own routes and menu entries: the register
// of active citizens, tasks and hours, training, collaboration pacts.
import type { ReactElement } from 'react';
import type { NavItem } from '../../components/Layout';
import * as register from './register';
import * as tasks from './tasks';
import * as training from './training';
import * as pacts from './pacts';

const AREAS = [register, tasks, training, pacts];

/** `<Route>` elements, placed by the application inside its `<Routes>`. */
export const volunteerRoutes: ReactElement[] = AREAS.flatMap((a) => a.routes);

/** Menu entries, in the order of the areas. */
export function volunteerNav(t: (k: string) => string): NavItem[] {
  return AREAS.flatMap((a) => a.nav(t));
}
