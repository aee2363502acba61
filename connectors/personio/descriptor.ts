import { defineConnector } from '../descriptor.js';
import { createPersonio } from './connector.js';
import { personioCredentialsSchema, personioSettingsSchema } from './schema.js';

export const personioDescriptor = defineConnector({
  name: 'personio',
  displayName: 'Personio',
  hosts: ['api.personio.de'],
  credentialsSchema: personioCredentialsSchema,
  settingsSchema: personioSettingsSchema,
  capabilities: {
    // v1 `updated_since`, v2 `updated_at.gt`.
    incremental: true,
    bankAccounts: true,
    orgUnits: true,
    fields: ['workEmail', 'firstName', 'lastName', 'preferredName', 'startDate', 'terminationDate', 'managerRemoteId', 'department', 'team', 'workLocation', 'jobTitle', 'costCenters', 'bankAccount', 'updatedAt'],
  },
  credentialsHelp: 'In Personio, open Settings › Integrations › API credentials › Generate new credential, and give it read access to the employee attributes Rollcall reads.',
  create: ({ credentials, settings, ...runtime }) => createPersonio({ ...runtime, credentials, settings }),
});
