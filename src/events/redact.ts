import { HR_URN } from '../sync/hr-doc.js';

/** Stored inside a user's HR extension but never part of an event: sealed or derived from a secret. */
const SECRET_HR_FIELDS = ['bankAccount', 'bankAccountDigest'] as const;

/**
 * A user document as events carry it: without the sealed bank account and its digest. Events are
 * read by tokens and sent to third-party URLs, so the HR bank account never goes into them.
 */
export function redactForEvent<T extends Record<string, unknown>>(doc: T): T {
  const hr = doc[HR_URN];
  if (!hr || typeof hr !== 'object' || Array.isArray(hr)) return doc;
  if (!SECRET_HR_FIELDS.some((f) => f in (hr as object))) return doc;
  const kept = { ...(hr as Record<string, unknown>) };
  for (const f of SECRET_HR_FIELDS) delete kept[f];
  return { ...doc, [HR_URN]: kept };
}

/** The same in SQL, for statements that build event payloads from a `doc` column. */
export const redactSql = (doc: string) => `(${doc} #- '{${HR_URN},bankAccount}' #- '{${HR_URN},bankAccountDigest}')`;
