/**
 * Value cleaning shared by every connector: HR systems spell "nothing" as "", null, "0000-00-00"
 * or whitespace, and the planner must only ever see null.
 */

/** Trimmed, NFC-normalised (so "José" typed two ways compares equal), empty → null. */
export function cleanText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).normalize('NFC').trim();
  return text === '' ? null : text;
}

/**
 * An ISO calendar date (YYYY-MM-DD) or null. Accepts a datetime and keeps the date as
 * written: "2021-03-01T00:00:00+01:00" is the 1st of March where HR typed it, not the 28th
 * of February in UTC. BambooHR's "0000-00-00" and impossible dates become null.
 */
export function cleanDate(value: unknown): string | null {
  const text = cleanText(value);
  if (text === null) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text);
  if (!match) return null;
  const [, y, m, d] = match as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (Number(y) < 1 || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return null;
  return `${y}-${m}-${d}`;
}

/** Today's date in UTC as YYYY-MM-DD; date comparisons below are plain string comparisons. */
export function isoToday(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function displayNameOf(parts: {
  firstName: string | null;
  lastName: string | null;
  preferredName: string | null;
  workEmail: string | null;
  remoteId: string;
}): string {
  const given = parts.preferredName ?? parts.firstName;
  const name = [given, parts.lastName].filter((p): p is string => p !== null).join(' ');
  return name || parts.workEmail || parts.remoteId;
}
