/** A DNS name as compared and indexed: lower case, without the root's trailing dot. (No regex: it runs per record.) */
export function normalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
