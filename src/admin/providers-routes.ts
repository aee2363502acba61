import { z } from 'zod';
import { connectorDescriptors } from '../../connectors/index.js';
import { route } from './route.js';

const jsonSchemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });

const providerView = z
  .object({
    name: z.string(),
    displayName: z.string(),
    hosts: z.array(z.string()),
    capabilities: z.object({ incremental: z.boolean(), bankAccounts: z.boolean(), orgUnits: z.boolean(), fields: z.array(z.string()) }),
    credentialsHelp: z.string(),
    credentialsSchema: z.record(z.string(), z.unknown()),
    settingsSchema: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Provider' });

/** Computed once: the registry is fixed for the life of the process. */
const catalogue = connectorDescriptors.map((d) => ({
  name: d.name,
  displayName: d.displayName,
  hosts: [...d.hosts],
  capabilities: { ...d.capabilities, fields: [...d.capabilities.fields] },
  credentialsHelp: d.credentialsHelp,
  credentialsSchema: jsonSchemaOf(d.credentialsSchema),
  settingsSchema: jsonSchemaOf(d.settingsSchema),
}));

export const providerRoutes = [
  route({
    operationId: 'listProviders',
    tag: 'Providers',
    method: 'get',
    path: '/providers',
    summary: 'The HR systems a connection can be made to, with what each reads and the credentials and settings it takes (JSON Schema)',
    access: 'any',
    response: z.array(providerView),
    handler: async () => catalogue,
  }),
];
