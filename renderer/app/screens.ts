import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { ScreenId } from './screen-ids';

/** The app's sections, in navigation order. Each feature folder owns its screen; Settings gathers a section from each. */
export interface ScreenEntry {
  id: ScreenId;
  label: string;
  /** Alt+<key> jumps here. */
  shortcut: string;
  component: LazyExoticComponent<ComponentType>;
}

export const screens: ScreenEntry[] = [
  {
    id: 'devices',
    label: 'Devices',
    shortcut: '1',
    component: lazy(() => import('../features/devices/DevicesScreen').then((m) => ({ default: m.DevicesScreen }))),
  },
  {
    id: 'certificates',
    label: 'Certificates',
    shortcut: '2',
    component: lazy(() => import('../features/certificates/CertificatesScreen').then((m) => ({ default: m.CertificatesScreen }))),
  },
  {
    id: 'provisioning',
    label: 'Provisioning',
    shortcut: '3',
    component: lazy(() => import('../features/provisioning/ProvisioningScreen').then((m) => ({ default: m.ProvisioningScreen }))),
  },
  {
    id: 'history',
    label: 'History',
    shortcut: '4',
    component: lazy(() => import('../features/history/HistoryScreen').then((m) => ({ default: m.HistoryScreen }))),
  },
  {
    id: 'identities',
    label: 'Identities',
    shortcut: '5',
    component: lazy(() => import('../features/identities/IdentitiesScreen').then((m) => ({ default: m.IdentitiesScreen }))),
  },
  { id: 'settings', label: 'Settings', shortcut: '6', component: lazy(() => import('./SettingsScreen').then((m) => ({ default: m.SettingsScreen }))) },
];
