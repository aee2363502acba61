import { z } from 'zod';

/**
 * What every connector produces, whatever the HR system (docs/hr-apis.md, "Normalised
 * employee"). Absent values are `null`, never `""`: connectors translate each system's
 * spelling of "empty" so the sync planner only ever sees one.
 */
export const employeeStatuses = ['active', 'pending', 'leave', 'inactive'] as const;
export const employeeStatusSchema = z.enum(employeeStatuses);
export type EmployeeStatus = z.infer<typeof employeeStatusSchema>;

const isoDate = z.iso.date().nullable();
const text = z.string().min(1).nullable();

/** A department, team or location: some systems give ids, BambooHR only names. */
export const namedRefSchema = z.object({ remoteId: z.string().min(1).optional(), name: z.string().min(1) });
export type NamedRef = z.infer<typeof namedRefSchema>;

export const costCenterSchema = z.object({
  remoteId: z.string().min(1).optional(),
  name: z.string().min(1),
  /** Share of the person's cost in percent (0–100), as Personio reports it. */
  weight: z.number().min(0).max(100),
});
export type CostCenter = z.infer<typeof costCenterSchema>;

export const bankAccountSchema = z.object({
  iban: z.string().min(1).optional(),
  bic: z.string().min(1).optional(),
  holder: z.string().min(1).optional(),
});
export type BankAccount = z.infer<typeof bankAccountSchema>;

export const normalisedEmployeeSchema = z.object({
  /** Stable per system; the sync links on it first. */
  remoteId: z.string().min(1),
  employeeNumber: text,
  /** As written in HR (trimmed); the planner compares case-insensitively. Not format-checked:
   *  a malformed address is the planner's call, not a reason to drop the person. */
  workEmail: text,
  personalEmail: text,
  firstName: text,
  lastName: text,
  preferredName: text,
  /** Never empty: preferred or first name plus last name, else the email, else the remote id. */
  displayName: z.string().min(1),
  status: employeeStatusSchema,
  /** The system's own status value(s), for display and filters. */
  rawStatus: text,
  startDate: isoDate,
  terminationDate: isoDate,
  /** Always the manager's `remoteId`, even when the system names the manager otherwise. */
  managerRemoteId: text,
  department: namedRefSchema.nullable(),
  team: namedRefSchema.nullable(),
  workLocation: namedRefSchema.nullable(),
  jobTitle: text,
  costCenters: z.array(costCenterSchema),
  bankAccount: bankAccountSchema.nullable(),
  /** ISO timestamp of the last change in HR, when the system tells us. */
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
  /** The record as received, for debugging and custom field mapping. */
  raw: z.record(z.string(), z.unknown()),
});
export type NormalisedEmployee = z.infer<typeof normalisedEmployeeSchema>;

/**
 * A problem with one HR record. `dropped: true` means the record is not in the page (no id,
 * duplicate id, unparseable); `dropped: false` means it is, minus what the reason names
 * (e.g. a manager that could not be resolved).
 */
export const recordErrorCodes = ['invalid_record', 'duplicate_record', 'unresolved_manager', 'ambiguous_manager'] as const;
export type RecordErrorCode = (typeof recordErrorCodes)[number];
export interface RecordError {
  remoteId: string | null;
  code: RecordErrorCode;
  reason: string;
  dropped: boolean;
}

/**
 * One chunk of a run. `complete` is the same on every page of a run:
 * - `true`: the run is a full snapshot. Once the iteration finishes without throwing, anyone
 *   absent from all its pages has left the HR system (treat as deleted).
 * - `false`: the run is incremental (only what changed since a point in time). Absence means
 *   "unchanged"; removals are listed in `removedRemoteIds`.
 * A run that throws part-way is never a snapshot, whatever `complete` said.
 */
export interface EmployeePage {
  employees: NormalisedEmployee[];
  errors: RecordError[];
  complete: boolean;
  removedRemoteIds?: string[];
  /** Run-level notes for the admin, e.g. a field the credential may not see (all values null). */
  warnings?: string[];
}

export const validationFailureKinds = ['invalid_credentials', 'missing_permission', 'unreachable', 'rate_limited'] as const;
export type ValidationFailureKind = (typeof validationFailureKinds)[number];

export type ValidationResult =
  | { ok: true; warnings: string[] }
  | { ok: false; kind: ValidationFailureKind; message: string; retryable: boolean };

export interface EmployeesOptions {
  signal?: AbortSignal;
  /** Only people changed since this ISO timestamp (connectors with `incremental`); pages then say `complete: false`. */
  updatedSince?: string;
  /**
   * Dotted paths into `NormalisedEmployee.raw` that the connection's attribute mapping and scope
   * rules read (e.g. `customFields.badge`). A connector that asks its HR system for a list of
   * fields must include these in the request, so they are present in `raw`; others may ignore it.
   * Absent or empty: only what the connector reads by default.
   */
  rawFields?: string[];
}

export interface Connector<Credentials = unknown> {
  /** The provider's name in the registry (`registry.ts`). */
  readonly name: string;
  /** Parses what an admin types (and what is stored) into the credentials this connector uses. */
  readonly credentialsSchema: z.ZodType<Credentials>;
  /** One cheap authenticated call. Never throws for HR-side failures: they come back as a kind. */
  validate(opts?: { signal?: AbortSignal }): Promise<ValidationResult>;
  /** Can list only the people changed since a time (`updatedSince`); others always read everyone. */
  readonly incremental?: boolean;
  /**
   * Pages of normalised employees, managers already resolved to remote ids. Throws an
   * `HttpError` (with `retryable`) when the HR system fails; one bad record never throws.
   */
  employees(opts?: EmployeesOptions): AsyncIterable<EmployeePage>;
}
