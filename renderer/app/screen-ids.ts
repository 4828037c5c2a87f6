/** The app's sections by id, in navigation order: what the navigation store needs without loading any screen. */
export const SCREEN_IDS = ['devices', 'certificates', 'provisioning', 'history', 'identities', 'settings'] as const;
export type ScreenId = (typeof SCREEN_IDS)[number];

export const isScreenId = (id: string | undefined): id is ScreenId => (SCREEN_IDS as readonly (string | undefined)[]).includes(id);
