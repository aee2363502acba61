/**
 * The canonical form of a resource as the store keeps it (`doc`):
 * - `schemas`: the core schema URN first, then each extension URN that holds data;
 * - core attributes at the top level under their canonical (schema) names, typed values
 *   (booleans are booleans, "True" has become true), no nulls and no empty objects/arrays;
 * - known extension attributes under the extension URN key with canonical names; unknown extensions
 *   (e.g. Entra custom attributes) under their URN key exactly as the client sent them;
 * - never `id`, `meta`, `password` (write-only, kept apart as a hash), the User's derived `groups`,
 *   or the Group's `members` (membership is a table of its own).
 * `externalId` is part of the document.
 */
export type ResourceDoc = Record<string, unknown> & { schemas: string[] };

/** A member reference as clients send it in Group `members`. */
export interface MemberRef {
  value: string;
  display?: string;
  type?: 'User' | 'Group';
}

/** A parsed POST/PUT body: the document plus the parts stored elsewhere. */
export interface ParsedResource {
  doc: ResourceDoc;
  /** Cleartext password from the request, to be hashed by the store; never stored in `doc`. */
  password?: string;
  /** Group members from the body, when the body had a `members` attribute (even empty). */
  members?: MemberRef[];
}

/** What a Group PATCH does to membership, derived from its operations in order. */
export type MemberChange =
  | { kind: 'add'; members: MemberRef[] }
  | { kind: 'remove'; ids: string[] }
  | { kind: 'removeAll' }
  | { kind: 'replace'; members: MemberRef[] };
