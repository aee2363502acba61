import fc from 'fast-check';
import { groupResourceType, userResourceType } from '../../scim/schemas/resource-types.js';
import type { AttributeDef, ResourceTypeDef } from '../../scim/schemas/types.js';
import { URN } from '../../scim/schemas/urns.js';

/**
 * Generators of SCIM input, from the schema definitions themselves (so a new attribute is fuzzed
 * without touching this file): each comes valid, near-valid (the right shape with one thing wrong)
 * and garbage. Strings lean on what has broken servers before: U+0000, lone surrogates, escapes,
 * numbers that are not numbers, dates outside the calendar, and very long text.
 */

export const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\u{1F600}',
  '\\',
  'a\\',
  '"',
  "'",
  '\\u0000',
  '%00',
  '%ff',
  '0x10',
  '1e309',
  '-0',
  'NaN',
  '99999999999999999999',
  '-2147483649',
  '2147483648',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59+14:00',
  '0001-01-01T00:00:00+01:00',
  'true',
  'True',
  'null',
  'bulkId:nope',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName',
  '$ref',
  'é'.normalize('NFD'),
  '\u202e',
  '\r\n',
  'x'.repeat(5000),
];

/** Any text, code units included (lone surrogates), with the nasty ones often. */
export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', '\\', '"', ' ', '\u0000', '\ud800', 'é'), maxLength: 12 }) },
);

/** Any JSON value, nasty strings included. */
export const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -1e308, 1e21),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A plausible value for an attribute of the given definition; sometimes of the wrong type. */
function valueFor(attr: AttributeDef, depth = 0): fc.Arbitrary<unknown> {
  const scalar = (): fc.Arbitrary<unknown> => {
    switch (attr.type) {
      case 'string':
      case 'reference':
      case 'binary':
        return attr.canonicalValues?.length ? fc.oneof(fc.constantFrom(...attr.canonicalValues), text) : fc.oneof(fc.string({ maxLength: 20 }), text);
      case 'boolean':
        return fc.constantFrom(true, false, 'True', 'false', 'yes', 1);
      case 'integer':
      case 'decimal':
        return fc.oneof(fc.integer(), fc.double(), text);
      case 'dateTime':
        return fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), text);
      case 'complex':
        return depth > 1 ? json : fc.record(subRecord(attr.subAttributes ?? [], depth + 1), { requiredKeys: [] });
    }
  };
  const one = fc.oneof({ weight: 5, arbitrary: scalar() }, { weight: 1, arbitrary: json });
  return attr.multiValued ? fc.oneof({ weight: 4, arbitrary: fc.array(one, { maxLength: 3 }) }, { weight: 1, arbitrary: one }) : one;
}

function subRecord(attrs: AttributeDef[], depth: number): Record<string, fc.Arbitrary<unknown>> {
  return Object.fromEntries(attrs.map((a) => [a.name, valueFor(a, depth)]));
}

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** A resource body for POST or PUT: valid, near-valid or garbage. */
export function resource(rt: ResourceTypeDef): fc.Arbitrary<unknown> {
  const core = fc.record(subRecord(rt.schema.attributes, 0), { requiredKeys: [] });
  const extensions = fc.record(
    Object.fromEntries(rt.extensions.map((e) => [e.schema.id, fc.record(subRecord(e.schema.attributes, 0), { requiredKeys: [] })])),
    { requiredKeys: [] },
  );
  const idKey = rt.id === 'User' ? 'userName' : 'displayName';
  const allSchemas = [rt.schema.id, ...rt.extensions.map((e) => e.schema.id)];
  const valid = fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.subarray(rt.extensions.map((e) => e.schema.id))).map(([name, ext]) => ({
    schemas: [rt.schema.id, ...ext],
    [idKey]: `${name.replace(/[\u0000\ud800-\udfff]/g, '')}-${unique()}`,
  }));
  const nearValid = fc.tuple(core, extensions, fc.subarray(allSchemas), fc.option(text)).map(([c, e, schemas, name]) => ({
    schemas,
    ...c,
    ...e,
    ...(name !== null ? { [idKey]: name } : { [idKey]: `n-${unique()}` }),
  }));
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 5, arbitrary: nearValid }, { weight: 1, arbitrary: json });
}

/** Every attribute path of a resource type, with and without its schema URN, and sub-attributes. */
export function attributePaths(rt: ResourceTypeDef): string[] {
  const out: string[] = [];
  const walk = (attrs: AttributeDef[], prefix: string) => {
    for (const a of attrs) {
      out.push(`${prefix}${a.name}`);
      for (const s of a.subAttributes ?? []) out.push(`${prefix}${a.name}.${s.name}`);
    }
  };
  walk(rt.schema.attributes, '');
  walk(rt.schema.attributes, `${rt.schema.id}:`);
  for (const e of rt.extensions) walk(e.schema.attributes, `${e.schema.id}:`);
  out.push('id', 'externalId', 'meta.lastModified', 'meta.created', 'meta.version', 'meta.resourceType');
  return out;
}

const OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Sw'];

/** A comparison value as written in a filter: quoted strings with escapes, bare words, numbers, dates. */
const filterValue: fc.Arbitrary<string> = fc.oneof(
  text.map((t) => JSON.stringify(t)),
  fc.constantFrom('true', 'False', 'null', '0', '-1', '1.5', '0x10', '2015-10-10T14:38:21.86-07:00', '"0000-01-01T00:00:00Z"', '"a\\\\"', '"\\u0000"', '"\\ud800"', 'O'),
  fc.date({ noInvalidDate: true }).map((d) => `"${d.toISOString()}"`),
);

/** Filters by the RFC 7644 §3.4.2.2 grammar, then sometimes broken by a cut or an inserted character. */
export function filter(rt: ResourceTypeDef): fc.Arbitrary<string> {
  const path = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...attributePaths(rt)) }, { weight: 1, arbitrary: text });
  const { node } = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(path, fc.constantFrom(...OPS), filterValue).map(([p, op, v]) => `${p} ${op} ${v}`),
      path.map((p) => `${p} pr`),
      fc.tuple(tie('node'), fc.constantFrom('and', 'or', 'AND'), tie('node')).map(([a, op, b]) => `${a} ${op} ${b}`),
      tie('node').map((n) => `not (${n})`),
      tie('node').map((n) => `(${n})`),
      fc.tuple(fc.constantFrom('emails', 'addresses', 'members', 'phoneNumbers', 'groups'), tie('node')).map(([p, n]) => `${p}[${n}]`),
    ),
  }));
  const broken = fc.tuple(node, fc.nat(), fc.constantFrom('', '(', ')', '[', ']', '"', '\\', ' ', '\u0000')).map(([f, at, ch]) => {
    const i = at % (f.length + 1);
    return `${f.slice(0, i)}${ch}${f.slice(i + (ch === '' ? 1 : 0))}`;
  });
  return fc.oneof({ weight: 4, arbitrary: node }, { weight: 2, arbitrary: broken }, { weight: 1, arbitrary: text });
}

/** PATCH paths (RFC 7644 §3.5.2): attributes, sub-attributes, value filters with a sub-attribute, garbage. */
export function patchPath(rt: ResourceTypeDef): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...attributePaths(rt)) },
    { weight: 2, arbitrary: fc.tuple(filter(rt), fc.constantFrom('', '.value', '.type', '.primary', '.display')).map(([f, sub]) => `emails[${f}]${sub}`) },
    { weight: 1, arbitrary: fc.constantFrom('members[value eq "x"]', 'emails[type eq "work"].value', 'members', 'name.givenName', 'urn:bogus:attr') },
    { weight: 1, arbitrary: text },
  );
}

/** A PatchOp body: Entra and Okta variants (capitalised ops, no path, boolean strings) and nonsense. */
export function patchBody(rt: ResourceTypeDef): fc.Arbitrary<unknown> {
  const op = fc.record(
    {
      op: fc.oneof(fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove', 'REMOVE'), text),
      path: patchPath(rt),
      value: fc.oneof(resource(rt), json, fc.constantFrom(true, 'False', [{ value: 'x' }])),
    },
    { requiredKeys: ['op'] },
  );
  const valid = fc.array(op, { minLength: 1, maxLength: 4 }).map((ops) => ({ schemas: [URN.patchOp], Operations: ops }));
  const near = fc.record({ schemas: fc.oneof(fc.constant([URN.patchOp]), json), Operations: fc.oneof(fc.array(op, { maxLength: 3 }), json) }, { requiredKeys: [] });
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 2, arbitrary: near }, { weight: 1, arbitrary: json });
}

/** List parameters (RFC 7644 §3.4.2) as query strings, and as `.search` bodies of any JSON types. */
export function listParams(rt: ResourceTypeDef): fc.Arbitrary<Record<string, unknown>> {
  const number = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 31 - 1, 1e20), text);
  const attrs = fc.oneof(fc.subarray(attributePaths(rt), { maxLength: 3 }).map((a) => a.join(',')), text);
  return fc.record(
    {
      filter: filter(rt),
      startIndex: number,
      count: number,
      sortBy: fc.oneof(fc.constantFrom(...attributePaths(rt)), text),
      sortOrder: fc.oneof(fc.constantFrom('ascending', 'descending', 'DESCENDING'), text),
      attributes: attrs,
      excludedAttributes: attrs,
      cursor: fc.oneof(fc.constant(''), text, fc.base64String({ maxLength: 40 })),
    },
    { requiredKeys: [] },
  );
}

/** A Bulk request (RFC 7644 §3.7): operations across both types, bulkId references, odd methods and paths. */
export function bulkBody(ids: () => string[]): fc.Arbitrary<unknown> {
  const types = [userResourceType, groupResourceType];
  const operation = fc.integer({ min: 0, max: 1 }).chain((t) => {
    const rt = types[t]!;
    return fc.record(
      {
        method: fc.oneof(fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'post', 'GET'), text),
        path: fc.oneof(
          fc.constant(rt.endpoint),
          fc.constantFrom(...(ids().length ? ids() : ['none'])).map((id) => `${rt.endpoint}/${id}`),
          fc.constantFrom('bulkId:a', 'bulkId:b').map((ref) => `${rt.endpoint}/${ref}`),
          text,
        ),
        bulkId: fc.oneof(fc.constantFrom('a', 'b', 'c'), text),
        version: fc.oneof(fc.constant('W/"1"'), text),
        data: fc.oneof(resource(rt), patchBody(rt), json, fc.constant({ schemas: [rt.schema.id], members: [{ value: 'bulkId:a' }] })),
      },
      { requiredKeys: ['method'] },
    );
  });
  const valid = fc.record({ failOnErrors: fc.oneof(fc.nat(5), json), Operations: fc.array(operation, { minLength: 1, maxLength: 5 }) }, { requiredKeys: ['Operations'] }).map((b) => ({
    schemas: [URN.bulkRequest],
    ...b,
  }));
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: json });
}

/** Changes one thing in a valid JSON body: a value replaced, a key dropped, a key added, or the whole replaced. */
export function mutate(valid: unknown): fc.Arbitrary<unknown> {
  const keys = valid && typeof valid === 'object' && !Array.isArray(valid) ? Object.keys(valid) : [];
  const object = valid as Record<string, unknown>;
  const options: fc.Arbitrary<unknown>[] = [fc.constant(valid), json];
  if (keys.length > 0) {
    const key = fc.constantFrom(...keys);
    options.push(
      fc.tuple(key, json).map(([k, v]) => ({ ...object, [k]: v })),
      fc.tuple(key, text).map(([k, v]) => ({ ...object, [k]: v })),
      key.map((k) => Object.fromEntries(Object.entries(object).filter(([x]) => x !== k))),
    );
  }
  options.push(fc.tuple(text, json).map(([k, v]) => (keys.length ? { ...object, [k]: v } : { [k]: v })));
  return fc.oneof(...options);
}

/** Raw request bytes: JSON with a broken tail, invalid UTF-8, nothing at all. */
export const rawBody: fc.Arbitrary<Buffer> = fc.oneof(
  json.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  json.map((v) => Buffer.from((JSON.stringify(v) ?? 'null').slice(0, -1))),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.constantFrom(Buffer.from([0xc3, 0x28]), Buffer.from('{"a":"\\ud800"}'), Buffer.from('{"a":"\u0000"}'), Buffer.alloc(0), Buffer.from('\ufeff{}')),
);
