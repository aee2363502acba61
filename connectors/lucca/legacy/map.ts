import type { CostCenter, NamedRef, RecordError } from '../../contract.js';
import type { Unresolved } from '../../managers.js';
import { applyDateRules } from '../../status.js';
import { cleanDate, cleanText, displayNameOf } from '../../values.js';
import { axisSectionSchema, legacyUserSchema, type LegacyUser } from './schema.js';

export interface LegacyMapContext {
  today: string;
  costCenterAxisIds: readonly number[];
}

/**
 * One legacy user → a normalised employee whose manager is still a reference. The legacy API has
 * no status field: the contract dates decide (start after today → pending, end before today →
 * inactive, an end date still ahead keeps the person active until then).
 */
export function mapLegacyUser(raw: unknown, ctx: LegacyMapContext): Unresolved | RecordError {
  const parsed = legacyUserSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null ? cleanText((raw as { id?: unknown }).id) : null;
    return { remoteId: id, code: 'invalid_record', reason: id === null ? 'user has no id' : 'user has an unexpected shape', dropped: true };
  }
  const u = parsed.data;
  const remoteId = u.id;
  const firstName = cleanText(u.firstName);
  const lastName = cleanText(u.lastName);
  const workEmail = cleanText(u.mail);
  const startDate = cleanDate(u.dtContractStart);
  const terminationDate = cleanDate(u.dtContractEnd);
  const managerRemoteId = cleanText(u.managerId) ?? cleanText(u.manager?.id);
  return {
    employee: {
      remoteId,
      employeeNumber: cleanText(u.employeeNumber),
      workEmail,
      personalEmail: null,
      firstName,
      lastName,
      preferredName: null,
      // `name` is "Jeanne Martin"; `displayName` is last name first ("Martin Jeanne"), so it is not used.
      displayName: cleanText(u.name) ?? displayNameOf({ firstName, lastName, preferredName: null, workEmail, remoteId }),
      status: applyDateRules('active', { startDate, terminationDate }, ctx.today),
      rawStatus: null,
      startDate,
      terminationDate,
      managerRemoteId,
      department: named(u.department),
      team: null,
      // Establishment (a site) is finer than the legal entity; accounts and renderings differ in which they carry.
      workLocation: named(u.establishment) ?? named(u.legalEntity),
      jobTitle: cleanText(u.jobTitle),
      costCenters: costCenters(u, ctx.costCenterAxisIds),
      bankAccount: null,
      updatedAt: legacyTimestamp(u.modifiedAt ?? u.modifiedOn),
      raw: u,
    },
    manager: { remoteId: managerRemoteId },
  };
}

/**
 * Legacy timestamps carry no zone ("2025-02-03T10:20:06.583"). They are read as UTC: the stamp
 * is informational, and being off by the account's offset is better than dropping it.
 */
export function legacyTimestamp(value: unknown): string | null {
  const text = cleanText(value);
  if (text === null) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return null;
  const zone = m[3] ?? 'Z';
  const iso = `${m[1]}T${m[2]}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

export function named(ref: { id?: string | null | undefined; name?: string | null | undefined } | null | undefined): NamedRef | null {
  const remoteId = cleanText(ref?.id);
  const name = cleanText(ref?.name) ?? remoteId;
  if (name === null) return null;
  return remoteId === null ? { name } : { remoteId, name };
}

/** `userAxisValues_{axisId}`: one section or a list; without percentages the cost is shared equally. */
function costCenters(u: LegacyUser, axisIds: readonly number[]): CostCenter[] {
  const out: CostCenter[] = [];
  for (const axisId of axisIds) {
    const value = (u as Record<string, unknown>)[`userAxisValues_${axisId}`];
    const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
    const sections = list.map((s) => axisSectionSchema.safeParse(s)).filter((s) => s.success).map((s) => s.data);
    for (const s of sections) {
      const ref = named({ id: s.id ?? null, name: s.name ?? s.code ?? null });
      if (!ref) continue;
      const weight = s.percentage ?? 100 / sections.length;
      out.push({ ...ref, weight: Math.min(100, Math.max(0, Math.round(weight * 100) / 100)) });
    }
  }
  return out;
}
