import { hrFieldsOf } from '../../src/sync/hr-fields.js';
import type { DirectoryUser } from '../../src/sync/plan-types.js';
import type { PlannedEmployee } from '../../src/sync/scope.js';

/** Employees and directory users for the planner's table tests: one connection, one day. */
export const CONN = 'conn-1';
export const TODAY = '2026-11-23';

export const emp = (remoteId: string, over: Partial<PlannedEmployee> = {}): PlannedEmployee => ({
  remoteId,
  workEmail: `${remoteId}@acme.test`,
  firstName: 'Ana',
  lastName: remoteId,
  displayName: null,
  status: 'active',
  terminationDate: null,
  managerRemoteId: null,
  workLocation: { name: 'London' },
  ...over,
});

/** A user the connection manages, its HR fields those of `e` (by default the employee `emp` makes). */
export const managed = (remoteId: string, over: Partial<DirectoryUser> = {}, e = emp(remoteId)): DirectoryUser => ({
  id: `u-${remoteId}`,
  userName: `${remoteId}@acme.test`,
  emails: [`${remoteId}@acme.test`],
  lifecycle: 'active',
  management: 'managed',
  connectionId: CONN,
  remoteId,
  hr: hrFieldsOf(e),
  ...over,
});
