import { customFieldsOf } from '../shared/custom-fields.js';
import type { FakePosition, FakeWorkdayCompany, FakeWorker } from './company.js';

/** How this tenant (or this Workday version) shapes what the documentation leaves open (?). */
export interface RenderVariants {
  /** Organisations under each position (Position_Organizations_Data) or under the worker (Organization_Data). */
  orgs?: 'position' | 'worker';
  /** The management chain under each position or under the worker. */
  chain?: 'position' | 'worker';
  /** Top organisation first (as documented), or the worker's own first (?). */
  chainOrder?: 'top-down' | 'bottom-up';
  /** `Leave_Status_Data/On_Leave` or a bare `On_Leave` flag in Worker_Status_Data (?). */
  leave?: 'nested' | 'flag';
  /** Manager_Reference with WID and Employee_ID, or Employee_ID only (as some integrators read it). */
  managerIds?: 'wid' | 'employee_id';
  /** The primary position listed first (documented) or after the others, still marked (?). */
  primaryFirst?: boolean;
}

const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const t = (name: string, value: string | number) => `<wd:${name}>${esc(String(value))}</wd:${name}>`;
const id = (type: string, value: string) => `<wd:ID wd:type="${type}">${esc(value)}</wd:ID>`;
/** Workday writes dates with the tenant's offset. */
const date = (d: string) => `${d}-08:00`;

function workerRef(c: FakeWorkdayCompany, wid: string, ids: RenderVariants['managerIds']): string {
  const w = c.get(wid);
  const number = w ? id(w.contingent ? 'Contingent_Worker_ID' : 'Employee_ID', w.employeeId) : '';
  return ids === 'employee_id' && w ? number : `${id('WID', wid)}${number}`;
}

function emails(w: FakeWorker): string {
  const one = (address: string, usage: 'WORK' | 'HOME') =>
    `<wd:Email_Address_Data>${t('Email_Address', address)}<wd:Usage_Data wd:Public="${usage === 'WORK' ? 1 : 0}"><wd:Type_Data wd:Primary="1"><wd:Type_Reference>${id('Communication_Usage_Type_ID', usage)}</wd:Type_Reference></wd:Type_Data></wd:Usage_Data></wd:Email_Address_Data>`;
  return (w.workEmail ? one(w.workEmail, 'WORK') : '') + one(w.homeEmail, 'HOME');
}

function organization(orgId: string, name: string, type: 'SUPERVISORY' | 'COST_CENTER'): string {
  return `<wd:Organization_Data>${t('Organization_Reference_ID', orgId)}${t('Organization_Code', orgId)}${t('Organization_Name', name)}<wd:Organization_Type_Reference>${id('Organization_Type_ID', type)}</wd:Organization_Type_Reference></wd:Organization_Data>`;
}

/** The supervisory organisations above a position, top first: each manager's org, up to the top. */
function chainLinks(c: FakeWorkdayCompany, self: FakeWorker, position: FakePosition): Array<{ orgId: string; managerWid: string }> {
  const links: Array<{ orgId: string; managerWid: string }> = [];
  // The top of the organisation sits in the organisation it leads.
  let managerWid: string | null = position.managerId ?? self.wid;
  const seen = new Set<string>();
  while (managerWid && !seen.has(managerWid)) {
    seen.add(managerWid);
    const manager = c.get(managerWid);
    const org = c.orgOf(managerWid);
    if (!manager || !org) break;
    links.unshift({ orgId: org.id, managerWid });
    managerWid = c.primary(manager).managerId;
  }
  return links;
}

function chain(c: FakeWorkdayCompany, w: FakeWorker, position: FakePosition, v: RenderVariants): string {
  const links = chainLinks(c, w, position);
  if (v.chainOrder === 'bottom-up') links.reverse();
  return links
    .map((l) => `<wd:Management_Chain_Data><wd:Organization_Reference>${id('Organization_Reference_ID', l.orgId)}</wd:Organization_Reference><wd:Manager_Reference>${workerRef(c, l.managerWid, v.managerIds)}</wd:Manager_Reference></wd:Management_Chain_Data>`)
    .join('');
}

function supervisoryOf(c: FakeWorkdayCompany, w: FakeWorker, p: FakePosition) {
  return c.orgOf(p.managerId ?? w.wid);
}

function job(c: FakeWorkdayCompany, w: FakeWorker, p: FakePosition, v: RenderVariants): string {
  const sup = supervisoryOf(c, w, p);
  const orgs = v.orgs === 'worker' ? '' : `<wd:Position_Organizations_Data>${sup ? `<wd:Position_Organization_Data>${organization(sup.id, sup.name, 'SUPERVISORY')}</wd:Position_Organization_Data>` : ''}<wd:Position_Organization_Data>${organization(p.costCenter.id, p.costCenter.name, 'COST_CENTER')}</wd:Position_Organization_Data></wd:Position_Organizations_Data>`;
  const chains = v.chain === 'worker' ? '' : `<wd:Position_Management_Chains_Data><wd:Position_Supervisory_Management_Chain_Data>${chain(c, w, p, v)}</wd:Position_Supervisory_Management_Chain_Data></wd:Position_Management_Chains_Data>`;
  return `<wd:Worker_Job_Data wd:Primary_Job="${p.primary ? 1 : 0}"><wd:Position_Data wd:Effective_Date="${date(w.hireDate)}"><wd:Position_Reference>${id('Position_ID', p.positionId)}</wd:Position_Reference>${t('Position_ID', p.positionId)}${t('Position_Title', p.title)}${t('Business_Title', p.title)}${t('Start_Date', date(w.hireDate))}<wd:Job_Profile_Summary_Data>${t('Job_Profile_Name', p.jobProfile)}</wd:Job_Profile_Summary_Data><wd:Business_Site_Summary_Data><wd:Location_Reference>${id('Location_ID', p.location.id)}</wd:Location_Reference>${t('Name', p.location.name)}</wd:Business_Site_Summary_Data></wd:Position_Data>${orgs}${chains}</wd:Worker_Job_Data>`;
}

/** One `<wd:Worker>` as of `asOf` (the request's As_Of_Effective_Date). */
export function renderWorker(c: FakeWorkdayCompany, w: FakeWorker, asOf: string, v: RenderVariants = {}): string {
  const terminated = c.terminatedAsOf(w, asOf);
  const idType = w.contingent ? 'Contingent_Worker_ID' : 'Employee_ID';
  const legal = `<wd:Name_Detail_Data wd:Formatted_Name="${esc(`${w.firstName} ${w.lastName}`)}">${t('First_Name', w.firstName)}${t('Last_Name', w.lastName)}</wd:Name_Detail_Data>`;
  // Workday repeats the legal name as the preferred one when there is none.
  const preferred = `<wd:Name_Detail_Data>${t('First_Name', w.preferredFirstName ?? w.firstName)}${t('Last_Name', w.lastName)}</wd:Name_Detail_Data>`;
  const leave = w.onLeave && !terminated ? (v.leave === 'flag' ? t('On_Leave', 1) : `<wd:Leave_Status_Data>${t('On_Leave', 1)}${t('Leave_Start_Date', date(w.hireDate))}</wd:Leave_Status_Data>`) : v.leave === 'flag' ? t('On_Leave', 0) : '';
  const status = `<wd:Worker_Status_Data>${t('Active', terminated ? 0 : 1)}${t('Hire_Date', date(w.hireDate))}${t('Original_Hire_Date', date(w.originalHireDate))}${t('Terminated', terminated ? 1 : 0)}${w.terminationDate && w.terminationDate < asOf ? t('Termination_Date', date(w.terminationDate)) : ''}${leave}</wd:Worker_Status_Data>`;
  const primary = c.primary(w);
  const ordered = v.primaryFirst === false ? [...w.positions.filter((p) => p !== primary), primary] : [primary, ...w.positions.filter((p) => p !== primary)];
  const jobs = ordered.map((p) => job(c, w, p, v)).join('');
  const sup = supervisoryOf(c, w, primary);
  const workerOrgs = v.orgs === 'worker'
    ? `<wd:Organization_Data>${sup ? `<wd:Worker_Organization_Data>${organization(sup.id, sup.name, 'SUPERVISORY')}</wd:Worker_Organization_Data>` : ''}<wd:Worker_Organization_Data>${organization(primary.costCenter.id, primary.costCenter.name, 'COST_CENTER')}</wd:Worker_Organization_Data></wd:Organization_Data>`
    : '';
  const workerChain = v.chain === 'worker' ? `<wd:Management_Chain_Data><wd:Worker_Supervisory_Management_Chain_Data>${chain(c, w, primary, v)}</wd:Worker_Supervisory_Management_Chain_Data></wd:Management_Chain_Data>` : '';
  return `<wd:Worker><wd:Worker_Reference>${id('WID', w.wid)}${id(idType, w.employeeId)}</wd:Worker_Reference><wd:Worker_Descriptor>${esc(`${w.firstName} ${w.lastName}`)}</wd:Worker_Descriptor><wd:Worker_Data>${t('Worker_ID', w.employeeId)}${t('User_ID', w.workEmail.split('@')[0] || w.employeeId)}<wd:Personal_Data><wd:Name_Data><wd:Legal_Name_Data>${legal}</wd:Legal_Name_Data><wd:Preferred_Name_Data>${preferred}</wd:Preferred_Name_Data></wd:Name_Data><wd:Contact_Data>${emails(w)}</wd:Contact_Data></wd:Personal_Data><wd:Employment_Data>${jobs}${status}</wd:Employment_Data>${workerOrgs}${workerChain}</wd:Worker_Data></wd:Worker>`;
}

/** How a RaaS report is shaped (?): plain text cells or reference objects, flags or labels. */
export interface ReportVariants {
  references?: 'text' | 'objects';
  status?: 'flag' | 'label';
  /** A one-row report as an object rather than a list (?). */
  singleAsObject?: boolean;
  /** Column aliases the report uses instead of the defaults. */
  aliases?: Partial<Record<string, string>>;
}

/** One Report_Entry row with the tenant's column aliases, as of today. */
export function renderReportRow(c: FakeWorkdayCompany, w: FakeWorker, v: ReportVariants = {}): Record<string, unknown> {
  const p = c.primary(w);
  const manager = p.managerId ? c.get(p.managerId) : undefined;
  const sup = supervisoryOf(c, w, p);
  const terminated = c.terminatedAsOf(w, c.today);
  const started = w.hireDate <= c.today;
  const custom = customFieldsOf(w.employeeId);
  const ref = (name: string | undefined, refId: string | undefined) => (name === undefined ? undefined : v.references === 'objects' ? [{ Descriptor: name, ID: refId }] : name);
  const status = v.status === 'label' ? (terminated ? 'Terminated' : !started ? 'Pre-hire' : w.onLeave ? 'On Leave' : 'Active') : terminated || !started ? '0' : '1';
  const row: Record<string, unknown> = {
    Employee_ID: w.employeeId,
    Worker: `${w.firstName} ${w.lastName}`,
    First_Name: w.firstName,
    Last_Name: w.lastName,
    ...(w.preferredFirstName ? { Preferred_Name: w.preferredFirstName } : {}),
    ...(w.workEmail ? { 'Email_-_Work': w.workEmail } : {}),
    'Email_-_Home': w.homeEmail,
    Active_Status: status,
    ...(v.status === 'label' ? {} : { On_Leave: w.onLeave && !terminated ? '1' : '0' }),
    Hire_Date: w.hireDate,
    ...(w.terminationDate ? { Termination_Date: w.terminationDate } : {}),
    ...(manager ? { Manager_ID: manager.employeeId } : {}),
    Supervisory_Organization: ref(sup?.name, sup?.id),
    Cost_Center: ref(p.costCenter.name, p.costCenter.id),
    Location: ref(p.location.name, p.location.id),
    Business_Title: p.title,
    // Custom (calculated) fields the report author added as columns; an empty cell is left out.
    ...(custom.badge ? { CF_Badge_Number: custom.badge } : {}),
    CF_Cost_Code: custom.costCode,
  };
  for (const [from, to] of Object.entries(v.aliases ?? {})) {
    if (to && from in row) {
      row[to] = row[from];
      delete row[from];
    }
  }
  return row;
}
