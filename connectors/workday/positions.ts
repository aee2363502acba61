import type { CostCenter, NamedRef } from '../contract.js';
import type { ManagerRef } from '../managers.js';
import { cleanText } from '../values.js';
import { attr, child, children, idsOf, isTrue, textAt, type XmlNode } from './xml.js';

/**
 * The primary position, deterministically: the first Worker_Job_Data Workday marks
 * `Primary_Job="1"` (on the job or its Position_Data), else the first one listed (Workday
 * lists the primary first). Title, location, organisations and manager all come from it.
 */
export function primaryJob(jobs: readonly unknown[]): XmlNode | undefined {
  const marked = jobs.find((job) => isTrue(attr(job, 'Primary_Job')) || isTrue(attr(child(job, 'Position_Data'), 'Primary_Job')));
  const pick = marked ?? jobs[0];
  return typeof pick === 'object' && pick !== null ? (pick as XmlNode) : undefined;
}

export interface WorkerOrganization {
  id: string | null;
  name: string;
  /** Upper-case with underscores: SUPERVISORY, COST_CENTER, COMPANY, … */
  type: string;
}

/** `Organization_Data` entries: the position's own when Workday gives them, else the worker's. */
export function organizationsOf(job: XmlNode | undefined, workerData: XmlNode | undefined): WorkerOrganization[] {
  const fromPosition = children(child(job, 'Position_Organizations_Data'), 'Position_Organization_Data');
  const fromWorker = children(child(workerData, 'Organization_Data'), 'Worker_Organization_Data');
  const entries = fromPosition.length > 0 ? fromPosition : fromWorker;
  const out: WorkerOrganization[] = [];
  for (const entry of entries) {
    const org = child(entry, 'Organization_Data');
    const name = cleanText(textAt(org, 'Organization_Name'));
    if (!org || !name) continue;
    const refIds = idsOf(child(org, 'Organization_Reference'));
    const id = cleanText(textAt(org, 'Organization_Reference_ID')) ?? refIds.get('Organization_Reference_ID') ?? refIds.get('WID') ?? cleanText(textAt(org, 'Organization_Code'));
    const typeRef = idsOf(child(org, 'Organization_Type_Reference'));
    const type = (typeRef.get('Organization_Type_ID') ?? textAt(org, 'Organization_Type') ?? '').trim().toUpperCase().replace(/[\s-]+/g, '_');
    out.push({ id: id ?? null, name, type });
  }
  return out;
}

const ref = (o: WorkerOrganization): NamedRef => (o.id ? { remoteId: o.id, name: o.name } : { name: o.name });

/** The supervisory organisation is the department; cost centres share the cost equally. */
export function departmentOf(orgs: readonly WorkerOrganization[]): NamedRef | null {
  const sup = orgs.find((o) => o.type === 'SUPERVISORY');
  return sup ? ref(sup) : null;
}

export function costCentersOf(orgs: readonly WorkerOrganization[]): CostCenter[] {
  const centres = orgs.filter((o) => o.type === 'COST_CENTER');
  return centres.map((o) => ({ ...ref(o), weight: Math.round((100 / centres.length) * 100) / 100 }));
}

interface ChainLink {
  orgId: string | null;
  managers: ManagerRef[];
}

/** A manager reference (`Manager_Reference`, or a `Manager`'s Worker_Reference) as the keys resolution uses. */
function managerRefOf(node: unknown): ManagerRef | undefined {
  const ids = idsOf(node);
  const nested = ids.size > 0 ? ids : idsOf(child(node, 'Worker_Reference'));
  const remoteId = nested.get('WID') ?? null;
  const employeeNumber = nested.get('Employee_ID') ?? nested.get('Contingent_Worker_ID') ?? null;
  return remoteId || employeeNumber ? { remoteId, employeeNumber } : undefined;
}

function chainOf(job: XmlNode | undefined, workerData: XmlNode | undefined): ChainLink[] {
  const fromPosition = children(child(job, 'Position_Management_Chains_Data', 'Position_Supervisory_Management_Chain_Data'), 'Management_Chain_Data');
  const fromWorker = children(child(workerData, 'Management_Chain_Data', 'Worker_Supervisory_Management_Chain_Data'), 'Management_Chain_Data');
  return (fromPosition.length > 0 ? fromPosition : fromWorker).map((link) => {
    const orgIds = idsOf(child(link, 'Organization_Reference'));
    const refs = [...children(link, 'Manager_Reference'), ...children(link, 'Manager')].map(managerRefOf).filter((r): r is ManagerRef => r !== undefined);
    return { orgId: orgIds.get('Organization_Reference_ID') ?? orgIds.get('WID') ?? null, managers: refs };
  });
}

const isSelf = (m: ManagerRef, self: { remoteId: string; employeeNumber: string | null }) =>
  (m.remoteId && m.remoteId === self.remoteId) || (!m.remoteId && m.employeeNumber && m.employeeNumber === self.employeeNumber);

/**
 * The direct manager from the supervisory management chain. Workday lists the chain from the
 * top organisation down to the worker's own; the worker's own organisation is found by its id
 * (else it is the last link). Its manager is the worker's manager — unless that is the worker
 * (a manager sits in the organisation they manage), then the nearest link above with someone
 * else. A chain listed the other way round (own organisation first) is read the same way. With
 * no chain, the position's last detected manager stands in.
 */
export function managerOf(
  job: XmlNode | undefined,
  workerData: XmlNode | undefined,
  ownOrgId: string | null,
  self: { remoteId: string; employeeNumber: string | null },
): ManagerRef {
  const chain = chainOf(job, workerData);
  if (chain.length > 0) {
    const found = ownOrgId ? chain.findIndex((l) => l.orgId === ownOrgId) : -1;
    const start = found >= 0 ? found : chain.length - 1;
    const upward = found === 0 && chain.length > 1 ? 1 : -1;
    for (let i = start; i >= 0 && i < chain.length; i += upward) {
      const other = chain[i]!.managers.find((m) => !isSelf(m, self));
      if (other) return other;
    }
    return {};
  }
  const detected = managerRefOf(child(job, 'Position_Data', 'Manager_as_of_last_detected_manager_change_Reference'));
  return detected && !isSelf(detected, self) ? detected : {};
}
