import { defineConnector } from '../descriptor.js';
import { createPayfit } from './connector.js';
import { payfitCredentialsSchema, payfitSettingsSchema } from './schema.js';

export const payfitDescriptor = defineConnector({
  name: 'payfit',
  displayName: 'PayFit',
  hosts: ['partner-api.payfit.com', 'oauth.payfit.com'],
  credentialsSchema: payfitCredentialsSchema,
  settingsSchema: payfitSettingsSchema,
  capabilities: {
    incremental: false,
    bankAccounts: true,
    orgUnits: false,
    fields: [
      'employeeNumber', 'workEmail', 'personalEmail', 'firstName', 'lastName', 'startDate', 'terminationDate',
      'managerRemoteId', 'department', 'team', 'workLocation', 'jobTitle', 'bankAccount',
    ],
  },
  credentialsHelp:
    'In PayFit, as an admin, open app.payfit.com/integrations/hub/api › Create a key, give it the scopes collaborators:read, collaborators:contracts:read, collaborators:personal:read, collaborators:management:read and contracts:read (collaborators:bank-info:read for bank details), and paste the key.',
  create: ({ credentials, settings, ...runtime }) => createPayfit({ ...runtime, credentials, settings }),
});
