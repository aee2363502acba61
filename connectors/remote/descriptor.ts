import { defineConnector } from '../descriptor.js';
import { createRemote } from './connector.js';
import { remoteCredentialsSchema, remoteSettingsSchema } from './schema.js';

export const remoteDescriptor = defineConnector({
  name: 'remote',
  displayName: 'Remote',
  hosts: ['gateway.remote.com', 'gateway.remote-sandbox.com'],
  credentialsSchema: remoteCredentialsSchema,
  settingsSchema: remoteSettingsSchema,
  capabilities: {
    incremental: false,
    bankAccounts: true,
    orgUnits: true,
    fields: [
      'employeeNumber', 'workEmail', 'personalEmail', 'firstName', 'lastName', 'preferredName', 'startDate', 'terminationDate',
      'managerRemoteId', 'department', 'workLocation', 'jobTitle', 'bankAccount', 'updatedAt',
    ],
  },
  credentialsHelp:
    'In Remote, as a company admin or owner, open Company settings › Integrations & API › API tokens, create a token (ra_live_…) and paste it; a partner application gives its client ID and secret and the company refresh token instead.',
  create: ({ credentials, settings, ...runtime }) => createRemote({ ...runtime, credentials, settings }),
});
