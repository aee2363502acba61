import { defineConnector } from '../descriptor.js';
import { createDeel } from './connector.js';
import { deelCredentialsSchema, deelHosts, deelSettingsSchema } from './schema.js';

export const deelDescriptor = defineConnector({
  name: 'deel',
  displayName: 'Deel',
  hosts: deelHosts,
  credentialsSchema: deelCredentialsSchema,
  settingsSchema: deelSettingsSchema,
  capabilities: {
    // No changed-since filter on /people.
    incremental: false,
    // Only Global Payroll workers have banks, one request each: not read.
    bankAccounts: false,
    orgUnits: true,
    fields: ['employeeNumber', 'workEmail', 'personalEmail', 'firstName', 'lastName', 'preferredName', 'startDate', 'terminationDate', 'managerRemoteId', 'department', 'team', 'workLocation', 'jobTitle', 'updatedAt'],
  },
  credentialsHelp: 'In Deel, open More › Developer › Access Tokens › Generate new token, choose an Organization token with the people:read scope, and paste it here.',
  create: ({ credentials, settings, ...runtime }) => createDeel({ ...runtime, credentials, settings }),
});
