import { DomainError, err, ok, type Result } from '../errors.js';
import { coerceAttribute, coerceElement } from '../resource/coerce.js';
import { findKey, isObject } from '../resource/json.js';
import { parseMembers } from '../resource/members.js';
import type { ResourceTypeDef } from '../schemas/types.js';
import { URN } from '../schemas/urns.js';
import { parsePatchPath, type ParsedPath } from './parse-path.js';
import type { PatchOp, PatchOperation, PatchTarget } from './types.js';

const OPS: readonly PatchOp[] = ['add', 'replace', 'remove'];

const at = <T>(where: string, r: Result<T>): Result<T> =>
  r.ok ? r : { ok: false, error: new DomainError(r.error.code, `${where}: ${r.error.detail}`) };

/** Coerces an operation's value to what its target holds; for remove only a multi-valued list value matters. */
function coerceValue(rt: ResourceTypeDef, op: PatchOp, target: PatchTarget, raw: unknown, label: string): Result<unknown> {
  if (target.kind === 'extension') return ok(raw ?? undefined);
  const { path, filter } = target;
  const { attribute: a, subAttribute: sub } = path;
  if (rt.id === 'Group' && a.name === 'members') {
    if (filter || sub || raw === null || raw === undefined) return ok(undefined);
    return parseMembers(raw, label);
  }
  if (op === 'remove') {
    // The legacy Entra form `remove emails [{…}]` names the values to remove.
    if (filter || sub || !a.multiValued || raw === null || raw === undefined || raw === '') return ok(undefined);
    return coerceAttribute(a, raw, label);
  }
  if (sub) return coerceElement(sub, raw, label);
  if (filter) return coerceElement(a, Array.isArray(raw) && raw.length === 1 ? raw[0] : raw, label);
  return coerceAttribute(a, raw, label);
}

function operation(rt: ResourceTypeDef, op: PatchOp, target: PatchTarget, raw: unknown, label: string): Result<PatchOperation> {
  const value = coerceValue(rt, op, target, raw, label);
  return value.ok ? ok({ op, target, value: value.value, label }) : value;
}

/** A whole known extension as a path: every attribute it defines, as if named one by one. */
function expandSchema(rt: ResourceTypeDef, op: PatchOp, p: Extract<ParsedPath, { kind: 'schema' }>, raw: unknown): Result<PatchOperation[]> {
  if (op === 'remove') {
    return collect(p.schema.attributes.filter((a) => a.mutability !== 'readOnly').map((a) => ops(rt, op, `${p.schema.id}:${a.name}`, undefined)));
  }
  if (raw === null || raw === undefined) return ok([]);
  if (!isObject(raw)) return err('invalid_value', `'${p.schema.id}' must be an object of extension attributes.`);
  return expandObject(rt, op, raw, `${p.schema.id}:`);
}

function ops(rt: ResourceTypeDef, op: PatchOp, path: string, raw: unknown): Result<PatchOperation[]> {
  const p = parsePatchPath(rt, path);
  if (!p.ok) return p;
  if (p.value.kind === 'schema') return expandSchema(rt, op, p.value, raw);
  const one = operation(rt, op, p.value, raw, path);
  return one.ok ? ok([one.value]) : one;
}

function collect(results: Result<PatchOperation[]>[]): Result<PatchOperation[]> {
  const out: PatchOperation[] = [];
  for (const r of results) {
    if (!r.ok) return r;
    out.push(...r.value);
  }
  return ok(out);
}

/**
 * RFC 7644 §3.5.2.1/§3.5.2.3 without `path`: the value's keys are attribute paths (Entra sends
 * `name.givenName` and URN-qualified keys). Unknown attributes are ignored, as in a POST body.
 */
function expandObject(rt: ResourceTypeDef, op: PatchOp, value: Record<string, unknown>, prefix = ''): Result<PatchOperation[]> {
  const results: Result<PatchOperation[]>[] = [];
  for (const [key, raw] of Object.entries(value)) {
    if (key.toLowerCase() === 'schemas') continue;
    const r = ops(rt, op, `${prefix}${key}`, raw);
    if (!r.ok && r.error.code === 'invalid_path') continue;
    results.push(r);
  }
  return collect(results);
}

function parseOperation(rt: ResourceTypeDef, raw: unknown, where: string): Result<PatchOperation[]> {
  if (!isObject(raw)) return err('invalid_syntax', `${where} must be an object.`);
  const get = (name: string) => {
    const k = findKey(raw, name);
    return { present: k !== undefined, value: k === undefined ? undefined : raw[k] };
  };
  const opRaw = get('op').value;
  const op = typeof opRaw === 'string' ? (opRaw.trim().toLowerCase() as PatchOp) : undefined;
  if (!op || !OPS.includes(op)) return err('invalid_syntax', `${where}.op must be "add", "replace" or "remove", got ${JSON.stringify(opRaw)}.`);
  const path = get('path').value;
  const value = get('value');
  if (path !== undefined && path !== null && typeof path !== 'string') return err('invalid_path', `${where}.path must be a string.`);
  if (typeof path === 'string' && path.trim() !== '') {
    if (op !== 'remove' && !value.present) return err('invalid_value', `${where}: "${op}" needs a value.`);
    return at(where, ops(rt, op, path, value.value));
  }
  if (op === 'remove') return err('no_target', `${where}: "remove" needs a path (RFC 7644 §3.5.2.2).`);
  if (!isObject(value.value)) return err('invalid_value', `${where}: without a path, the value must be an object of attributes.`);
  return at(where, expandObject(rt, op, value.value));
}

/** RFC 7644 §3.5.2 PatchOp body → canonical operations, in order. Never throws. */
export function parsePatch(rt: ResourceTypeDef, body: unknown): Result<PatchOperation[]> {
  if (!isObject(body)) return err('invalid_syntax', 'The request body must be a JSON object.');
  const schemasKey = findKey(body, 'schemas');
  const schemas = schemasKey === undefined ? undefined : body[schemasKey];
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.patchOp.toLowerCase())) {
    return err('invalid_syntax', `'schemas' must include '${URN.patchOp}'.`);
  }
  const opsKey = findKey(body, 'Operations');
  const list = opsKey === undefined ? undefined : body[opsKey];
  if (!Array.isArray(list) || list.length === 0) return err('invalid_syntax', `'Operations' must be a non-empty array.`);
  return collect(list.map((raw, i) => parseOperation(rt, raw, `Operations[${i}]`)));
}
