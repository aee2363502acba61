import { z } from 'zod';
import { bambooHrDescriptor } from './bamboohr/descriptor.js';
import type { Connector } from './contract.js';
import { deelDescriptor } from './deel/descriptor.js';
import type { ConnectorDescriptor, ConnectorRuntime } from './descriptor.js';
import { factorialDescriptor } from './factorial/descriptor.js';
import { googleDescriptor } from './google/descriptor.js';
import { hibobDescriptor } from './hibob/descriptor.js';
import { humaansDescriptor } from './humaans/descriptor.js';
import { payfitDescriptor } from './payfit/descriptor.js';
import { luccaDescriptor } from './lucca/descriptor.js';
import { personioDescriptor } from './personio/descriptor.js';
import { remoteDescriptor } from './remote/descriptor.js';
import { workdayDescriptor } from './workday/descriptor.js';

/**
 * Every HR system Rollcall can connect to, one line each. The admin API, CLI, console and
 * OpenAPI read provider lists and schemas from here; nothing else names a provider.
 */
export const connectorDescriptors = [
  bambooHrDescriptor,
  deelDescriptor,
  factorialDescriptor,
  googleDescriptor,
  hibobDescriptor,
  humaansDescriptor,
  payfitDescriptor,
  luccaDescriptor,
  personioDescriptor,
  remoteDescriptor,
  workdayDescriptor,
] as const;

export type ProviderName = (typeof connectorDescriptors)[number]['name'];
export const providerNames = connectorDescriptors.map((d) => d.name) as [ProviderName, ...ProviderName[]];
export const providerNameSchema = z.enum(providerNames);

const byName = new Map<string, ConnectorDescriptor>(connectorDescriptors.map((d) => [d.name, d as ConnectorDescriptor]));

/** What the service hands every connector besides credentials; all optional. */
export interface ConnectorDeps extends ConnectorRuntime {
  /** The connection's provider settings, checked by the descriptor's settings schema. */
  settings?: unknown;
}

export class UnsupportedProviderError extends Error {
  override readonly name = 'UnsupportedProviderError';
  constructor(readonly provider: string) {
    super(`the ${provider} connector is not available in this build`);
  }
}

/** The descriptor of a provider by name; throws for a name not in the table. */
export function descriptorFor(provider: string): ConnectorDescriptor {
  const descriptor = byName.get(provider);
  if (!descriptor) throw new UnsupportedProviderError(provider);
  return descriptor;
}

/** Providers a connection can be created for (the admin UI lists these). */
export const isProviderAvailable = (provider: string): boolean => byName.has(provider);

/** The schema an admin's credentials are checked against before anything is stored. */
export const credentialsSchemaFor = (provider: ProviderName): z.ZodType => descriptorFor(provider).credentialsSchema;

/** The schema a connection's provider settings are checked against. */
export const settingsSchemaFor = (provider: ProviderName): z.ZodType => descriptorFor(provider).settingsSchema;

/**
 * Builds a connector from a stored connection. Credentials are parsed (and normalised) by the
 * provider's schema, so a ZodError here means the stored credentials are malformed.
 */
export function createConnector(provider: ProviderName, credentials: unknown, deps: ConnectorDeps = {}): Connector {
  const descriptor = descriptorFor(provider);
  const { settings, ...runtime } = deps;
  return descriptor.create({
    ...runtime,
    credentials: descriptor.credentialsSchema.parse(credentials),
    settings: descriptor.settingsSchema.parse(settings ?? {}),
  });
}
