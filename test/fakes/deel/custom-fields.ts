import { customFieldsOf } from '../shared/custom-fields.js';

/**
 * The organisation's people custom fields as Deel lists them: definitions in
 * `/people/custom_fields` (`id`, `name`, `type`, `placement`, …), each worker's values in
 * `/people/{id}/custom_fields`. A field left empty is not among the worker's values.
 */
export const badgeCustomField = { id: '6f1d2c3b-9a8e-4b7c-8d6e-5f4a3b2c1d0e', name: 'Badge', type: 'text' } as const;
export const costCodeCustomField = { id: 'a2b3c4d5-e6f7-4a8b-9c0d-1e2f3a4b5c6d', name: 'Cost code', type: 'list' } as const;

export function customFieldDefinitions(): Record<string, unknown>[] {
  return [badgeCustomField, costCodeCustomField].map((f) => ({ ...f, placement: 'profile', description: null, createdAt: '2024-01-10', settings: {} }));
}

export function customFieldValues(personId: string): Record<string, unknown>[] {
  const custom = customFieldsOf(personId);
  const rows: Record<string, unknown>[] = [];
  if (custom.badge) rows.push({ ...badgeCustomField, value: custom.badge });
  rows.push({ ...costCodeCustomField, value: custom.costCode });
  return rows;
}
