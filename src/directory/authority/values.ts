import type { ResourceDoc } from '../../../scim/resource/document.js';
import { deepEqual, isObject } from '../../../scim/resource/json.js';
import { leafOf, resolvePath } from '../../../scim/schemas/resolve.js';
import type { ResourceTypeDef } from '../../../scim/schemas/types.js';

/** Reading, writing and comparing one attribute path of a user document, as the authority rules name them. */

type Obj = Record<string, unknown>;

interface SplitPath {
  holder: string | undefined;
  keys: string[];
}

/** Rule paths are few and fixed per tenant, and every user write reads each twice: split each once. */
const splitPaths = new Map<string, SplitPath>();
const SPLIT_PATHS_KEPT = 1_000;

/** `urn:…:User:manager.value` → the extension key holding it and the keys below; core paths have no holder. */
function split(path: string): SplitPath {
  const known = splitPaths.get(path);
  if (known) return known;
  const cut = path.startsWith('urn:') ? path.lastIndexOf(':') : -1;
  const parts: SplitPath = cut < 0 ? { holder: undefined, keys: path.split('.') } : { holder: path.slice(0, cut), keys: path.slice(cut + 1).split('.') };
  if (splitPaths.size >= SPLIT_PATHS_KEPT) splitPaths.clear();
  splitPaths.set(path, parts);
  return parts;
}

export function readPath(doc: Obj, path: string): unknown {
  const { holder, keys } = split(path);
  let at: unknown = holder === undefined ? doc : doc[holder];
  for (let i = 0; i < keys.length; i++) at = isObject(at) ? at[keys[i]!] : undefined;
  return at;
}

/** The document with `path` set to `value` (removed when undefined), copying only the objects on the way and dropping emptied ones. */
export function writePath(doc: ResourceDoc, path: string, value: unknown): ResourceDoc {
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

export const absent = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Email addresses, lower-cased: order, `type`, `primary` and `display` do not make a different set of addresses. */
const addresses = (v: unknown): string[] =>
  Array.isArray(v)
    ? [...new Set(v.flatMap((e) => (isObject(e) && typeof e.value === 'string' && e.value.trim() !== '' ? [e.value.trim().toLowerCase()] : [])))].sort()
    : [];

const folded = (v: unknown, caseExact: boolean): unknown =>
  typeof v === 'string' && !caseExact ? v.toLowerCase() : Array.isArray(v) ? v.map((x) => folded(x, caseExact)) : v;

/** Whether two values of `path` are the same as SCIM compares them (RFC 7643 §2.2 `caseExact`). */
export function sameValue(rt: ResourceTypeDef, path: string, a: unknown, b: unknown): boolean {
  if (absent(a) || absent(b)) return absent(a) && absent(b);
  if (path === 'emails') return deepEqual(addresses(a), addresses(b));
  const resolved = resolvePath(rt, path);
  const caseExact = resolved ? leafOf(resolved).caseExact : true;
  return deepEqual(folded(a, caseExact), folded(b, caseExact));
}
