import type { TenantAttributeSpec } from '../../scim/schemas/tenant-user.js';
import { isFixedAttribute, mappableAttributes, type MappableAttribute } from './attributes.js';
import { coerce } from './coerce.js';
import { compileMapping, type CompiledMapping } from './compile.js';
import { compileExpression, ExpressionError } from './expression.js';
import { fieldKind } from './fields.js';
import type { Mapping, MappingEntry } from './mapping.js';

export interface MappingProblem {
  /** The attribute the problem is about, as the mapping wrote it. */
  attribute: string;
  message: string;
}

export type ValidatedMapping = { ok: true; compiled: CompiledMapping; mapping: Mapping } | { ok: false; problems: MappingProblem[] };

/**
 * Checks a mapping against the tenant's attributes before it is saved or previewed: every attribute
 * known and fillable, each named once, each source able to give a value of the attribute's type,
 * each expression parseable. The mapping comes back with attribute paths spelled as the catalogue
 * spells them, and compiled.
 */
export function validateMapping(mapping: Mapping, tenantAttributes: TenantAttributeSpec[]): ValidatedMapping {
  const catalogue = mappableAttributes(tenantAttributes);
  const problems: MappingProblem[] = [];
  const seen = new Set<string>();
  const entries: MappingEntry[] = [];
  for (const entry of mapping.attributes) {
    const attr = catalogue.get(entry.attribute.toLowerCase());
    const fail = (message: string) => problems.push({ attribute: entry.attribute, message });
    if (!attr) {
      fail(
        isFixedAttribute(entry.attribute)
          ? `${entry.attribute} is filled by the sync itself (the work email, the lifecycle, the manager and the HR extension) and cannot be mapped`
          : `unknown attribute ${entry.attribute}: not a writable core or enterprise User attribute nor one the tenant declared`,
      );
      continue;
    }
    if (seen.has(attr.path)) {
      fail(`${attr.path} is mapped more than once`);
      continue;
    }
    seen.add(attr.path);
    const problem = sourceProblem(entry, attr);
    if (problem) fail(problem);
    else entries.push({ attribute: attr.path, source: entry.source });
  }
  if (problems.length > 0) return { ok: false, problems };
  const canonical = { attributes: entries };
  return { ok: true, mapping: canonical, compiled: compileMapping(canonical, (path) => catalogue.get(path.toLowerCase())!) };
}

function sourceProblem({ source }: MappingEntry, attr: MappableAttribute): string | undefined {
  switch (source.kind) {
    case 'field': {
      const kind = fieldKind(source.field);
      if ('error' in kind) return kind.error;
      const fits: Record<typeof kind.kind, MappableAttribute['type'][]> = {
        string: ['string', 'reference'],
        date: ['string', 'dateTime'],
        number: ['string', 'integer', 'decimal'],
      };
      if (!fits[kind.kind].includes(attr.type)) return `type mismatch: employee field ${source.field} is ${article(kind.kind)}, ${attr.path} is ${article(attr.type)}`;
      if (kind.list && !attr.multiValued && attr.type !== 'string') return `type mismatch: employee field ${source.field} is a list, ${attr.path} holds one ${attr.type}`;
      return undefined;
    }
    case 'raw':
      // A raw field's type is the HR system's; a value that does not fit is reported per person at run time.
      return undefined;
    case 'constant': {
      const coerced = coerce(source.value, attr);
      return coerced.ok ? undefined : `type mismatch: the constant ${coerced.error}`;
    }
    case 'expression':
      try {
        compileExpression(source.expression);
        return undefined;
      } catch (error) {
        return `expression error: ${error instanceof ExpressionError ? error.message : String(error)}`;
      }
    default: {
      const unreachable: never = source;
      return `unknown source ${JSON.stringify(unreachable)}`;
    }
  }
}

const article = (word: string) => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
