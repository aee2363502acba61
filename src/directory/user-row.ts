import type { ResourceDoc } from '../../scim/resource/document.js';

/** The indexed columns of a user row, derived from its document on every write so they never drift. */
export interface UserColumns {
  userName: string;
  externalId: string | null;
  displayName: string | null;
  active: boolean;
  emails: string[];
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function userColumns(doc: ResourceDoc): UserColumns {
  const emails = Array.isArray(doc.emails)
    ? doc.emails.flatMap((e) => {
        const value = text((e as Record<string, unknown>)?.value);
        return value ? [value.toLowerCase()] : [];
      })
    : [];
  return {
    userName: text(doc.userName) ?? '',
    externalId: text(doc.externalId),
    displayName: text(doc.displayName),
    // RFC 7643 leaves a missing `active` undefined; clients treat an absent flag as active.
    active: doc.active !== false,
    emails: [...new Set(emails)],
  };
}

export interface GroupColumns {
  displayName: string;
  externalId: string | null;
}

export function groupColumns(doc: ResourceDoc): GroupColumns {
  return { displayName: text(doc.displayName) ?? '', externalId: text(doc.externalId) };
}
