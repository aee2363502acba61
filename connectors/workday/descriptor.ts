import { defineConnector } from '../descriptor.js';
import { createWorkday } from './connector.js';
import { workdayCredentialsSchema, workdayHosts, workdaySettingsSchema } from './schema.js';

export const workdayDescriptor = defineConnector({
  name: 'workday',
  displayName: 'Workday',
  hosts: workdayHosts,
  // A whole report URL names the host the ISU's password is sent to.
  routingSettings: ['report'],
  credentialsSchema: workdayCredentialsSchema,
  settingsSchema: workdaySettingsSchema,
  capabilities: {
    // Get_Workers' transaction log; a RaaS connection always reads the whole report.
    incremental: true,
    bankAccounts: false,
    orgUnits: true,
    fields: [
      'employeeNumber', 'workEmail', 'personalEmail', 'firstName', 'lastName', 'preferredName', 'startDate', 'terminationDate',
      'managerRemoteId', 'department', 'workLocation', 'jobTitle', 'costCenters',
    ],
  },
  credentialsHelp:
    'In Workday, run Create Integration System User (e.g. ISU_Rollcall), put it in an integration system security group with Get access to the worker domains, activate the security policy changes, and enter the user as ISU_Rollcall@<tenant> with its password; the base URL is your web services host.',
  create: ({ credentials, settings, ...runtime }) => createWorkday({ ...runtime, credentials, settings }),
});
