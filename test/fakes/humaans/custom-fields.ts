import { customFieldsOf } from '../shared/custom-fields.js';

/**
 * The account's custom fields as Humaans lists them: definitions in `/custom-fields`, one value
 * per person and field in `/custom-values` (`personId`, `customFieldId`, `value`). A field
 * left empty has no value row.
 */
export const badgeCustomField = { id: 'cf3Lb9dXqg1Kx2aT', name: 'Badge', type: 'text' } as const;
export const costCodeCustomField = { id: 'cf7Rm2pYwz4Nc8eV', name: 'Cost code', type: 'select' } as const;

export function customFieldRows(companyId: string): Record<string, unknown>[] {
  return [badgeCustomField, costCodeCustomField].map((f) => ({ ...f, companyId, section: 'employment', createdAt: '2024-01-10T09:00:00.000Z', updatedAt: '2024-01-10T09:00:00.000Z' }));
}

export function customValueRows(companyId: string, personIds: readonly string[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const personId of personIds) {
    const custom = customFieldsOf(personId);
    const row = (field: { id: string }, value: string) => ({ id: `cv${field.id.slice(2, 6)}${personId}`, companyId, personId, customFieldId: field.id, value, createdAt: '2024-01-10T09:00:00.000Z', updatedAt: '2024-01-10T09:00:00.000Z' });
    if (custom.badge) rows.push(row(badgeCustomField, custom.badge));
    rows.push(row(costCodeCustomField, custom.costCode));
  }
  return rows;
}
