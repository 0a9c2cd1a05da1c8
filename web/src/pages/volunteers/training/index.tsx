// The training area of the volunteers service: its routes and menu entries.
import type { ReactElement } from 'react';
import type { NavItem } from '../../../components/Layout';

export const routes: ReactElement[] = [];

export function nav(_t: (k: string) => string): NavItem[] {
  return [];
}
