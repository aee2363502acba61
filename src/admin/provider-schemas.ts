import { z } from 'zod';
import { connectorDescriptors, providerNameSchema } from '../../connectors/index.js';
import { connectionSettingsSchema } from '../connections/connection.js';

/**
 * The provider-specific parts of the admin API as the OpenAPI document shows them, built from the
 * connector registry alone: a new HR system appears here with no change to this file.
 */

/** A component name from a provider's registry name (`bamboohr` → `Bamboohr`), so it never changes with the display name. */
export const componentNameOf = (provider: string) => provider.replace(/(?:^|[^a-zA-Z0-9]+)([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());

export const providerName = providerNameSchema.meta({ id: 'ProviderName', description: 'An HR system from the connector registry (GET /providers)' });

/** Each provider's credentials and settings, named once (`PersonioCredentials`, `PersonioSettings`). */
const perProvider = connectorDescriptors.map((d) => {
  const name = componentNameOf(d.name);
  return {
    descriptor: d,
    name,
    credentials: d.credentialsSchema.meta({ id: `${name}Credentials`, description: `${d.displayName}: ${d.credentialsHelp}` }),
    settings: d.settingsSchema.meta({ id: `${name}Settings`, description: `${d.displayName} settings (every one has a default)` }),
  };
});

const connectBranches = perProvider.map(({ descriptor, name, credentials, settings }) =>
  connectionSettingsSchema
    .extend({ provider: z.literal(descriptor.name), credentials, settings: settings.optional() })
    .meta({ id: `New${name}Connection`, description: `Connect ${descriptor.displayName}` }),
);

/**
 * Connect, as documented: one branch per provider, chosen by `provider`, each with that provider's
 * credentials and settings. The route checks the common part first and the credentials against
 * the provider's schema after (naming the provider in the error); together they are this schema.
 */
export const connectionCreateDocumented = z
  .discriminatedUnion('provider', connectBranches as unknown as [(typeof connectBranches)[number], ...(typeof connectBranches)[number][]])
  .meta({ description: 'The provider, its credentials (checked with one call to the HR system before anything is stored) and settings' });

/** Configure, as documented: new credentials and provider settings are those of the connection's provider. */
export const connectionUpdateDocumented = connectionSettingsSchema.extend({
  credentials: z.union(perProvider.map((p) => p.credentials)).optional(),
  settings: z.union(perProvider.map((p) => p.settings)).optional(),
});
