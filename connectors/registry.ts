import type { z } from 'zod';
import { bambooHrCredentialsSchema } from './bamboohr/schema.js';
import { createBambooHr, type BambooHrHttpTuning } from './bamboohr/connector.js';
import type { Connector, ProviderName } from './contract.js';

/** What the service hands every connector besides credentials; all optional. */
export interface ConnectorDeps {
  /** Sandbox, proxy or fake server; the provider's public host otherwise. */
  baseUrl?: string;
  fetch?: typeof fetch;
  http?: BambooHrHttpTuning;
  now?: () => Date;
}

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
      return true;
    case 'personio':
    case 'hibob':
      return false;
    default:
      return assertNever(provider);
  }
}

/** The schema an admin's credentials are checked against before anything is stored. */
export function credentialsSchemaFor(provider: ProviderName): z.ZodType {
  switch (provider) {
    case 'bamboohr':
      return bambooHrCredentialsSchema;
    case 'personio':
    case 'hibob':
      throw new UnsupportedProviderError(provider);
    default:
      return assertNever(provider);
  }
}

/**
 * Builds a connector from a stored connection. Credentials are parsed (and normalised) by the
 * provider's schema, so a ZodError here means the stored credentials are malformed.
 */
export function createConnector(provider: ProviderName, credentials: unknown, deps: ConnectorDeps = {}): Connector {
  switch (provider) {
    case 'bamboohr':
      return createBambooHr({ ...deps, credentials: bambooHrCredentialsSchema.parse(credentials) });
    case 'personio':
    case 'hibob':
      throw new UnsupportedProviderError(provider);
    default:
      return assertNever(provider);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown provider ${String(value)}`);
}
