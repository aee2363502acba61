import { employeeDoc, withHrState } from '../../src/sync/hr-doc.js';
import type { PlannedEmployee } from '../../src/sync/scope.js';

/** One HR-managed person, as the unit tests of the HR extension and of authority decisions use it. */
export const HR_CONNECTION = '0190a5b0-0000-7000-8000-00000000c0c0';

export const hrEmployee: PlannedEmployee = {
  remoteId: 'bh-42',
  workEmail: 'Jane.Doe@acme.test',
  firstName: 'Jane',
  lastName: 'Doe',
  displayName: 'Jane Doe',
  status: 'active',
  terminationDate: null,
  managerRemoteId: 'bh-1',
  employeeNumber: '42',
  jobTitle: 'Engineer',
  department: { name: 'R&D' },
  workLocation: { name: 'Paris' },
  startDate: '2024-02-01',
};

/** Her user document while the connection manages her, and once it has released her. */
export const managedDoc = employeeDoc({
  employee: hrEmployee,
  connection: { id: HR_CONNECTION, provider: 'bamboohr' },
  lifecycle: 'active',
  managerUserId: '0190a5b0-0000-7000-8000-0000000000aa',
});
export const releasedDoc = withHrState(managedDoc, { management: 'released' });
