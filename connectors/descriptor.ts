import type { z } from 'zod';
import type { Connector, NormalisedEmployee } from './contract.js';
import type { BudgetRegistry } from './http/budget-registry.js';
import type { HttpClientOptions } from './http/client.js';

/** Transport tuning the service may apply to every connector; a client ignores what it does not know. */
export type HttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize' | 'onUnauthorized' | 'budget'>>;

/** What the service hands a connector besides its parsed credentials and settings; all optional. */
export interface ConnectorRuntime {
  /** Sandbox, proxy or fake server (allowed by the operator); the provider's public host otherwise. */
  baseUrl?: string;
  fetch?: typeof fetch;
  http?: HttpTuning;
  /** Today's date for the status rules (future hire → pending, past termination → inactive). */
  now?: () => Date;
  /**
   * The process's request budgets per credential. Connectors whose HR system limits requests
   * per credential draw on these, so runs, previews and checks of one credential share a limit.
   */
  budgets?: BudgetRegistry;
}

/** What a connector can do, so the service, console and docs never ask "which provider is it". */
export interface ConnectorCapabilities {
  /** Can list only the people changed since a time. */
  incremental: boolean;
  /** Supplies bank details (possibly only when settings name where they live). */
  bankAccounts: boolean;
  /** Departments, teams or locations come with ids that scope rules and team sync can use. */
  orgUnits: boolean;
  /** The normalised fields it fills; the others are always null. */
  fields: ReadonlyArray<keyof NormalisedEmployee>;
}

/** Where a directory attribute's value comes from (the service's attribute mapping, README "Attribute mapping"). */
export type MappingSource =
  | { kind: 'field'; field: string }
  | { kind: 'raw'; path: string }
  | { kind: 'constant'; value: string | number | boolean | null }
  | { kind: 'expression'; expression: string };

/**
 * Everything the rest of Rollcall knows about one HR system. A provider folder exports exactly
 * one of these and `registry.ts` lists it: that is the whole of adding a system.
 */
export interface ConnectorDescriptor<Name extends string = string, Credentials = unknown, Settings = unknown> {
  readonly name: Name;
  /** As the vendor writes it, for the console and CLI. */
  readonly displayName: string;
  /**
   * The public hosts this connector may talk to without operator configuration; `*.` matches
   * any subdomain (e.g. a customer's own `acme.bamboohr.com`).
   */
  readonly hosts: readonly string[];
  /**
   * Provider settings that choose the host requests go to (HiBob's environment); changing one
   * needs the credentials again, as changing the base URL does.
   */
  readonly routingSettings?: readonly string[];
  /** What an admin types; parsed (and normalised) before anything is stored. */
  readonly credentialsSchema: z.ZodType<Credentials>;
  /** The connection's provider settings; `{}` must parse (every setting has a default). */
  readonly settingsSchema: z.ZodType<Settings>;
  readonly capabilities: ConnectorCapabilities;
  /** One line for the admin: where in the product the credentials are created. */
  readonly credentialsHelp: string;
  /**
   * Attribute mapping entries this HR system adds to the service's default (fields only it has),
   * e.g. `{ attribute: 'urn:…:enterprise:2.0:User:division', source: { kind: 'raw', path: 'division' } }`.
   * Core and enterprise attributes only: a tenant's own attributes are the tenant's to map.
   */
  readonly defaultMapping?: readonly { attribute: string; source: MappingSource }[];
  create(input: { credentials: Credentials; settings: Settings } & ConnectorRuntime): Connector;
}

/** Keeps a descriptor's literal name and schema types for the registry's inference. */
export function defineConnector<Name extends string, Credentials, Settings>(
  descriptor: ConnectorDescriptor<Name, Credentials, Settings>,
): ConnectorDescriptor<Name, Credentials, Settings> {
  return descriptor;
}

/** Does `hostname` match one of a descriptor's host patterns? */
export function hostAllowedBy(patterns: readonly string[], hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && host.length > p.length - 1;
    return host === p;
  });
}
