import { customFieldsOf } from '../shared/custom-fields.js';
import type { FakeFactorialCompany } from './company.js';

/**
 * The account's custom fields as `/resources/custom_fields/values` lists them: one row per
 * employee and field, the value in the column of the field's type (`value` for text,
 * `single_choice_value` for a choice), `valuable_id` the employee. A field left empty has no row.
 */
export interface FakeCustomFieldValue {
  id: string;
  employeeId: string;
  field: { id: string; identifier: string; label: string; type: 'text' | 'single_choice' };
  value: string;
}

export const badgeFieldIdentifier = 'badge';
export const costCodeFieldIdentifier = 'cost_code';
const badge = { id: '7001', identifier: badgeFieldIdentifier, label: 'Badge', type: 'text' } as const;
const costCode = { id: '7002', identifier: costCodeFieldIdentifier, label: 'Cost code', type: 'single_choice' } as const;

/** Sorted by id, as every Factorial list is; ids follow the employee's so they stay unique and ordered. */
export function customFieldValues(company: FakeFactorialCompany): FakeCustomFieldValue[] {
  const out: FakeCustomFieldValue[] = [];
  for (const e of [...company.list()].sort((a, b) => Number(a.id) - Number(b.id))) {
    const custom = customFieldsOf(e.id);
    if (custom.badge) out.push({ id: `${e.id}1`, employeeId: e.id, field: badge, value: custom.badge });
    out.push({ id: `${e.id}2`, employeeId: e.id, field: costCode, value: custom.costCode });
  }
  return out;
}

export function renderCustomFieldValue(v: FakeCustomFieldValue, write: (id: string | null) => string | null) {
  return {
    id: write(v.id),
    value: v.field.type === 'text' ? v.value : null,
    long_text_value: null,
    custom_field_identifier: v.field.identifier,
    date_value: null,
    single_choice_value: v.field.type === 'single_choice' ? v.value : null,
    cents_value: null,
    valuable_id: write(v.employeeId),
    field_id: write(v.field.id),
    valuable_type: 'Employee',
    label: v.field.label,
    required: false,
  };
}
