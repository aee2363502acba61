import { sql, type SQL } from 'drizzle-orm';
import { DomainError } from '../../scim/errors.js';
import type { FilterNode } from '../../scim/filter/ast.js';
import { leafOf, pathToString, type ResolvedPath } from '../../scim/schemas/resolve.js';
import { URN } from '../../scim/schemas/urns.js';
import { groups, users } from '../db/schema.js';
import { bool, compareSource, elements, lit, presentSource, sortScalar, type Source } from './filter-sql-source.js';
import { groupModifiedOf } from './groups/member-stamps.js';

/**
 * Translates a resolved filter (RFC 7644 §3.4.2.2) into a condition on `users` or `groups`; the caller
 * adds the tenant condition. Indexed columns serve the attributes clients search by, the JSONB
 * document the rest. `not` of an absent value is false, never NULL.
 */
export type FilterTarget = 'users' | 'groups';

/** Where a path's values come from; `wrap` turns a per-value condition into "some value satisfies it". */
interface Access {
  src: Source;
  wrap?: (cond: SQL) => SQL;
}

/** A value filter's element: a JSONB array element, or a row of the membership table. */
type Element = { json: SQL } | { member: (sub: string) => Source };

const doc = (t: FilterTarget) => (t === 'users' ? users.doc : groups.doc);
const unsupported = (p: ResolvedPath) => new DomainError('invalid_filter', `${pathToString(p)} cannot be used in a filter`);

/** The bank account is stored sealed: a condition on it could only ever see ciphertext, so it is refused, not empty. */
const sealed = (p: ResolvedPath) => p.inExtension && p.schema === URN.hrUser && p.attribute.name === 'bankAccount';

/** Group membership lives in its own table: `groups` on a User, `members` on a Group. */
function membership(t: FilterTarget, p: ResolvedPath) {
  if (p.inExtension) return null;
  const name = p.attribute.name;
  if (t === 'users' && name === 'groups') {
    return {
      exists: (cond: SQL) =>
        sql`exists (select 1 from group_members gm join groups g on g.id = gm.group_id where gm.member_id = ${users.id} and ${cond})`,
      field: (sub: string): Source => {
        if (sub === 'value') return { form: 'text', expr: sql`gm.group_id::text` };
        if (sub === 'display') return { form: 'text', expr: sql`g.display_name` };
        if (sub === 'type') return { form: 'text', expr: sql`'direct'::text` };
        throw unsupported(p);
      },
    };
  }
  if (t === 'groups' && name === 'members') {
    return {
      exists: (cond: SQL) => sql`exists (select 1 from group_members gm where gm.group_id = ${groups.id} and ${cond})`,
      field: (sub: string): Source => {
        if (sub === 'value') return { form: 'text', expr: sql`gm.member_id::text` };
        if (sub === 'type') return { form: 'text', expr: sql`gm.member_type` };
        if (sub === 'display')
          return {
            form: 'text',
            expr: sql`coalesce((select u.display_name from users u where u.id = gm.member_id), (select g2.display_name from groups g2 where g2.id = gm.member_id))`,
          };
        throw unsupported(p);
      },
    };
  }
  return null;
}

/** Typed columns, so the lookups clients make (userName, externalId, emails, meta.lastModified…) use indexes. */
function column(t: FilterTarget, p: ResolvedPath): Source | null {
  if (p.inExtension) return null;
  const table = t === 'users' ? users : groups;
  const sub = p.subAttribute?.name;
  switch (p.attribute.name) {
    case 'id':
      // Compared as text: a non-UUID value in a filter simply matches nothing.
      return { form: 'text', expr: sql`${table.id}::text` };
    case 'externalId':
      return { form: 'text', expr: sql`${table.externalId}` };
    case 'displayName':
      return { form: 'text', expr: sql`${table.displayName}` };
    case 'userName':
      return t === 'users' ? { form: 'text', expr: sql`${users.userName}` } : null;
    case 'active':
      return t === 'users' ? { form: 'bool', expr: sql`${users.active}` } : null;
    case 'meta':
      if (sub === 'created') return { form: 'ts', expr: sql`${table.createdAt}` };
      // A group's lastModified counts its membership changes, which do not touch its row.
      if (sub === 'lastModified') return { form: 'ts', expr: t === 'users' ? sql`${users.updatedAt}` : sql.raw(groupModifiedOf('"groups"')) };
      if (sub === 'resourceType') return { form: 'text', expr: sql`${t === 'users' ? 'User' : 'Group'}::text` };
      if (sub === undefined) return { form: 'bool', expr: sql`true` };
      throw unsupported(p);
    default:
      return null;
  }
}

function locate(t: FilterTarget, p: ResolvedPath, forPresent: boolean, el?: Element): Access {
  if (sealed(p)) throw new DomainError('invalid_filter', `${pathToString(p)} is stored encrypted and cannot be used in a filter`);
  if (el) {
    if ('member' in el) return { src: el.member(p.subAttribute?.name ?? 'value') };
    return { src: { form: 'json', expr: p.subAttribute ? sql`${el.json} -> ${lit(p.subAttribute.name)}` : el.json } };
  }
  const m = membership(t, p);
  if (m) {
    if (!p.subAttribute) return { src: { form: 'bool', expr: sql`true` }, wrap: m.exists };
    return { src: m.field(p.subAttribute.name), wrap: m.exists };
  }
  const col = column(t, p);
  if (col) return { src: col };
  const base = p.inExtension ? sql`${doc(t)} -> ${lit(p.schema)}` : sql`${doc(t)}`;
  const attr = sql`${base} -> ${lit(p.attribute.name)}`;
  if (!p.attribute.multiValued) {
    return { src: { form: 'json', expr: p.subAttribute ? sql`${attr} -> ${lit(p.subAttribute.name)}` : attr } };
  }
  if (!p.subAttribute && forPresent) return { src: { form: 'json', expr: attr } };
  const expr = p.subAttribute ? sql`e.v -> ${lit(p.subAttribute.name)}` : sql`e.v`;
  return { src: { form: 'json', expr }, wrap: (cond) => sql`exists (select 1 from ${elements(attr)} where ${cond})` };
}

/** `emails.value` has a lower-cased text[] column with a GIN index; `@>` is what that index serves. */
function emailsColumn(node: Extract<FilterNode, { kind: 'compare' | 'present' }>): SQL {
  if (node.kind === 'present') return sql`cardinality(${users.emails}) > 0`;
  const v = String(node.value).toLowerCase();
  if (node.op === 'eq') return sql`${users.emails} @> array[${v}::text]`;
  const cond = compareSource({ form: 'text', expr: sql`x.v` }, { ...leafOf(node.path), caseExact: true }, node.op, v);
  return sql`exists (select 1 from unnest(${users.emails}) as x(v) where ${cond})`;
}

const isEmailsValue = (t: FilterTarget, p: ResolvedPath) =>
  t === 'users' && !p.inExtension && p.attribute.name === 'emails' && p.subAttribute?.name === 'value';

function translate(t: FilterTarget, node: FilterNode, el?: Element): SQL {
  switch (node.kind) {
    case 'and':
    case 'or':
      return sql`(${sql.join(node.children.map((c) => translate(t, c, el)), sql.raw(` ${node.kind} `))})`;
    case 'not':
      return sql`not ${bool(translate(t, node.child, el))}`;
    case 'present': {
      if (!el && isEmailsValue(t, node.path)) return emailsColumn(node);
      const a = locate(t, node.path, true, el);
      const cond = presentSource(a.src);
      return a.wrap ? a.wrap(cond) : cond;
    }
    case 'compare': {
      // `ne` holds when the value is absent or different (no value equals it), and `eq null` asks for absence.
      if (node.op === 'ne') return sql`not ${bool(translate(t, { ...node, op: 'eq' }, el))}`;
      if (node.value === null) return node.op === 'eq' ? translate(t, { kind: 'not', child: { kind: 'present', path: node.path } }, el) : sql`false`;
      if (!el && isEmailsValue(t, node.path)) return emailsColumn(node);
      const a = locate(t, node.path, false, el);
      const cond = compareSource(a.src, leafOf(node.path), node.op, node.value);
      return a.wrap ? a.wrap(cond) : cond;
    }
    case 'valuePath': {
      if (el) throw new DomainError('invalid_filter', 'Value filters cannot be nested');
      const m = membership(t, node.path);
      if (m) return m.exists(translate(t, node.filter, { member: m.field }));
      const base = node.path.inExtension ? sql`${doc(t)} -> ${lit(node.path.schema)}` : sql`${doc(t)}`;
      const attr = sql`${base} -> ${lit(node.path.attribute.name)}`;
      return sql`exists (select 1 from ${elements(attr)} where ${translate(t, node.filter, { json: sql`e.v` })})`;
    }
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

/**
 * Conditions stay bare so the planner can use the indexes on lower(user_name), emails (GIN) and the
 * rest; a NULL only changes the outcome under `not`, which is where it is coalesced.
 */
export function filterToSql(target: FilterTarget, node: FilterNode): SQL {
  return translate(target, node);
}

/**
 * ORDER BY expression for `sortBy` (RFC 7644 §3.4.2.3); ascending puts nulls last by default, callers
 * add `desc nulls last` and the id tie-breaker. Multi-valued attributes sort by their primary (else first) value.
 */
export function sortToSql(target: FilterTarget, path: ResolvedPath): SQL {
  const leaf = leafOf(path);
  if (membership(target, path) || sealed(path)) return sql`null::text`;
  const col = column(target, path);
  if (col) return sortScalar(col, leaf);
  const base = path.inExtension ? sql`${doc(target)} -> ${lit(path.schema)}` : sql`${doc(target)}`;
  const attr = sql`${base} -> ${lit(path.attribute.name)}`;
  const sub = path.subAttribute ?? path.attribute.subAttributes?.find((s) => s.name === 'value');
  if (!path.attribute.multiValued) {
    if (path.attribute.type === 'complex' && !path.subAttribute) return sql`null::text`;
    return sortScalar({ form: 'json', expr: path.subAttribute ? sql`${attr} -> ${lit(path.subAttribute.name)}` : attr }, leaf);
  }
  if (path.attribute.type === 'complex' && !sub) return sql`null::text`;
  const value = sortScalar({ form: 'json', expr: sub ? sql`e.v -> ${lit(sub.name)}` : sql`e.v` }, sub ?? leaf);
  return sql`(select ${value} from ${elements(attr, true)} order by coalesce(e.v -> 'primary' = 'true'::jsonb, false) desc, e.n limit 1)`;
}
