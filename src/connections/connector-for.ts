import { createConnector, type BudgetRegistry, type Connector, type ConnectorDeps, type ProviderName } from '../../connectors/index.js';
import { open, seal } from '../crypto/secret-box.js';
import type { ConnectionRow } from './connection.js';

/** Credentials leave the database only sealed; this is the one place they are opened. */
export const sealCredentials = (key: Buffer, credentials: unknown): string => seal(key, JSON.stringify(credentials));
export const openCredentials = (key: Buffer, sealed: string): unknown => JSON.parse(open(key, sealed));

/** Builds the connector a connection runs with; tests and operators may swap transport details. */
export type ConnectorFactory = (provider: ProviderName, credentials: unknown, deps: ConnectorDeps) => Connector;

/** `fetch`: the egress policy's, so every HR request is checked where it connects; `budgets`: the process's per-credential request budgets. */
export function connectorFor(
  row: ConnectionRow,
  key: Buffer,
  factory: ConnectorFactory = createConnector,
  transport: { budgets?: BudgetRegistry | undefined; fetch?: typeof globalThis.fetch | undefined } = {},
): Connector {
  return factory(row.provider as ProviderName, openCredentials(key, row.credentials), {
    ...(transport.budgets ? { budgets: transport.budgets } : {}),
    ...(transport.fetch ? { fetch: transport.fetch } : {}),
    ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}),
    ...(Object.keys(row.settings).length > 0 ? { settings: row.settings } : {}),
  });
}
