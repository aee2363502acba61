import { customFieldsOf } from '../shared/custom-fields.js';
import type { FakeHibobCompany, FakeHibobPerson } from './company.js';

/**
 * How the fake shapes a search result. HiBob sends nested objects and may also send flat
 * `"/work/department": {"value": …}` keys; `mixed` alternates per person so one response
 * needs both readers.
 */
export interface RenderOptions {
  style: 'nested' | 'flat' | 'both' | 'mixed';
  /** How dates look under humanReadable (the service user's display format). */
  humanDates: 'iso' | 'dd/mm/yyyy';
}

type HumanReadable = 'REPLACE' | 'APPEND' | undefined;

/** Every field the fake knows, machine value first, human-readable second. */
function values(company: FakeHibobCompany, p: FakeHibobPerson, dates: RenderOptions['humanDates'], unnamed: ReadonlySet<string>): Record<string, [unknown, unknown]> {
  const manager = p.managerId ? company.get(p.managerId) : undefined;
  const date = (d: string | null) => (d && dates === 'dd/mm/yyyy' ? d.split('-').reverse().join('/') : d);
  const reportsTo = manager
    ? { id: manager.id, email: manager.email, firstName: manager.firstName, surname: manager.surname, displayName: `${manager.firstName} ${manager.surname}` }
    : null;
  const custom = customFieldsOf(p.id);
  const lifecycleHuman = p.lifecycleStatus.charAt(0).toUpperCase() + p.lifecycleStatus.slice(1);
  return {
    'root.id': [p.id, p.id],
    'root.email': [p.email, p.email],
    'root.firstName': [p.firstName, p.firstName],
    'root.surname': [p.surname, p.surname],
    'root.displayName': [`${p.firstName} ${p.surname}`, `${p.firstName} ${p.surname}`],
    'home.privateEmail': [p.privateEmail || null, p.privateEmail || null],
    'work.title': [p.title, p.title],
    // A list item deleted from its list keeps its id on the person but has no display name.
    'work.department': [p.department?.id ?? null, p.department && !unnamed.has(p.department.id) ? p.department.name : null],
    'work.site': [p.site?.id ?? null, p.site && !unnamed.has(p.site.id) ? p.site.name : null],
    'work.siteId': [p.site?.siteId ?? null, p.site?.siteId ?? null],
    'work.startDate': [p.startDate, date(p.startDate)],
    // Human-readable, the manager becomes a display name; a reader must not take it for an id.
    'work.manager': [p.managerId, manager ? `${manager.firstName} ${manager.surname}` : p.managerId],
    'work.reportsTo': [reportsTo, reportsTo],
    'work.employeeIdInCompany': [p.employeeIdInCompany, p.employeeIdInCompany],
    'internal.status': [p.status, p.status],
    'internal.lifecycleStatus': [p.lifecycleStatus, lifecycleHuman],
    'internal.terminationDate': [p.terminationDate, date(p.terminationDate)],
    // A custom category ("Payroll") with a text field and a list field, as HiBob ids them.
    [badgeField]: [custom.badge, custom.badge],
    [costCodeField]: [`list-item-${custom.costCode.toLowerCase()}`, custom.costCode],
  };
}

/** The fake account's custom fields: `custom.<category>.<field id>`, returned only when a search names them. */
export const badgeField = 'custom.category_payroll.field_1718000000001';
export const costCodeField = 'custom.category_payroll.field_1718000000002';

export const knownFields = [
  'root.id', 'root.email', 'root.firstName', 'root.surname', 'root.displayName', 'home.privateEmail', 'work.title',
  'work.department', 'work.site', 'work.siteId', 'work.startDate', 'work.manager', 'work.reportsTo',
  'work.employeeIdInCompany', 'internal.status', 'internal.lifecycleStatus', 'internal.terminationDate',
  badgeField, costCodeField,
];

/** One person as a search returns them: requested, visible fields only, shaped per the options. */
export function renderPerson(
  company: FakeHibobCompany,
  p: FakeHibobPerson,
  index: number,
  request: { fields: readonly string[]; humanReadable: HumanReadable; hidden: ReadonlySet<string> },
  options: RenderOptions,
  unnamed: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const all = values(company, p, options.humanDates, unnamed);
  const fields = request.fields.filter((f) => f in all && !request.hidden.has(f));
  const style = options.style === 'mixed' ? (index % 2 === 0 ? 'nested' : 'flat') : options.style;
  const pick = (f: string) => all[f]![request.humanReadable === 'REPLACE' ? 1 : 0];
  const out: Record<string, unknown> = {};
  if (style !== 'flat') Object.assign(out, nest(fields, pick));
  if (style !== 'nested') for (const f of fields) out[`/${f.replace(/\./g, '/')}`] = { value: pick(f) };
  if (request.humanReadable === 'APPEND') out.humanReadable = nest(fields, (f) => all[f]![1]);
  return out;
}

/** Root fields sit at the top level; the rest under their category (custom ones two deep). */
function nest(fields: readonly string[], value: (field: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const parts = f.split('.');
    const path = parts[0] === 'root' ? parts.slice(1) : parts;
    let at = out;
    for (const part of path.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]!] = value(f);
  }
  return out;
}
