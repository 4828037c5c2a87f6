/**
 * The renderer's Content-Security-Policy, shared by the Electron protocol handler and the web host:
 * only our own scripts and styles, no eval, no inline script, no plugins, no framing, no remote fetches.
 * `connect` adds the one WebSocket origin the web host serves the contract on.
 */
export function rendererCsp(connect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
