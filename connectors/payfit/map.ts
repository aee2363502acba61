import type { BankAccount, NamedRef, NormalisedEmployee, RecordError } from '../contract.js';
import { cleanText, displayNameOf } from '../values.js';
import { employmentOf } from './employment.js';
import { contractSchema, emailEntrySchema, type PayfitContract } from './schema.js';

/**
 * One collaborator → a normalised employee. `listed` are the person's contracts from the
 * `/contracts` endpoint (job titles live there), undefined when that endpoint was not read.
 * The manager is already a collaborator id, so nothing needs resolving after the read.
 */
export function mapPayfitCollaborator(raw: unknown, today: string, listed?: readonly PayfitContract[]): NormalisedEmployee | RecordError {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return invalid(null, 'record is not an object');
  const r = raw as Record<string, unknown>;
  const remoteId = cleanText(r.id);
  if (remoteId === null) return invalid(null, 'record has no id');

  // Absent or null: the key cannot see contracts. Anything else must be a list of contracts.
  const embedded = r.contracts === undefined || r.contracts === null ? undefined : Array.isArray(r.contracts) ? parseContracts(r.contracts) : null;
  if (embedded === null) return invalid(remoteId, 'contracts is not a list of contracts');
  const contracts = mergeContracts(embedded, listed);
  const employment = employmentOf(contracts, r.terminationDate, today);
  const { work, personal } = emailsOf(r);
  const firstName = cleanText(r.firstName);
  const lastName = cleanText(r.lastName);
  const team = named(r.teamName);
  const managerRemoteId = cleanText(r.managerId);

  return {
    remoteId,
    employeeNumber: cleanText(r.matricule),
    workEmail: work,
    personalEmail: personal,
    firstName,
    lastName,
    preferredName: null,
    displayName: displayNameOf({ firstName, lastName, preferredName: null, workEmail: work, remoteId }),
    status: employment.status,
    rawStatus: employment.rawStatus,
    startDate: employment.startDate,
    terminationDate: employment.terminationDate,
    managerRemoteId: managerRemoteId === remoteId ? null : managerRemoteId,
    // PayFit has teams only (by name); team sync and scope rules read departments, so both carry it.
    department: team,
    team,
    workLocation: establishmentOf(employment.contract),
    jobTitle: cleanText(employment.contract?.jobTitle) ?? cleanText(employment.contract?.jobName),
    costCenters: [],
    bankAccount: bankOf(r),
    updatedAt: null,
    raw: r,
  };
}

/** Null when any entry is not a contract object: the record is then reported, not guessed at. */
function parseContracts(list: readonly unknown[]): PayfitContract[] | null {
  const out: PayfitContract[] = [];
  for (const item of list) {
    const parsed = contractSchema.safeParse(item);
    if (!parsed.success) return null;
    out.push(parsed.data);
  }
  return out;
}

/** Embedded contracts first; the listed ones fill gaps (job title) and add what is missing. */
function mergeContracts(embedded: PayfitContract[] | undefined, listed: readonly PayfitContract[] | undefined): PayfitContract[] | undefined {
  if (listed === undefined || listed.length === 0) return embedded ?? (listed ? [] : undefined);
  if (embedded === undefined) return [...listed];
  const byId = new Map(listed.filter((c) => c.id !== null).map((c) => [c.id!, c]));
  const merged = embedded.map((c) => {
    const other = c.id === null ? undefined : byId.get(c.id);
    if (other) byId.delete(c.id!);
    return other ? { ...other, ...withoutNulls(c) } : c;
  });
  return [...merged, ...listed.filter((c) => c.id === null || byId.has(c.id))];
}

function withoutNulls(c: PayfitContract): Partial<PayfitContract> {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null && v !== undefined)) as Partial<PayfitContract>;
}

/**
 * `emails[]` entries carry a `type` whose exact strings PayFit does not document (?): anything
 * reading "pro"/"work" is the work address, "perso"/"private"/"home" the personal one. The
 * personal address is always present and an untyped lone address is personal (PayFit's docs);
 * flat `professionalEmail`/`personalEmail`/`email` fields are read as a fallback.
 */
export function emailsOf(r: Record<string, unknown>): { work: string | null; personal: string | null } {
  let work: string | null = null;
  let personal: string | null = null;
  const untyped: string[] = [];
  for (const entry of Array.isArray(r.emails) ? r.emails : []) {
    const parsed = emailEntrySchema.safeParse(entry);
    const email = parsed.success ? cleanText(parsed.data.email) : typeof entry === 'string' ? cleanText(entry) : null;
    if (email === null) continue;
    const type = parsed.success ? (parsed.data.type ?? '').toLowerCase() : '';
    if (/pro|work|business|company|corporate/.test(type)) work ??= email;
    else if (/perso|private|home/.test(type)) personal ??= email;
    else untyped.push(email);
  }
  work ??= cleanText(r.professionalEmail) ?? cleanText(r.workEmail);
  personal ??= cleanText(r.personalEmail) ?? cleanText(r.email) ?? untyped[0] ?? null;
  return { work, personal };
}

function establishmentOf(contract: PayfitContract | null): NamedRef | null {
  const e = contract?.establishment;
  if (e === null || e === undefined) return null;
  if (typeof e === 'string') return named(e);
  const name = cleanText(e.name);
  if (name === null) return null;
  const remoteId = cleanText(e.id);
  return remoteId === null ? { name } : { remoteId, name };
}

function bankOf(r: Record<string, unknown>): BankAccount | null {
  const iban = cleanText(r.iban)?.replace(/\s+/g, '').toUpperCase();
  const bic = cleanText(r.bic)?.replace(/\s+/g, '').toUpperCase();
  if (!iban && !bic) return null;
  return { ...(iban ? { iban } : {}), ...(bic ? { bic } : {}) };
}

function named(value: unknown): NamedRef | null {
  const name = cleanText(value);
  return name === null ? null : { name };
}

function invalid(remoteId: string | null, reason: string): RecordError {
  return { remoteId, code: 'invalid_record', reason, dropped: true };
}
