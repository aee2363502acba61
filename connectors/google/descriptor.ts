import { defineConnector } from '../descriptor.js';
import { createGoogle } from './connector.js';
import { googleCredentialsSchema, googleSettingsSchema } from './schema.js';

export const googleDescriptor = defineConnector({
  name: 'google',
  displayName: 'Google Workspace',
  hosts: ['admin.googleapis.com', 'oauth2.googleapis.com'],
  credentialsSchema: googleCredentialsSchema,
  settingsSchema: googleSettingsSchema,
  capabilities: {
    incremental: false,
    bankAccounts: false,
    orgUnits: true,
    fields: [
      'employeeNumber', 'workEmail', 'personalEmail', 'firstName', 'lastName', 'startDate', 'terminationDate',
      'managerRemoteId', 'department', 'team', 'workLocation', 'jobTitle', 'costCenters',
    ],
  },
  credentialsHelp:
    'In Google Cloud, create a service account and a JSON key; in the Admin console (Security › API controls › Domain-wide delegation) grant its client ID the scope https://www.googleapis.com/auth/admin.directory.user.readonly; paste the key and the email of an admin with the Users › Read privilege.',
  create: ({ credentials, settings, ...runtime }) => createGoogle({ ...runtime, credentials, settings }),
});
