import { protocol } from 'electron';
import { rendererCsp } from '../renderer-page/csp';
import { readStatic } from '../renderer-page/static-files';

/** Must run before `app.whenReady()`: makes app:// a standard, secure origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } }]);
}

/** Serves the packaged renderer files from app://renderer/, with the strict CSP on every response. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'renderer' ? await readStatic(rendererDir, url.pathname) : null;
    if (!file) return new Response('not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { 'Content-Type': file.type, 'Content-Security-Policy': rendererCsp() },
    });
  });
}
