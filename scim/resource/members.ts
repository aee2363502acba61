import { err, ok, type Result } from '../errors.js';
import type { MemberRef } from './document.js';
import { findKey, isObject } from './json.js';

function parseMember(raw: unknown, path: string): Result<MemberRef> {
  // Microsoft's validator PATCHes `"value": "string id 1"`: a bare id is a member reference.
  if (typeof raw === 'string' || typeof raw === 'number') raw = { value: raw };
  if (!isObject(raw)) return err('invalid_value', `'${path}' must be an object with a 'value'.`);
  const get = (name: string) => {
    const k = findKey(raw as Record<string, unknown>, name);
    return k === undefined ? undefined : (raw as Record<string, unknown>)[k];
  };
  const value = get('value');
  const id = typeof value === 'number' ? String(value) : value;
  if (typeof id !== 'string' || id.trim() === '') return err('invalid_value', `'${path}.value' must be a non-empty member id.`);
  const member: MemberRef = { value: id, type: 'User' };
  const type = get('type');
  if (type !== undefined && type !== null) {
    const t = typeof type === 'string' ? type.toLowerCase() : '';
    if (t !== 'user' && t !== 'group') return err('invalid_value', `'${path}.type' must be "User" or "Group".`);
    member.type = t === 'user' ? 'User' : 'Group';
  }
  // The validator writes `displayName` where RFC 7643 §4.2 says `display`.
  const display = get('display') ?? get('displayName');
  if (typeof display === 'string' && display !== '') member.display = display;
  return ok(member);
}

/** Group `members` (RFC 7643 §4.2) as references; a single object is wrapped, null means none, repeated ids collapse. */
export function parseMembers(raw: unknown, path = 'members'): Result<MemberRef[]> {
  if (raw === null || raw === undefined) return ok([]);
  const items = Array.isArray(raw) ? raw : [raw];
  const out: MemberRef[] = [];
  for (const [i, item] of items.entries()) {
    if (item === null) continue;
    const r = parseMember(item, `${path}[${i}]`);
    if (!r.ok) return r;
    if (!out.some((m) => m.value === r.value.value)) out.push(r.value);
  }
  return ok(out);
}
