/**
 * Saves text as a file through a Blob and a temporary `<a download>`: the browser's download in the web
 * host, Electron's save handling in the app; no file-system access needed on either side.
 */
export function downloadText(fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke after the click has been handled, or some browsers cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const mimeFor = (format: 'csv' | 'json') => (format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json');
