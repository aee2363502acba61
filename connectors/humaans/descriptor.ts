import { defineConnector } from '../descriptor.js';
import { createHumaans } from './connector.js';
import { humaansCredentialsSchema, humaansSettingsSchema } from './schema.js';

export const humaansDescriptor = defineConnector({
  name: 'humaans',
  displayName: 'Humaans',
  hosts: ['app.humaans.io'],
  credentialsSchema: humaansCredentialsSchema,
  settingsSchema: humaansSettingsSchema,
  capabilities: {
    incremental: false,
    bankAccounts: true,
    orgUnits: true,
    fields: [
      'employeeNumber', 'workEmail', 'personalEmail', 'firstName', 'lastName', 'preferredName', 'startDate', 'terminationDate',
      'managerRemoteId', 'department', 'team', 'workLocation', 'jobTitle', 'bankAccount', 'updatedAt',
    ],
  },
  credentialsHelp:
    'In Humaans, as an admin, open the sidebar menu (⋯) › API access tokens › Generate new token, tick "View public and private data" (private:read), and paste the token.',
  create: ({ credentials, settings, ...runtime }) => createHumaans({ ...runtime, credentials, settings }),
});
