import type { CostCenter, EmployeeStatus, NamedRef, RecordError } from '../../contract.js';
import type { Unresolved } from '../../managers.js';
import { applyDateRules, statusFromLabel } from '../../status.js';
import { cleanDate, cleanText, displayNameOf } from '../../values.js';
import { collectBankAccount, customFieldsFrom, latest, timestamp, type CustomAttribute } from '../values.js';
import type { OrgUnitRef } from './org-units.js';
import { v2CustomAttributeSchema, v2EmploymentSchema, v2PersonSchema, type V2Employment, type V2Person } from './schema.js';

export interface V2MapContext {
  today: string;
  bank: ReadonlyArray<['iban' | 'bic' | 'holder', string]>;
  /** Names of org units (departments, teams) looked up by type and id; null when Personio gave none. */
  orgUnitName(unit: OrgUnitRef): string | null;
  /** Custom attributes a mapping reads, copied to `raw.customFields.<id>` (see ../values.ts). */
  customFields?: readonly string[] | undefined;
}

export function parsePerson(raw: unknown): V2Person | RecordError {
  const parsed = v2PersonSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return { remoteId: null, code: 'invalid_record', reason: 'person has no id', dropped: true };
}

/**
 * The employment that decides a person's state: Personio lists the most recent first. A later
 * start date further down still wins, so a re-hire is never hidden behind an old contract.
 */
export function currentEmployment(items: readonly unknown[]): V2Employment | null {
  let best: V2Employment | null = null;
  for (const item of items) {
    const parsed = v2EmploymentSchema.safeParse(item);
    if (!parsed.success) continue;
    const start = cleanDate(parsed.data.employment_start_date);
    const bestStart = best ? cleanDate(best.employment_start_date) : null;
    if (best === null || (start !== null && bestStart !== null && start > bestStart)) best = parsed.data;
  }
  return best;
}

/** A person and their current employment → a normalised employee; the supervisor is a person id. */
export function mapV2Person(person: V2Person, employment: V2Employment | null, ctx: V2MapContext): Unresolved {
  const remoteId = person.id;
  const firstName = cleanText(person.first_name);
  const lastName = cleanText(person.last_name);
  const preferredName = cleanText(person.preferred_name);
  const workEmail = cleanText(person.email);
  const startDate = cleanDate(employment?.employment_start_date);
  const terminationDate = cleanDate(employment?.termination?.termination_date);
  const rawStatus = cleanText(employment?.status) ?? cleanText(person.status);
  const managerRemoteId = cleanText(employment?.supervisor?.id);
  const units = employment?.org_units ?? [];
  const custom = customAttributes(person);

  return {
    employee: {
      remoteId,
      employeeNumber: null,
      workEmail,
      personalEmail: null,
      firstName,
      lastName,
      preferredName,
      displayName: displayNameOf({ firstName, lastName, preferredName, workEmail, remoteId }),
      status: applyDateRules(v2Status(rawStatus), { startDate, terminationDate }, ctx.today),
      rawStatus,
      startDate,
      terminationDate,
      managerRemoteId,
      department: orgUnit(units, 'department', ctx),
      team: orgUnit(units, 'team', ctx),
      workLocation: named(employment?.office?.id, employment?.office?.name),
      jobTitle: cleanText(employment?.position?.title),
      costCenters: costCenters(employment?.cost_centers ?? []),
      bankAccount: collectBankAccount(custom, ctx.bank),
      updatedAt: latest(timestamp(person.updated_at), timestamp(employment?.updated_at)),
      // `custom_attributes` is a list, which a dotted path cannot index: the asked-for ones are keyed.
      raw: { person, employment, ...customFieldsFrom(custom, ctx.customFields) },
    },
    manager: { remoteId: managerRemoteId },
  };
}

/** Employment ACTIVE | INACTIVE | ONBOARDING | LEAVE; a person without one has ACTIVE | INACTIVE. */
export function v2Status(raw: string | null): EmployeeStatus {
  switch (raw?.toUpperCase()) {
    case 'ACTIVE':
      return 'active';
    case 'INACTIVE':
      return 'inactive';
    case 'ONBOARDING':
      return 'pending';
    case 'LEAVE':
      return 'leave';
    default:
      return statusFromLabel(raw) ?? 'active';
  }
}

/** The unnamed org units a page of employments names, for one batched name lookup. */
export function orgUnitIds(employments: ReadonlyArray<V2Employment | null>): OrgUnitRef[] {
  const units = new Map<string, OrgUnitRef>();
  for (const e of employments) {
    for (const u of e?.org_units ?? []) {
      const type = u.type?.toLowerCase();
      if ((type === 'department' || type === 'team') && !cleanText(u.name)) units.set(`${type}:${u.id}`, { type, id: u.id });
    }
  }
  return [...units.values()];
}

function orgUnit(units: NonNullable<V2Employment['org_units']>, type: 'department' | 'team', ctx: V2MapContext): NamedRef | null {
  const unit = units.find((u) => u.type?.toLowerCase() === type);
  if (!unit) return null;
  return named(unit.id, cleanText(unit.name) ?? ctx.orgUnitName({ type, id: unit.id }));
}

/** v2 often gives only an id; the id stands in for the name rather than dropping the reference. */
function named(id: unknown, name: unknown): NamedRef | null {
  const remoteId = cleanText(id);
  const label = cleanText(name) ?? remoteId;
  if (label === null) return null;
  return remoteId === null ? { name: label } : { remoteId, name: label };
}

function costCenters(items: NonNullable<V2Employment['cost_centers']>): CostCenter[] {
  const out: CostCenter[] = [];
  for (const c of items) {
    const ref = named(c.id, c.name);
    if (!ref) continue;
    const weight = Math.min(100, Math.max(0, c.weight ?? (items.length === 1 ? 100 : 0)));
    out.push({ ...ref, weight });
  }
  return out;
}

function customAttributes(person: V2Person): CustomAttribute[] {
  const out: CustomAttribute[] = [];
  for (const raw of person.custom_attributes ?? []) {
    const attr = v2CustomAttributeSchema.safeParse(raw);
    if (attr.success) out.push({ key: attr.data.id, label: attr.data.label, universalId: attr.data.global_id, value: attr.data.value });
  }
  return out;
}
