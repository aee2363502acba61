import type { MappableAttribute } from './attributes.js';

/**
 * Turns what a source produced into a value of the attribute's type, the form the directory stores
 * (so comparing it with the stored document on the next run finds no change). `null` means "no
 * value" (the attribute is left out). A value that cannot be one of the type is an error naming it.
 */
export type Coerced = { ok: true; value: unknown } | { ok: false; error: string };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function coerce(value: unknown, attr: Pick<MappableAttribute, 'type' | 'multiValued'>): Coerced {
  if (value === null || value === undefined || value === '') return { ok: true, value: null };
  if (attr.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    const out: unknown[] = [];
    for (const item of items) {
      const one = single(item, attr.type);
      if (!one.ok) return one;
      if (one.value !== null) out.push(one.value);
    }
    return { ok: true, value: out.length > 0 ? out : null };
  }
  if (Array.isArray(value)) {
    const present = value.filter((v) => v !== null && v !== undefined && v !== '');
    if (present.length === 0) return { ok: true, value: null };
    if (present.length === 1) return single(present[0], attr.type);
    // Several values for one string (every cost centre's name): joined, as the directory always did.
    if (attr.type === 'string' && present.every((v) => typeof v === 'string' || typeof v === 'number')) return { ok: true, value: present.join(', ') };
    return { ok: false, error: `a list of ${present.length} values for a single-valued ${attr.type}` };
  }
  return single(value, attr.type);
}

function single(value: unknown, type: MappableAttribute['type']): Coerced {
  if (value === null || value === undefined || value === '') return { ok: true, value: null };
  // Only an error names the value: serialising it for every value of every run costs more than the rest.
  const shown = (): string => JSON.stringify(value)?.slice(0, 60) ?? String(value);
  switch (type) {
    case 'string':
    case 'reference':
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, value: String(value) };
      return { ok: false, error: `${shown()} is not a ${type}` };
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return { ok: true, value: value.toLowerCase() === 'true' };
      return { ok: false, error: `${shown()} is not a boolean` };
    case 'integer': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n === 'number' && Number.isSafeInteger(n)) return { ok: true, value: n };
      return { ok: false, error: `${shown()} is not an integer` };
    }
    case 'decimal': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isFinite(n)) return { ok: true, value: n };
      return { ok: false, error: `${shown()} is not a decimal` };
    }
    case 'dateTime': {
      if (typeof value !== 'string') return { ok: false, error: `${shown()} is not a dateTime` };
      // A date from HR (a start date) is that day at midnight UTC.
      const text = DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value;
      if (DATE_TIME.test(text) && !Number.isNaN(Date.parse(text))) return { ok: true, value: text };
      return { ok: false, error: `${shown()} is not a dateTime (xsd:dateTime, e.g. 2026-03-01T09:00:00Z)` };
    }
    default: {
      const unreachable: never = type;
      return { ok: false, error: `unsupported type ${String(unreachable)}` };
    }
  }
}
