/** A parsed JSON value that is an object: not null and not an array. The first check on any record read from a file. */
export const isJsonObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
