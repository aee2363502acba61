import { defineConnector } from '../descriptor.js';
import { createLucca } from './connector.js';
import { luccaCredentialsSchema, luccaSettingsSchema } from './schema.js';

export const luccaDescriptor = defineConnector({
  name: 'lucca',
  displayName: 'Lucca',
  // Accounts (.net, Swiss .ch, test and demo environments), sandboxes, and the v5 token endpoint.
  hosts: ['*.ilucca.net', '*.ilucca.ch', '*.ilucca-test.net', '*.ilucca-demo.net', '*.luccasoftware.com'],
  credentialsSchema: luccaCredentialsSchema,
  settingsSchema: luccaSettingsSchema,
  capabilities: {
    // Legacy API (API key) only: `modifiedAt=since,…`. v5 reads everyone on every run.
    incremental: true,
    // v5 personal records, when `readPersonalRecords` is on.
    bankAccounts: true,
    orgUnits: true,
    fields: ['employeeNumber', 'workEmail', 'personalEmail', 'firstName', 'lastName', 'startDate', 'terminationDate', 'managerRemoteId', 'department', 'workLocation', 'jobTitle', 'costCenters', 'bankAccount', 'updatedAt'],
  },
  credentialsHelp:
    'Legacy API: in Lucca, open Settings › API keys › Generate a new API key, allow "Consult users", and let its role see former and future employees. Lucca API (v5): create a client app at /identity/admin/integration-keys with employees.readonly and employments.readonly.',
  create: ({ credentials, settings, ...runtime }) => createLucca({ ...runtime, credentials, settings }),
});
