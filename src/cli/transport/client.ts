/** The admin route methods the CLI calls. */
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface AdminInput {
  params?: Record<string, string>;
  body?: unknown;
  query?: Record<string, string | undefined>;
}

/** The kinds of id a command may be given without its tenant. */
export type Owned = 'connection' | 'run' | 'user' | 'webhook';

/**
 * The one seam between a command and where it runs: the admin route (method, path as in
 * `src/admin/*-routes.ts`, params, query, body) is either run in-process on the store or sent to a
 * server over HTTP. Commands never know which; both answer the route's body or throw its error.
 */
export interface AdminClient {
  readonly mode: 'local' | 'remote';
  call(method: Method, path: string, input?: AdminInput): Promise<unknown>;
  /**
   * The tenant slug of a connection, run, user or webhook id (ids are unique across tenants);
   * `given` (a command's `--tenant`) is taken as it is, and the route then checks the id against it.
   */
  tenantOf(kind: Owned, id: string, given?: string): Promise<string>;
}

export const OWNER_NAMES: Record<Owned, string> = { connection: 'Connection', run: 'Sync run', user: 'User', webhook: 'Webhook endpoint' };
