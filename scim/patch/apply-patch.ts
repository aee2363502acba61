import { err, ok, type Result } from '../errors.js';
import type { MemberChange, ResourceDoc } from '../resource/document.js';
import { finishDoc } from '../resource/finish.js';
import { clone, deepEqual, findKey, isObject } from '../resource/json.js';
import { holderOf } from '../resource/parse-resource.js';
import type { ResourceTypeDef } from '../schemas/types.js';
import { memberChange } from './members.js';
import { applyMultiValued } from './multi-valued.js';
import type { PatchOperation, PatchTarget } from './types.js';

export interface PatchResult {
  doc: ResourceDoc;
  /** Group membership changes, in request order; applied by the store, not to `doc`. */
  members: MemberChange[];
  /** A new cleartext password, to be hashed by the store. */
  password?: string;
  /** Whether `doc` differs from the input; membership and password are reported separately. */
  changed: boolean;
}

interface State {
  members: MemberChange[];
  password?: string;
}

type Draft = Record<string, unknown>;

function applyExtension(draft: Draft, op: PatchOperation, target: Extract<PatchTarget, { kind: 'extension' }>, value: unknown): Result<void> {
  const key = findKey(draft, target.urn) ?? target.urn;
  const holder: Draft = isObject(draft[key]) ? (draft[key] as Draft) : {};
  const clear = op.op === 'remove' || value === undefined || value === null;
  if (target.attribute === undefined) {
    if (clear) delete draft[key];
    else if (!isObject(value)) return err('invalid_value', `'${op.label}' must be an object of extension attributes.`);
    else draft[key] = op.op === 'add' ? { ...holder, ...value } : value;
    return ok(undefined);
  }
  if (clear) delete holder[target.attribute];
  else holder[target.attribute] = value;
  draft[key] = holder;
  return ok(undefined);
}

function applyOne(rt: ResourceTypeDef, draft: Draft, op: PatchOperation, opts: { id: string }, state: State): Result<void> {
  // Values are copied in, so a later op editing the element never edits the caller's operation list.
  const value = clone(op.value);
  if (op.target.kind === 'extension') return applyExtension(draft, op, op.target, value);
  const { path, filter } = op.target;
  const { attribute: a, subAttribute: sub } = path;
  if (a.mutability === 'readOnly' || sub?.mutability === 'readOnly') {
    // Okta's group rename repeats the resource's own id in a path-less replace; only that is harmless.
    if (path.schema === '' && a.name === 'id' && op.op !== 'remove' && value === opts.id) return ok(undefined);
    return err('mutability', `'${op.label}' is read-only.`);
  }
  if (rt.id === 'Group' && a.name === 'members') {
    const change = memberChange({ ...op, value });
    if (!change.ok) return change;
    if (change.value) state.members.push(change.value);
    return ok(undefined);
  }
  if (a.mutability === 'writeOnly') {
    if (op.op === 'remove') return err('mutability', `'${op.label}' cannot be removed.`);
    if (typeof value !== 'string' || value === '') return err('invalid_value', `'${op.label}' must be a non-empty string.`);
    state.password = value;
    return ok(undefined);
  }
  const holder = holderOf(draft, path);
  if (a.multiValued) return applyMultiValued(holder, a, op.op, filter, sub, value, op.label);
  const clear = op.op === 'remove' || value === undefined;
  if (sub) {
    const parent: Draft = isObject(holder[a.name]) ? (holder[a.name] as Draft) : {};
    if (clear) delete parent[sub.name];
    else parent[sub.name] = value;
    holder[a.name] = parent;
  } else if (clear) {
    delete holder[a.name];
  } else if (a.type === 'complex' && isObject(holder[a.name]) && isObject(value)) {
    // RFC 7644 §3.5.2.1/§3.5.2.3: sub-attributes not in the value are left unchanged.
    holder[a.name] = { ...(holder[a.name] as Draft), ...value };
  } else {
    holder[a.name] = value;
  }
  return ok(undefined);
}

/**
 * Applies parsed operations to a stored document. Pure and atomic (RFC 7644 §3.5.2): it works on a copy,
 * and the first failing operation fails the whole request with the input untouched.
 */
export function applyPatch(rt: ResourceTypeDef, doc: ResourceDoc, ops: PatchOperation[], opts: { id: string }): Result<PatchResult> {
  const draft: Draft = clone(doc);
  const state: State = { members: [] };
  for (const op of ops) {
    const r = applyOne(rt, draft, op, opts, state);
    if (!r.ok) return r;
  }
  const after = finishDoc(rt, draft);
  if (!after.ok) return after;
  const before = finishDoc(rt, clone(doc));
  const changed = !deepEqual(before.ok ? before.value : doc, after.value);
  return ok({
    doc: after.value,
    members: state.members,
    password: state.password,
    changed,
  });
}
