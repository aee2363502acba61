import { err, ok, type Result } from '../errors.js';
import { parseValueFilter } from '../filter/parse.js';
import { classifyUrnKey } from '../resource/extensions.js';
import { resolvePath, resolveSubPath } from '../schemas/resolve.js';
import { isTenantUrn } from '../schemas/tenant-user.js';
import type { ResourceTypeDef, SchemaDef } from '../schemas/types.js';
import type { PatchTarget } from './types.js';

/** A path naming a whole known extension (`urn:…:enterprise:2.0:User`), which the caller expands per attribute. */
export type ParsedPath = PatchTarget | { kind: 'schema'; schema: SchemaDef };

/** Index of the `]` closing the `[` at `open`, skipping brackets inside quoted filter values. */
function closingBracket(text: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '\\') i++;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ']') return i;
  }
  return -1;
}

const unknownPath = (raw: string) => err<ParsedPath>('invalid_path', `Unknown attribute path '${raw}'.`);

/** RFC 7644 §3.5.2 PATCH path: `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, each optionally URN-qualified. */
export function parsePatchPath(rt: ResourceTypeDef, raw: string): Result<ParsedPath> {
  const text = raw.trim();
  const open = text.indexOf('[');
  if (open === -1) {
    if (/^urn:/i.test(text)) {
      const c = classifyUrnKey(rt, text);
      if (c.kind === 'foreign') return unknownPath(raw);
      if (c.kind === 'unknown' && isTenantUrn(c.urn)) return err('invalid_path', `'${raw}': this tenant declares no such attribute in its extension.`);
      if (c.kind === 'unknown') return ok({ kind: 'extension', urn: c.urn, ...(c.attribute !== undefined ? { attribute: c.attribute } : {}) });
      if (c.rest === '') return c.schema.id === rt.schema.id ? unknownPath(raw) : ok({ kind: 'schema', schema: c.schema });
    }
    const path = resolvePath(rt, text);
    return path ? ok({ kind: 'attribute', path }) : unknownPath(raw);
  }
  const close = closingBracket(text, open);
  if (close === -1) return err('invalid_path', `Unclosed '[' in path '${raw}'.`);
  const tail = text.slice(close + 1);
  if (tail !== '' && !/^\.[^.[\]]+$/.test(tail)) return err('invalid_path', `Unexpected '${tail}' after the filter in path '${raw}'.`);
  const parent = resolvePath(rt, text.slice(0, open));
  if (!parent || parent.subAttribute) return unknownPath(raw);
  if (!parent.attribute.multiValued) return err('invalid_path', `'${text.slice(0, open)}' is not multi-valued; a filter cannot select its values.`);
  const filter = parseValueFilter(parent, text.slice(open + 1, close));
  if (!filter.ok) return filter;
  if (tail === '') return ok({ kind: 'attribute', path: parent, filter: filter.value });
  const path = resolveSubPath(parent, tail.slice(1));
  return path ? ok({ kind: 'attribute', path, filter: filter.value }) : unknownPath(raw);
}
