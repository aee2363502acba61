import { defineConnector } from '../descriptor.js';
import { createBambooHr } from './connector.js';
import { bambooHrCredentialsSchema, bambooHrSettingsSchema } from './schema.js';

export const bambooHrDescriptor = defineConnector({
  name: 'bamboohr',
  displayName: 'BambooHR',
  // The customer's own subdomain, or the older gateway host.
  hosts: ['*.bamboohr.com'],
  credentialsSchema: bambooHrCredentialsSchema,
  settingsSchema: bambooHrSettingsSchema,
  capabilities: {
    incremental: false,
    bankAccounts: false,
    orgUnits: false,
    fields: ['employeeNumber', 'workEmail', 'personalEmail', 'firstName', 'lastName', 'preferredName', 'startDate', 'terminationDate', 'managerRemoteId', 'department', 'workLocation', 'jobTitle'],
  },
  credentialsHelp: 'In BambooHR, open your profile menu › API Keys › Add New Key; the company domain is the part before .bamboohr.com.',
  create: ({ credentials, settings: _settings, ...runtime }) => createBambooHr({ ...runtime, credentials }),
});
