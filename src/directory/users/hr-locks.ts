import { DomainError } from '../../../scim/errors.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import { deepEqual, isObject } from '../../../scim/resource/json.js';
import { leafOf, resolvePath } from '../../../scim/schemas/resolve.js';
import { userResourceType } from '../../../scim/schemas/resource-types.js';
import type { ChangeSource } from '../../events/append.js';
import { hrExtensionOf, LOCKED_PATHS, managingConnection } from '../../sync/hr-doc.js';

/**
 * Field locks (product.md, "People"): while an HR connection manages a user, the fields it owns change
 * only through that connection. Everyone else's write may repeat them (Okta PUTs whole users, Entra
 * PATCHes every mapped attribute) but not change them.
 */

type Obj = Record<string, unknown>;

/** `urn:…:User:manager.value` → the extension key holding it and the keys below; core paths have no holder. */
function split(path: string): { holder?: string; keys: string[] } {
  if (!path.startsWith('urn:')) return { keys: path.split('.') };
  const cut = path.lastIndexOf(':');
  return { holder: path.slice(0, cut), keys: path.slice(cut + 1).split('.') };
}

function read(doc: Obj, path: string): unknown {
  const { holder, keys } = split(path);
  let at: unknown = holder === undefined ? doc : doc[holder];
  for (const key of keys) at = isObject(at) ? at[key] : undefined;
  return at;
}

/** The document with `path` set to `value` (removed when undefined), copying only the objects on the way and dropping emptied ones. */
function write(doc: ResourceDoc, path: string, value: unknown): ResourceDoc {
  const { holder, keys } = split(path);
  const put = (obj: Obj, [key, ...rest]: string[]): Obj => {
    const out = { ...obj };
    const next = rest.length === 0 ? value : put(isObject(obj[key!]) ? (obj[key!] as Obj) : {}, rest);
    if (next === undefined || (isObject(next) && Object.keys(next).length === 0)) delete out[key!];
    else out[key!] = next;
    return out;
  };
  if (holder === undefined) return put(doc, keys) as ResourceDoc;
  const ext = put(isObject(doc[holder]) ? (doc[holder] as Obj) : {}, keys);
  const out: ResourceDoc = { ...doc };
  if (Object.keys(ext).length === 0) {
    delete out[holder];
    out.schemas = doc.schemas.filter((s) => s !== holder);
  } else {
    out[holder] = ext;
    if (!doc.schemas.includes(holder)) out.schemas = [...doc.schemas, holder];
  }
  return out;
}

const absent = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Email addresses, lower-cased: order, `type`, `primary` and `display` do not make a different set of addresses. */
const addresses = (v: unknown): string[] =>
  Array.isArray(v)
    ? [...new Set(v.flatMap((e) => (isObject(e) && typeof e.value === 'string' && e.value.trim() !== '' ? [e.value.trim().toLowerCase()] : [])))].sort()
    : [];

/** Whether two values of a locked path are the same as SCIM compares them (RFC 7643 §2.2 `caseExact`). */
export function sameLockedValue(path: string, a: unknown, b: unknown): boolean {
  if (absent(a) || absent(b)) return absent(a) && absent(b);
  if (path === 'emails') return deepEqual(addresses(a), addresses(b));
  const resolved = resolvePath(userResourceType, path);
  const caseExact = resolved ? leafOf(resolved).caseExact : true;
  if (typeof a === 'string' && typeof b === 'string') return caseExact ? a === b : a.toLowerCase() === b.toLowerCase();
  return deepEqual(a, b);
}

/**
 * RFC 7644 §3.5.1 lets a PUT's omitted attributes count as "not asserted". For a managed user the
 * locked ones are read that way: an IdP that does not map, say, `title` still PUTs whole users, and
 * that is no attempt to clear a field the HR system owns.
 */
export function keepOmittedLocks(before: ResourceDoc, next: ResourceDoc): ResourceDoc {
  if (managingConnection(before) === undefined) return next;
  let out = next;
  for (const path of LOCKED_PATHS) {
    const was = read(before, path);
    if (!absent(was) && absent(read(next, path))) out = write(out, path, was);
  }
  return out;
}

/**
 * A user managed by one HR connection is written by that connection only. The planner already
 * leaves such users out of another connection's plan; this holds below it, in the verb, so no
 * caller (a stale plan, a second code path) can have two connections fight over one person.
 * A released or manual user may be linked by any connection.
 */
export function refuseOtherConnection(source: ChangeSource, before: ResourceDoc): void {
  if (source.kind !== 'connection') return;
  const owner = managingConnection(before);
  if (owner !== undefined && owner !== source.id) {
    throw new DomainError('conflict', `The user is managed by HR connection ${owner}; connection ${source.id} may not write it`);
  }
}

/**
 * The document a write from `source` may store, given the current one. A connection writes what it
 * likes; any other source gets 400 `mutability` naming the locked fields it would change and the
 * connection that owns them. Locked values it repeats in another form (case, email order or flags)
 * keep their stored form, so the connection's values never drift.
 */
export function enforceHrLocks(source: ChangeSource, before: ResourceDoc, after: ResourceDoc): ResourceDoc {
  if (source.kind === 'connection') {
    refuseOtherConnection(source, before);
    return after;
  }
  const connectionId = managingConnection(before);
  if (connectionId === undefined) return after;
  const changed: string[] = [];
  let out = after;
  for (const path of LOCKED_PATHS) {
    const was = read(before, path);
    const now = read(after, path);
    if (!sameLockedValue(path, was, now)) changed.push(path);
    else if (!deepEqual(was, now)) out = write(out, path, was);
  }
  if (changed.length > 0) {
    const provider = hrExtensionOf(before)?.connection?.display;
    const owner = `HR connection ${connectionId}${provider ? ` (${provider})` : ''}`;
    const verb = changed.length === 1 ? 'is' : 'are';
    throw new DomainError('mutability', `${changed.join(', ')} ${verb} managed by ${owner}; change ${changed.length === 1 ? 'it' : 'them'} in the HR system`);
  }
  return out;
}
