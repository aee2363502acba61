import { createFaultPlan, type FaultPlan } from '../shared/faults.js';
import { createRateLimiter, type RateLimiter } from '../shared/rate-limit.js';
import { countRequests, startFakeServer, type FakeRequest, type Reply, type RequestRecord } from '../shared/server.js';
import type { FakeWorkdayCompany, FakeWorker } from './company.js';
import { generateCompany } from './generate.js';
import { renderReportRow, renderWorker, type RenderVariants, type ReportVariants } from './render.js';
import { faultsOf, readEnvelope, soapReply, text, type Node } from './soap.js';

export const defaultUser = { username: 'ISU_Rollcall@acme', password: 'Wd-S3cret&<pass>' };
/** An integration system user whose security group has no worker domains. */
export const noAccessUser = { username: 'ISU_NoAccess@acme', password: 'no-access-pass' };
export const reportOwner = 'ISU_Rollcall';
export const reportName = 'Rollcall_Workers';
export const reportPath = (tenant: string) => `/ccx/service/customreport2/${tenant}/${reportOwner}/${reportName}`;
export const soapPath = (tenant: string, version = 'v44.0') => `/ccx/service/${tenant}/Human_Resources/${version}`;

export interface FakeWorkdayOptions {
  company?: FakeWorkdayCompany;
  /** Integration system users: name → password and whether its security group grants the worker domains. */
  users?: Record<string, { password: string; domains: boolean }>;
  now?: () => number;
  /** Workday publishes no limit (?): requests a minute before a 429 with Retry-After; false: none. */
  perMinute?: number | false;
  render?: RenderVariants;
  report?: ReportVariants;
}

/** What one Get_Workers request asked for, for assertions. */
export interface WorkersCall {
  username: string;
  page: number;
  count: number;
  asOfEffectiveDate: string;
  asOfEntryDateTime: string | undefined;
  excludeInactive: boolean;
  updated: { from: string; through: string } | undefined;
}

export interface FakeWorkday {
  url: string;
  company: FakeWorkdayCompany;
  faults: FaultPlan;
  calls: WorkersCall[];
  requests: RequestRecord[];
  counts(): ReturnType<typeof countRequests>;
  resetCounts(): void;
  close(): Promise<void>;
}

const supportedVersion = (v: string) => {
  const parts = v.startsWith('v') ? v.slice(1).split('.') : [];
  const major = Number(parts[0]);
  return parts.length === 2 && Number.isInteger(major) && major >= 30 && major <= 45 && /^\d$/.test(parts[1]!);
};
const bool = (v: unknown, fallback: boolean) => {
  const s = text(v)?.trim().toLowerCase();
  return s === undefined ? fallback : s === '1' || s === 'true';
};
const obj = (v: unknown): Node | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Node) : undefined);

/** Workday's Human_Resources SOAP service and a RaaS report, on 127.0.0.1. */
export async function startFakeWorkday(options: FakeWorkdayOptions = {}): Promise<FakeWorkday> {
  const now = options.now ?? Date.now;
  const company = options.company ?? generateCompany({ seed: 1, size: 40 });
  const users = new Map(Object.entries(options.users ?? { [defaultUser.username]: { password: defaultUser.password, domains: true }, [noAccessUser.username]: { password: noAccessUser.password, domains: false } }));
  const limiter: RateLimiter | undefined = options.perMinute ? createRateLimiter({ limit: options.perMinute, now }) : undefined;
  const calls: WorkersCall[] = [];

  function getWorkers(req: FakeRequest, tenant: string, version: string): Reply {
    if (tenant !== company.tenant) return { status: 404, body: 'Not Found' };
    if (!supportedVersion(version)) return faultsOf.validation(`Invalid request service version: ${version}`);
    const envelope = readEnvelope(req.body);
    if (!envelope) return faultsOf.validation('The request is not a well-formed SOAP envelope.');
    const user = envelope.username ? users.get(envelope.username) : undefined;
    const passwordText = envelope.passwordType?.endsWith('#PasswordText') ?? false;
    const sameTenant = envelope.username?.split('@')[1] === tenant;
    if (!user || !passwordText || !sameTenant || envelope.password !== user.password) return faultsOf.authentication();
    if (!user.domains) return faultsOf.notAuthorized();
    if (envelope.operation !== 'Get_Workers_Request') return faultsOf.validation(`The operation ${envelope.operation ?? '(none)'} is not supported by this service.`);
    const body = envelope.body!;
    const criteria = obj(body.Request_Criteria);
    const filter = obj(body.Response_Filter);
    const range = obj(obj(criteria?.Transaction_Log_Criteria_Data)?.Transaction_Date_Range_Data);
    const page = Number(text(filter?.Page) ?? 1);
    const count = Number(text(filter?.Count) ?? 100);
    if (!Number.isInteger(page) || page < 1) return faultsOf.validation('Page must be a positive whole number.', 'Response_Filter/Page');
    if (!Number.isInteger(count) || count < 1 || count > 999) return faultsOf.validation('Count must be between 1 and 999.', 'Response_Filter/Count');
    const asOf = (text(filter?.As_Of_Effective_Date) ?? company.today).slice(0, 10);
    const from = text(range?.Updated_From);
    const through = text(range?.Updated_Through);
    if (range && (!from || !through || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(through)))) {
      return faultsOf.validation('Updated_From and Updated_Through must both be datetimes.', 'Transaction_Date_Range_Data');
    }
    const call: WorkersCall = {
      username: envelope.username!, page, count, asOfEffectiveDate: asOf, asOfEntryDateTime: text(filter?.As_Of_Entry_DateTime),
      excludeInactive: bool(criteria?.Exclude_Inactive_Workers, false), updated: range ? { from: from!, through: through! } : undefined,
    };
    calls.push(call);
    const excludeEmployees = bool(criteria?.Exclude_Employees, false);
    const excludeContingent = bool(criteria?.Exclude_Contingent_Workers, false);
    const window = call.updated ? { from: Date.parse(call.updated.from), through: Date.parse(call.updated.through) } : undefined;
    // Effective-dated: a hire not yet effective on As_Of_Effective_Date is not a worker yet.
    const matching = company.list().filter((w: FakeWorker) =>
      w.hireDate <= asOf &&
      !(call.excludeInactive && company.terminatedAsOf(w, asOf)) &&
      !(excludeEmployees && !w.contingent) &&
      !(excludeContingent && w.contingent) &&
      (!window || (Date.parse(w.updatedAt) > window.from && Date.parse(w.updatedAt) <= window.through)));
    const totalPages = Math.ceil(matching.length / count);
    const slice = matching.slice((page - 1) * count, page * count);
    const results = `<wd:Response_Results><wd:Total_Results>${matching.length}</wd:Total_Results><wd:Total_Pages>${totalPages}</wd:Total_Pages><wd:Page_Results>${slice.length}</wd:Page_Results><wd:Page>${page}</wd:Page></wd:Response_Results>`;
    const data = slice.length ? `<wd:Response_Data>${slice.map((w) => renderWorker(company, w, asOf, options.render)).join('')}</wd:Response_Data>` : '';
    return soapReply(`<wd:Get_Workers_Response xmlns:wd="urn:com.workday/bsvc" wd:version="${version}"><wd:Response_Filter><wd:As_Of_Effective_Date>${asOf}</wd:As_Of_Effective_Date><wd:Page>${page}</wd:Page><wd:Count>${count}</wd:Count></wd:Response_Filter>${results}${data}</wd:Get_Workers_Response>`);
  }

  function report(req: FakeRequest, tenant: string, owner: string, name: string): Reply {
    const header = String(req.headers.authorization ?? '');
    const basic = header.toLowerCase().startsWith('basic ') ? Buffer.from(header.slice(6).trim(), 'base64').toString('utf8') : '';
    const colon = basic.indexOf(':');
    const login = colon > 0 ? basic.slice(0, colon) : '';
    // RaaS accepts the user with or without its @tenant.
    const user = users.get(login.includes('@') ? login : `${login}@${tenant}`);
    if (!user || basic.slice(colon + 1) !== user.password) return { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="Workday"' }, body: 'Unauthorized' };
    if (tenant !== company.tenant || owner !== reportOwner || name !== reportName) return { status: 404, body: 'Not Found' };
    if (!user.domains) return { status: 403, body: 'The task submitted is not authorized.' };
    const rows = company.list().map((w) => renderReportRow(company, w, options.report));
    if (req.query.get('format') !== 'json') {
      const cell = (k: string, v: unknown) => `<wd:${k}>${String(Array.isArray(v) ? (v[0] as Node).Descriptor : v).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</wd:${k}>`;
      const entries = rows.map((r) => `<wd:Report_Entry>${Object.entries(r).map(([k, v]) => cell(k, v)).join('')}</wd:Report_Entry>`).join('');
      return { status: 200, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, body: `<?xml version="1.0" encoding="UTF-8"?><wd:Report_Data xmlns:wd="urn:com.workday.report/${name}">${entries}</wd:Report_Data>` };
    }
    const entry = options.report?.singleAsObject && rows.length === 1 ? rows[0] : rows;
    return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(rows.length === 0 && options.report?.singleAsObject ? {} : { Report_Entry: entry }) };
  }

  function handle(req: FakeRequest): Reply {
    const parts = req.path.split('/').filter(Boolean);
    if (limiter) {
      const verdict = limiter.hit();
      if (!verdict.allowed) return { status: 429, headers: { 'Retry-After': String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))) }, body: 'Too Many Requests' };
    }
    if (parts[0] === 'ccx' && parts[1] === 'service' && parts[2] === 'customreport2' && parts.length === 6) {
      if (req.method !== 'GET') return { status: 405, body: 'Method Not Allowed' };
      return report(req, parts[3]!, parts[4]!, parts[5]!);
    }
    if (parts[0] === 'ccx' && parts[1] === 'service' && parts[3] === 'Human_Resources' && parts.length === 5) {
      if (req.method !== 'POST') return { status: 405, body: 'Method Not Allowed' };
      return getWorkers(req, parts[2]!, parts[4]!);
    }
    return { status: 404, body: 'Not Found' };
  }

  const faults = createFaultPlan();
  const server = await startFakeServer({ faults, endpointOf, handle });
  return {
    url: server.url,
    company,
    faults,
    calls,
    requests: server.requests,
    counts: () => countRequests(server.requests),
    resetCounts() {
      server.requests.splice(0);
      calls.splice(0);
    },
    close: server.close,
  };
}

function endpointOf(req: FakeRequest): string {
  if (req.path.includes('/customreport2/')) return 'report';
  if (req.path.includes('/Human_Resources/')) return 'Get_Workers';
  return 'other';
}
