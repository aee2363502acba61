import type { BankAccount } from '../contract.js';
import { cleanText } from '../values.js';
import { attributeMatches } from './schema.js';

/** A custom attribute as both APIs describe it: key or id, label, universal id, value. */
export interface CustomAttribute {
  key: string;
  label?: string | null | undefined;
  universalId?: string | null | undefined;
  value: unknown;
}

/**
 * Bank details from the custom attributes the connection named. IBANs are typed with spaces
 * and in lower case as often as not; the planner compares them, so they are compacted here.
 */
export function collectBankAccount(attributes: Iterable<CustomAttribute>, wanted: ReadonlyArray<['iban' | 'bic' | 'holder', string]>): BankAccount | null {
  if (wanted.length === 0) return null;
  const list = [...attributes];
  const account: BankAccount = {};
  for (const [field, name] of wanted) {
    const attr = list.find((a) => attributeMatches(name, a));
    const text = cleanText(attr?.value);
    if (text === null) continue;
    account[field] = field === 'holder' ? text : text.replace(/\s+/g, '').toUpperCase();
  }
  return Object.keys(account).length ? account : null;
}

/** An ISO timestamp normalised to UTC, or null when absent or unparseable. */
export function timestamp(raw: unknown): string | null {
  const text = cleanText(raw);
  if (text === null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The later of two ISO timestamps (either may be null). */
export function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/**
 * The custom attributes a mapping reads, under the name it used for each (the `dynamic_…` key
 * in v1, the attribute id in v2, the universal id, or the label): `raw.customFields.<name>`.
 * Built only for names asked for, so a run that maps none keeps `raw` as Personio sent it.
 * An attribute the credential may not read is absent, not null.
 */
export function customFieldsFrom(attributes: Iterable<CustomAttribute>, names: readonly string[] | undefined): { customFields?: Record<string, unknown> } {
  if (!names?.length) return {};
  const list = [...attributes];
  const customFields: Record<string, unknown> = {};
  for (const name of names) {
    const attr = list.find((a) => attributeMatches(name, a));
    if (attr) customFields[name] = attr.value ?? null;
  }
  return { customFields };
}
