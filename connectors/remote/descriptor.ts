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
    'In Remote, as a company admin or owner, open Company › Company Settings › Integrations & APIs › Remote API, generate an API token (Read Only is enough; ra_live_…, ra_test_… in the sandbox) and paste it; a partner application gives its client ID and secret and the company refresh token instead.',
  create: ({ credentials, settings, ...runtime }) => createRemote({ ...runtime, credentials, settings }),
});
