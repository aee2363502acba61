import { z } from 'zod';
import { hostAllowedBy } from '../descriptor.js';

/** Workday's data-centre hosts: `wd2-impl-services1.workday.com`, `wd5-services1.myworkday.com`, … */
export const workdayHosts = ['*.workday.com', '*.myworkday.com'] as const;

/**
 * An Integration System User (ISU): `ISU_Rollcall@acme` and its password. The same pair signs
 * the SOAP request (WS-Security UsernameToken, PasswordText) and the RaaS report (HTTP Basic).
 */
export const workdayCredentialsSchema = z.object({
  username: z.string().trim().min(1, 'username is required (the integration system user, e.g. ISU_Rollcall@acme)'),
  password: z.string().min(1, 'password is required'),
});
export type WorkdayCredentials = z.output<typeof workdayCredentialsSchema>;
export type WorkdayCredentialsInput = z.input<typeof workdayCredentialsSchema>;

const column = z.string().trim().min(1);

/**
 * Which report column holds which field. Column names are the report's aliases (Workday turns
 * "Email - Work" into `Email_-_Work`), so each can be renamed; a column the report lacks is null.
 */
export const raasColumnsSchema = z
  .object({
    /** The worker's stable id: a WID or Employee_ID column. */
    id: column.default('Employee_ID'),
    employeeId: column.default('Employee_ID'),
    workEmail: column.default('Email_-_Work'),
    personalEmail: column.default('Email_-_Home'),
    firstName: column.default('First_Name'),
    lastName: column.default('Last_Name'),
    preferredName: column.default('Preferred_Name'),
    /** `1`/`0`, `true`/`false`, or a label such as "Active", "Terminated", "On Leave". */
    status: column.default('Active_Status'),
    onLeave: column.default('On_Leave'),
    hireDate: column.default('Hire_Date'),
    terminationDate: column.default('Termination_Date'),
    /** The manager's Employee_ID (or the same kind of id as `id`). */
    managerId: column.default('Manager_ID'),
    department: column.default('Supervisory_Organization'),
    costCenter: column.default('Cost_Center'),
    location: column.default('Location'),
    jobTitle: column.default('Business_Title'),
  })
  .strict();
export type RaasColumns = z.output<typeof raasColumnsSchema>;

/** `/ccx/service/customreport2/{tenant}/{owner}/{report}`, or the whole URL on a Workday host. */
const reportSchema = z
  .string()
  .trim()
  .min(1)
  .refine((value) => {
    if (value.startsWith('/')) return true;
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return url.protocol === 'https:' && hostAllowedBy(workdayHosts, url.hostname) && !url.username && !url.password;
  }, 'the report URL must be a path (/ccx/service/customreport2/…) or an https URL on a Workday host');

export const workdaySettingsSchema = z
  .object({
    /** `soap`: Get_Workers on the Human_Resources service; `raas`: a custom report as JSON. */
    api: z.enum(['soap', 'raas']).default('soap'),
    /** The tenant in the endpoint URL; defaults to what follows `@` in the username. */
    tenant: z.string().trim().regex(/^[A-Za-z0-9_-]+$/, 'a tenant name is letters, digits, _ and -').optional(),
    /** The Human_Resources version in the URL (Workday requires one). */
    version: z.string().trim().regex(/^v\d{2}\.\d$/, 'a version such as v44.0').default('v44.0'),
    /** Workers per Get_Workers page (Response_Filter Count; Workday allows 1–999). */
    pageSize: z.number().int().min(1).max(999).default(500),
    /**
     * Days ahead to read as of (As_Of_Effective_Date): Workday shows a future hire or a
     * termination entered ahead only once it is effective, so reading ahead is how they appear.
     */
    lookaheadDays: z.number().int().min(0).max(365).default(90),
    /** Contingent workers (contractors) as well as employees. */
    contingentWorkers: z.boolean().default(true),
    /** RaaS only: the report and its columns. */
    report: reportSchema.optional(),
    columns: raasColumnsSchema.default(raasColumnsSchema.parse({})),
  })
  .strict()
  .refine((s) => s.api !== 'raas' || s.report !== undefined, { message: 'a RaaS connection needs settings.report (the report URL)', path: ['report'] });
export type WorkdaySettings = z.output<typeof workdaySettingsSchema>;
export type WorkdaySettingsInput = z.input<typeof workdaySettingsSchema>;
