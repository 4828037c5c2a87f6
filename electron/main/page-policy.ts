import type { Session } from 'electron';
import { homepage } from '../../package.json';
import { isOwnRenderer } from './ipc-adapter';

/**
 * The web permissions our page uses, and nothing else: the copy buttons (`navigator.clipboard.writeText`).
 * Desktop notifications come from the main process and need no page permission.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionGranted(permission: string, requestingUrl: string | undefined, isMainFrame: boolean): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isMainFrame && isOwnRenderer(requestingUrl);
}

/** Chromium first checks a permission, then requests it: both answers come from the same rule. */
export function applyPermissionPolicy(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionGranted(permission, details.requestingUrl, details.isMainFrame)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionGranted(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame),
  );
}

/** Pages the app may open in the user's browser: the project's own pages (documentation, issues). */
const EXTERNAL_PAGES = [homepage];

export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return EXTERNAL_PAGES.some((page) => parsed.href === page || parsed.href.startsWith(`${page}/`));
}
