import { err, ok, type Result } from '../errors.js';
import type { FilterNode } from '../filter/ast.js';
import type { MemberChange, MemberRef } from '../resource/document.js';
import type { PatchOperation } from './types.js';

/** Member ids selected by `value eq "id"`, or an `or` of those; anything else cannot be resolved without the store. */
function idsOf(node: FilterNode): string[] | null {
  if (node.kind === 'compare' && node.op === 'eq' && node.path.subAttribute?.name === 'value' && typeof node.value === 'string') {
    return [node.value];
  }
  if (node.kind !== 'or') return null;
  const ids: string[] = [];
  for (const child of node.children) {
    const part = idsOf(child);
    if (!part) return null;
    ids.push(...part);
  }
  return ids;
}

/**
 * Group membership lives in its own table, so member operations become changes for the store, in order.
 * Returns null for an operation that changes nothing.
 */
export function memberChange(op: PatchOperation): Result<MemberChange | null> {
  if (op.target.kind !== 'attribute') return ok(null);
  const { filter, path } = op.target;
  if (path.subAttribute) return err('invalid_path', `'${op.label}': member sub-attributes are immutable (RFC 7643 §4.2).`);
  const members = op.value as MemberRef[] | undefined;
  if (filter) {
    if (op.op !== 'remove') return err('invalid_path', `'${op.label}': members are selected by a filter only to remove them.`);
    const ids = idsOf(filter);
    if (!ids) return err('invalid_filter', `'${op.label}': select members by id, e.g. members[value eq "id"].`);
    return ok({ kind: 'remove', ids });
  }
  switch (op.op) {
    case 'add':
      return ok(members && members.length > 0 ? { kind: 'add', members } : null);
    case 'replace':
      return ok({ kind: 'replace', members: members ?? [] });
    case 'remove':
      // Entra's legacy `Remove members [{value}]` removes exactly those; only a bare remove empties the group.
      if (members === undefined) return ok({ kind: 'removeAll' });
      return ok(members.length > 0 ? { kind: 'remove', ids: members.map((m) => m.value) } : null);
    default: {
      const unreachable: never = op.op;
      return unreachable;
    }
  }
}
