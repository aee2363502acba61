import type { CostCenter, EmployeeStatus, NamedRef, RecordError } from '../../contract.js';
import type { Unresolved } from '../../managers.js';
import { applyDateRules, statusFromLabel } from '../../status.js';
import { cleanDate, cleanText, displayNameOf } from '../../values.js';
import { collectBankAccount, customFieldsFrom, timestamp } from '../values.js';
import { v1AttributeSchema, v1EmployeeSchema, v1RefSchema, v1SupervisorSchema, type V1Attribute } from './schema.js';

export interface V1MapContext {
  today: string;
  /** Bank fields and the custom attribute (key, label or universal id) each comes from. */
  bank: ReadonlyArray<['iban' | 'bic' | 'holder', string]>;
  /** Custom attributes a mapping reads, copied to `raw.customFields.<name>` (see values.ts). */
  customFields?: readonly string[] | undefined;
}

/**
 * One `/v1/company/employees` record → a normalised employee. The supervisor is given by
 * employee id, which is already the manager's remoteId. An attribute the credential may not
 * read is absent from the record; that reads as null, never as an error.
 */
export function mapV1Employee(record: unknown, ctx: V1MapContext): Unresolved | RecordError {
  const parsed = v1EmployeeSchema.safeParse(record);
  if (!parsed.success) return invalid('record has no attributes object');
  const attrs = unwrapAll(parsed.data.attributes);
  const remoteId = cleanText(value(attrs, 'id'));
  if (remoteId === null) return invalid('record has no employee id');

  const firstName = cleanText(value(attrs, 'first_name'));
  const lastName = cleanText(value(attrs, 'last_name'));
  const preferredName = cleanText(value(attrs, 'preferred_name'));
  const workEmail = cleanText(value(attrs, 'email'));
  const rawStatus = cleanText(value(attrs, 'status'));
  const startDate = cleanDate(value(attrs, 'hire_date'));
  // The contract end when known; otherwise the last day worked is the best we have.
  const terminationDate = cleanDate(value(attrs, 'termination_date')) ?? cleanDate(value(attrs, 'last_working_day'));
  const managerRemoteId = supervisorId(value(attrs, 'supervisor'));
  const custom = [...attrs].map(([key, a]) => ({ key, label: a.label, universalId: a.universal_id, value: a.value }));

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
      status: applyDateRules(v1Status(rawStatus), { startDate, terminationDate }, ctx.today),
      rawStatus,
      startDate,
      terminationDate,
      managerRemoteId,
      department: namedRef(value(attrs, 'department')),
      team: namedRef(value(attrs, 'team')),
      workLocation: namedRef(value(attrs, 'office')),
      jobTitle: cleanText(value(attrs, 'position')),
      costCenters: costCenters(value(attrs, 'cost_centers')),
      bankAccount: collectBankAccount(custom, ctx.bank),
      updatedAt: timestamp(value(attrs, 'last_modified_at')),
      raw: { ...(parsed.data as Record<string, unknown>), ...customFieldsFrom(custom, ctx.customFields) },
    },
    manager: { remoteId: managerRemoteId },
  };
}

/** onboarding | active | leave | inactive; anything else is read by its words, else active. */
export function v1Status(raw: string | null): EmployeeStatus {
  switch (raw?.toLowerCase()) {
    case 'onboarding':
      return 'pending';
    case 'active':
      return 'active';
    case 'leave':
      return 'leave';
    case 'inactive':
      return 'inactive';
    default:
      return statusFromLabel(raw) ?? 'active';
  }
}

type Unwrapped = Map<string, V1Attribute>;

/** Keeps the attribute objects (label and universal id are needed to find custom attributes). */
function unwrapAll(attributes: Record<string, unknown>): Unwrapped {
  const out: Unwrapped = new Map();
  for (const [key, raw] of Object.entries(attributes)) {
    const attr = v1AttributeSchema.safeParse(raw);
    // A bare value (seen in nested objects and old accounts) is its own attribute.
    const wrapped = typeof raw === 'object' && raw !== null && 'value' in raw;
    out.set(key, wrapped && attr.success ? attr.data : { value: raw });
  }
  return out;
}

function value(attrs: Unwrapped, key: string): unknown {
  return attrs.get(key)?.value;
}

function supervisorId(raw: unknown): string | null {
  const parsed = v1SupervisorSchema.safeParse(raw);
  if (!parsed.success) return null;
  const id = parsed.data.attributes.id;
  return cleanText(typeof id === 'object' && id !== null ? id.value : id);
}

function namedRef(raw: unknown): NamedRef | null {
  // A team or department may also come back as a plain name on some accounts.
  if (typeof raw === 'string') return cleanText(raw) === null ? null : { name: cleanText(raw)! };
  const parsed = v1RefSchema.safeParse(raw);
  if (!parsed.success) return null;
  const name = cleanText(parsed.data.attributes.name);
  if (name === null) return null;
  const remoteId = cleanText(parsed.data.attributes.id);
  return remoteId === null ? { name } : { remoteId, name };
}

function costCenters(raw: unknown): CostCenter[] {
  if (!Array.isArray(raw)) return [];
  const out: CostCenter[] = [];
  for (const item of raw) {
    const parsed = v1RefSchema.safeParse(item);
    const name = parsed.success ? cleanText(parsed.data.attributes.name) : null;
    if (!parsed.success || name === null) continue;
    const remoteId = cleanText(parsed.data.attributes.id);
    // A single cost center without a percentage carries all of the cost.
    const weight = Math.min(100, Math.max(0, parsed.data.attributes.percentage ?? (raw.length === 1 ? 100 : 0)));
    out.push(remoteId === null ? { name, weight } : { remoteId, name, weight });
  }
  return out;
}

function invalid(reason: string): RecordError {
  return { remoteId: null, code: 'invalid_record', reason, dropped: true };
}
