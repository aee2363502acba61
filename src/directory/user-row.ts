import type { ResourceDoc } from '../../scim/resource/document.js';
import { isUuid } from '../db/ids.js';
import { hrExtensionOf } from './documents/hr-extension.js';
import type { Lifecycle, Management } from './documents/hr-extension.js';

/** The typed columns of a user row, derived from its document on every write so they never drift. */
export interface UserColumns {
  userName: string;
  externalId: string | null;
  displayName: string | null;
  active: boolean;
  emails: string[];
  /**
   * From the HR extension; a user without one is manual and tied to no connection, and its lifecycle
   * is what its `active` flag says (active or archived), so the column is the lifecycle admins see
   * and filter the People list by.
   */
  lifecycle: Lifecycle;
  management: Management;
  connectionId: string | null;
  remoteId: string | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const LIFECYCLES: readonly string[] = ['candidate', 'invited', 'active', 'archived'] satisfies Lifecycle[];
const MANAGEMENTS: readonly string[] = ['managed', 'released', 'manual'] satisfies Management[];

function hrColumns(doc: ResourceDoc, active: boolean): Pick<UserColumns, 'lifecycle' | 'management' | 'connectionId' | 'remoteId'> {
  const hr = hrExtensionOf(doc);
  const connection = text(hr?.connection?.value);
  const fallback: Lifecycle = hr || active ? 'active' : 'archived';
  return {
    lifecycle: LIFECYCLES.includes(hr?.lifecycle as string) ? hr!.lifecycle : fallback,
    management: MANAGEMENTS.includes(hr?.management as string) ? hr!.management : 'manual',
    // connection_id is a uuid column: anything else would fail the write rather than name a connection.
    connectionId: connection && isUuid(connection) ? connection : null,
    remoteId: text(hr?.remoteId),
  };
}

export function userColumns(doc: ResourceDoc): UserColumns {
  const emails = Array.isArray(doc.emails)
    ? doc.emails.flatMap((e) => {
        const value = text((e as Record<string, unknown>)?.value);
        return value ? [value.toLowerCase()] : [];
      })
    : [];
  // RFC 7643 leaves a missing `active` undefined; clients treat an absent flag as active.
  const active = doc.active !== false;
  return {
    userName: text(doc.userName) ?? '',
    externalId: text(doc.externalId),
    displayName: text(doc.displayName),
    active,
    emails: [...new Set(emails)],
    ...hrColumns(doc, active),
  };
}

/**
 * The typed columns as a row of `jsonb_to_recordset(…) as x(user_name text, external_id text, …)`:
 * the shape every statement that writes many users at once reads its columns from.
 */
export function userRecordColumns(c: UserColumns) {
  return {
    user_name: c.userName,
    external_id: c.externalId,
    display_name: c.displayName,
    active: c.active,
    emails: c.emails,
    lifecycle: c.lifecycle,
    management: c.management,
    connection_id: c.connectionId,
    remote_id: c.remoteId,
  };
}

export interface GroupColumns {
  displayName: string;
  externalId: string | null;
}

export function groupColumns(doc: ResourceDoc): GroupColumns {
  return { displayName: text(doc.displayName) ?? '', externalId: text(doc.externalId) };
}
