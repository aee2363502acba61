import { defineConnector } from '../descriptor.js';
import { createFactorial } from './connector.js';
import { factorialCredentialsSchema, factorialSettingsSchema } from './schema.js';

export const factorialDescriptor = defineConnector({
  name: 'factorial',
  displayName: 'Factorial',
  hosts: ['api.factorialhr.com'],
  credentialsSchema: factorialCredentialsSchema,
  settingsSchema: factorialSettingsSchema,
  capabilities: {
    // `updated_at_gteq` on the employee list.
    incremental: true,
    bankAccounts: true,
    orgUnits: true,
    fields: ['employeeNumber', 'workEmail', 'personalEmail', 'firstName', 'lastName', 'preferredName', 'startDate', 'terminationDate', 'managerRemoteId', 'team', 'workLocation', 'jobTitle', 'bankAccount', 'updatedAt'],
  },
  credentialsHelp: 'In Factorial, open Settings › API keys › New API key (an admin only); or register an OAuth application, authorise it once, and paste its client ID, secret and the refresh token.',
  create: ({ credentials, settings, ...runtime }) => createFactorial({ ...runtime, credentials, settings }),
});
