import { defineConnector } from '../descriptor.js';
import { createHibob } from './connector.js';
import { hibobCredentialsSchema, hibobSettingsSchema } from './schema.js';

export const hibobDescriptor = defineConnector({
  name: 'hibob',
  displayName: 'HiBob',
  hosts: ['api.hibob.com', 'api.sandbox.hibob.com'],
  routingSettings: ['environment'],
  credentialsSchema: hibobCredentialsSchema,
  settingsSchema: hibobSettingsSchema,
  capabilities: {
    incremental: false,
    bankAccounts: true,
    orgUnits: true,
    fields: ['employeeNumber', 'workEmail', 'personalEmail', 'firstName', 'lastName', 'startDate', 'terminationDate', 'managerRemoteId', 'department', 'workLocation', 'jobTitle', 'bankAccount'],
  },
  credentialsHelp: 'In HiBob, open Settings › Integrations › Automation › Service users, create one, and give its permission group read access to the people fields Rollcall reads.',
  create: ({ credentials, settings, ...runtime }) => createHibob({ ...runtime, credentials, settings }),
});
