import { DomainError } from '../../../scim/errors.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import { deepEqual } from '../../../scim/resource/json.js';
import type { ResourceTypeDef } from '../../../scim/schemas/types.js';
import type { ChangeSource } from '../../events/append.js';
import { hrExtensionOf, managingConnection } from '../documents/hr-extension.js';
import { connectionOf, ownerLabel, type Authority, type Owner, type Writer } from './rules.js';
import { absent, readPath, sameValue, writePath } from './values.js';

/** A write a source made to a field it does not own, kept out of the document under the `ignore` policy. */
export interface Conflict {
  path: string;
  owner: Owner;
  /** What the source sent; null when it cleared the field. */
  attempted: unknown;
  /** What stays stored: the owner's value. */
  stored: unknown;
}

export interface WriteInput {
  source: ChangeSource;
  authority: Authority;
  /** The tenant's User resource type (its own extension included), for case-exactness. */
  userType: ResourceTypeDef;
  before: ResourceDoc;
  after: ResourceDoc;
  /**
   * A whole-resource write (PUT, an HR sync): a non-owned field it leaves out is not asserted
   * (RFC 7644 §3.5.1), rather than an attempt to clear it.
   */
  whole?: boolean;
}

export interface WriteDecision {
  /** The document to store: `after` with every non-owned field the source changed put back. */
  doc: ResourceDoc;
  conflicts: Conflict[];
  /** Non-owned paths on which the source now agrees with the stored value, or asserts nothing: its old conflicts there are over. */
  settled: string[];
}

/** The writer kind whose policy applies to a source; `system` writes (invitations, lifecycle) are never held. */
export function writerOf(source: ChangeSource): Writer | null {
  switch (source.kind) {
    case 'token':
      return 'scim';
    case 'admin':
      return 'manual';
    case 'connection':
      return 'hr';
    case 'system':
      return null;
    default: {
      const unreachable: never = source;
      return unreachable;
    }
  }
}

/**
 * Whether `owner` holds the field against this write: `open` (nobody does for this user now),
 * `source` (the writer is the owner) or `other`. HR owners hold a field only while their connection
 * manages the user; a connection's own write (its link included) is the owner's for `hr`.
 */
export function holderFor(owner: Owner, source: ChangeSource, before: ResourceDoc): 'open' | 'source' | 'other' {
  if (source.kind === 'system') return 'source';
  const connection = connectionOf(owner);
  if (owner === 'hr' || connection) {
    if (source.kind === 'connection' && (owner === 'hr' || source.id === connection)) return 'source';
    const managing = managingConnection(before);
    if (managing === undefined) return 'open';
    return owner === 'hr' || managing === connection ? 'other' : 'open';
  }
  if (owner === 'scim') return source.kind === 'token' ? 'source' : 'other';
  return source.kind === 'admin' ? 'source' : 'other';
}

/**
 * Holds one write to the tenant's rules. Fields the source owns, or that nobody owns for this user,
 * take the new value; a non-owned field the write repeats in another form (case, email order or flags)
 * keeps its stored form; a non-owned field it changes is put back and, under `ignore`, reported as a
 * conflict, or, under `reject`, fails the whole write with 400 `mutability` naming fields and owners.
 */
export function decideWrite(input: WriteInput): WriteDecision {
  const { source, authority, userType, before, after } = input;
  const writer = writerOf(source);
  const whole = input.whole === true || source.kind === 'connection';
  let doc = after;
  const conflicts: Conflict[] = [];
  const settled: string[] = [];
  const refused: { path: string; owner: Owner }[] = [];
  for (const { path, owner } of authority.rules) {
    // Most rules are the writer's own or nobody's for this user: decide that before reading values.
    const holder = holderFor(owner, source, before);
    if (holder === 'source' || holder === 'open') continue;
    const was = readPath(before, path);
    const now = readPath(after, path);
    if (sameValue(userType, path, was, now)) {
      if (!deepEqual(was, now)) doc = writePath(doc, path, was);
      settled.push(path);
      continue;
    }
    doc = writePath(doc, path, was);
    if (whole && absent(now)) {
      settled.push(path);
      continue;
    }
    if (writer === null || authority.policies[writer] === 'ignore') conflicts.push({ path, owner, attempted: now ?? null, stored: was ?? null });
    else refused.push({ path, owner });
  }
  if (refused.length > 0) throw refusal(refused, before);
  return { doc, conflicts, settled };
}

function refusal(refused: { path: string; owner: Owner }[], before: ResourceDoc): DomainError {
  const provider = hrExtensionOf(before)?.connection?.display;
  const managing = managingConnection(before);
  const labelOf = (owner: Owner) => (owner === 'hr' && managing ? ownerLabel(`connection:${managing}`, provider) : ownerLabel(owner, provider));
  const byOwner = new Map<string, string[]>();
  for (const r of refused) byOwner.set(labelOf(r.owner), [...(byOwner.get(labelOf(r.owner)) ?? []), r.path]);
  const parts = [...byOwner].map(([label, paths]) => `${paths.join(', ')} ${paths.length === 1 ? 'is' : 'are'} managed by ${label}`);
  const hrOnly = refused.every((r) => r.owner === 'hr' || connectionOf(r.owner));
  return new DomainError('mutability', `${parts.join('; ')}${hrOnly ? `; change ${refused.length === 1 ? 'it' : 'them'} in the HR system` : ''}`);
}
