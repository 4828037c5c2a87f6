/** A small multipart/form-data reader for the emulator (files up to a few MB; test infrastructure only). */

export type MultipartPart = { name: string; filename?: string; contentType?: string; data: Buffer };

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] | undefined {
  const delim = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delim);
  if (pos < 0) return undefined;
  for (;;) {
    pos += delim.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) return undefined;
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) return undefined;
    const data = body.subarray(headerEnd + 4, next);
    const part: MultipartPart = { name: '', data };
    for (const h of headers) {
      const [k, ...v] = h.split(':');
      const val = v.join(':').trim();
      if (/^content-disposition$/i.test(k!.trim())) {
        part.name = /\bname="([^"]*)"/i.exec(val)?.[1] ?? '';
        const fn = /\bfilename="([^"]*)"/i.exec(val)?.[1];
        if (fn !== undefined) part.filename = fn;
      } else if (/^content-type$/i.test(k!.trim())) part.contentType = val;
    }
    parts.push(part);
    pos = next + 2;
  }
}
