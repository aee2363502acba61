import { sha1Base64url } from '../sha1.js';
import { DomainError } from '../errors.js';

/**
 * Weak ETags (RFC 7644 §3.14) from the row's version counter. A user's `groups` are derived from
 * group memberships, which do not bump the user's version, so a representation that carries them
 * adds a digest of them: a conditional GET never answers 304 for a changed group list.
 */
export function etagOf(version: number, groups?: readonly GroupRef[]): string {
  if (!groups || groups.length === 0) return `W/"${version}"`;
  return `W/"${version}.${digestOf(groups)}"`;
}

type GroupRef = { value: string; display?: string };

/**
 * One answer asks for its tag up to three times (the header, `meta.version`, a conditional GET's
 * check), always with the same list the store read; the digest is kept per list, not recomputed.
 */
const digests = new WeakMap<readonly GroupRef[], string>();

function digestOf(groups: readonly GroupRef[]): string {
  let digest = digests.get(groups);
  if (digest === undefined) {
    const listed = groups.map((g) => `${g.value}:${g.display ?? ''}`).sort().join('\n');
    digest = sha1Base64url(listed).slice(0, 12);
    digests.set(groups, digest);
  }
  return digest;
}

function listed(header: string): string[] {
  return header.split(',').map((t) => t.trim().replace(/^W\//, ''));
}

/** The version a tag names: `"7"` or, with a groups digest, `"7.<digest>"`. */
const versionIn = (tag: string) => tag.replace(/^"|"$/g, '').split('.')[0];

/**
 * The versions an `If-Match` header accepts, for a store that checks them in its write statement;
 * undefined when any version will do (no header, or `*`). A tag that names no version accepts none.
 */
export function versionsAccepted(header: string | undefined): number[] | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  return listed(header)
    .map(versionIn)
    .filter((v): v is string => v !== undefined && /^\d{1,9}$/.test(v))
    .map(Number);
}

/**
 * `If-Match`: `*` or one of the listed tags must name the current version, else 412. Only the
 * version counts: groups are read-only on a user, so a write never conflicts with them.
 */
export function checkIfMatch(header: string | undefined, version: number): void {
  if (header === undefined || header.trim() === '*') return;
  if (!listed(header).some((tag) => versionIn(tag) === String(version))) {
    throw new DomainError('precondition_failed', `The resource has changed: its current version is ${etagOf(version)}`);
  }
}

/** `If-None-Match` on a read: true when the client's copy is current (the same tag), so the answer is 304. */
export function isNotModified(header: string | undefined, current: string): boolean {
  if (header === undefined) return false;
  return header.trim() === '*' || listed(header).includes(current.replace(/^W\//, ''));
}
