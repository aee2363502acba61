import { customFieldsOf } from '../shared/custom-fields.js';
import type { BambooPerson, FakeBambooCompany } from './company.js';

/** How the fake spells "empty": BambooHR mostly sends "", sometimes null, and "0000-00-00" for dates. */
export interface RenderOptions {
  emptyAs: '' | null | 'mixed';
  emptyDate: '' | '0000-00-00';
}

const fieldTypes: Record<string, { type: string; name: string }> = {
  id: { type: 'int', name: 'EEID' },
  employeeNumber: { type: 'text', name: 'Employee #' },
  firstName: { type: 'text', name: 'First Name' },
  lastName: { type: 'text', name: 'Last Name' },
  preferredName: { type: 'text', name: 'Preferred Name' },
  displayName: { type: 'text', name: 'Display name' },
  workEmail: { type: 'email', name: 'Work Email' },
  homeEmail: { type: 'email', name: 'Home Email' },
  status: { type: 'status', name: 'Status' },
  employmentHistoryStatus: { type: 'list', name: 'Employment Status' },
  hireDate: { type: 'date', name: 'Hire Date' },
  terminationDate: { type: 'date', name: 'Termination Date' },
  supervisor: { type: 'employee', name: 'Reporting to' },
  supervisorEId: { type: 'int', name: 'Supervisor EEID' },
  supervisorId: { type: 'text', name: 'Supervisor ID' },
  supervisorEmail: { type: 'email', name: 'Supervisor email' },
  department: { type: 'list', name: 'Department' },
  division: { type: 'list', name: 'Division' },
  location: { type: 'list', name: 'Location' },
  jobTitle: { type: 'list', name: 'Job Title' },
  lastChanged: { type: 'timestamp', name: 'Last changed' },
  // Account-defined fields: a report returns them only when it names them, like any other.
  customBadge: { type: 'text', name: 'Badge' },
  customCostCode: { type: 'list', name: 'Cost code' },
};

export const knownFields = Object.keys(fieldTypes);

/** Field metadata as `GET /v1/meta/fields` lists it (only what the key may see). */
export function metaFields(visible: (field: string) => boolean) {
  return knownFields.filter(visible).map((alias, i) => ({ id: 4000 + i, name: fieldTypes[alias]!.name, type: fieldTypes[alias]!.type, alias }));
}

/**
 * The custom report body. Unknown fields, and fields the key may not see, are silently left
 * out of both the field list and every row — that is what BambooHR does.
 */
export function renderReport(company: FakeBambooCompany, people: readonly BambooPerson[], requested: readonly string[], visible: (field: string) => boolean, render: RenderOptions) {
  const fields = [...new Set(requested)].filter((f) => f in fieldTypes && visible(f));
  const employees = people.map((p, row) => {
    const manager = p.supervisorEId ? company.get(p.supervisorEId) : undefined;
    const out: Record<string, string | null> = {};
    for (const field of fields) {
      const value = valueOf(p, field, manager);
      out[field] = value !== '' ? value : emptyValue(field, row, render);
    }
    return out;
  });
  return {
    title: 'rollcall',
    fields: fields.map((id) => ({ id, type: fieldTypes[id]!.type, name: fieldTypes[id]!.name })),
    employees,
  };
}

function valueOf(p: BambooPerson, field: string, manager: BambooPerson | undefined): string {
  switch (field) {
    case 'supervisorId':
      return manager?.employeeNumber ?? '';
    case 'supervisorEmail':
      return manager?.workEmail ?? '';
    case 'supervisor':
      return manager ? `${manager.lastName}, ${manager.firstName}` : '';
    case 'customBadge':
      return customFieldsOf(p.id).badge ?? '';
    case 'customCostCode':
      return customFieldsOf(p.id).costCode;
    case 'displayName':
      return `${p.preferredName || p.firstName} ${p.lastName}`;
    default:
      return String((p as unknown as Record<string, string>)[field] ?? '');
  }
}

function emptyValue(field: string, row: number, render: RenderOptions): string | null {
  if ((field === 'hireDate' || field === 'terminationDate') && render.emptyDate) return render.emptyDate;
  if (render.emptyAs === 'mixed') return row % 2 === 0 ? '' : null;
  return render.emptyAs;
}
