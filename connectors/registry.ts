import { z } from 'zod';
import { bambooHrCredentialsSchema } from './bamboohr/schema.js';
import { createBambooHr, type BambooHrHttpTuning } from './bamboohr/connector.js';
import type { Connector, ProviderName } from './contract.js';
import { createHibob } from './hibob/connector.js';
import { hibobCredentialsSchema, hibobSettingsSchema } from './hibob/schema.js';
import { createPersonio } from './personio/connector.js';
import { personioCredentialsSchema, personioSettingsSchema } from './personio/schema.js';

/** What the service hands every connector besides credentials; all optional. */
export interface ConnectorDeps {
  /** Sandbox, proxy or fake server; the provider's public host otherwise. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Applied to every provider; options one client does not know are ignored by it. */
  http?: BambooHrHttpTuning;
  now?: () => Date;
  /** The connection's provider settings, checked by `settingsSchemaFor(provider)`. */
  settings?: unknown;
}

/** BambooHR takes no settings; an empty object is the only valid value. */
const bambooHrSettingsSchema = z.strictObject({});

export class UnsupportedProviderError extends Error {
  override readonly name = 'UnsupportedProviderError';
  constructor(readonly provider: ProviderName) {
    super(`the ${provider} connector is not available in this build`);
  }
}

/** Providers a connection can be created for today (the admin UI lists these). */
export function isProviderAvailable(provider: ProviderName): boolean {
  switch (provider) {
    case 'bamboohr':
    case 'personio':
    case 'hibob':
      return true;
    default:
      return assertNever(provider);
  }
}

/** Each provider's schemas: the credentials an admin types, and its settings (BambooHR has none). */
const schemas: Record<ProviderName, { credentials: z.ZodType; settings: z.ZodType }> = {
  bamboohr: { credentials: bambooHrCredentialsSchema, settings: bambooHrSettingsSchema },
  personio: { credentials: personioCredentialsSchema, settings: personioSettingsSchema },
  hibob: { credentials: hibobCredentialsSchema, settings: hibobSettingsSchema },
};

/** The schema an admin's credentials are checked against before anything is stored. */
export const credentialsSchemaFor = (provider: ProviderName): z.ZodType => schemas[provider].credentials;

/** The schema a connection's provider settings are checked against. */
export const settingsSchemaFor = (provider: ProviderName): z.ZodType => schemas[provider].settings;

/**
 * Builds a connector from a stored connection. Credentials are parsed (and normalised) by the
 * provider's schema, so a ZodError here means the stored credentials are malformed.
 */
export function createConnector(provider: ProviderName, credentials: unknown, deps: ConnectorDeps = {}): Connector {
  switch (provider) {
    case 'bamboohr': {
      const { settings: _settings, ...rest } = deps;
      return createBambooHr({ ...rest, credentials: bambooHrCredentialsSchema.parse(credentials) });
    }
    case 'personio': {
      const { settings, ...rest } = deps;
      return createPersonio({ ...rest, credentials: personioCredentialsSchema.parse(credentials), settings: personioSettingsSchema.parse(settings ?? {}) });
    }
    case 'hibob': {
      const { settings, ...rest } = deps;
      return createHibob({ ...rest, credentials: hibobCredentialsSchema.parse(credentials), settings: hibobSettingsSchema.parse(settings ?? {}) });
    }
    default:
      return assertNever(provider);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown provider ${String(value)}`);
}
