import { DomainError } from '../../scim/errors.js';

/** Postgres SQLSTATE of an error from either driver (drizzle may wrap it in `cause`). */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** The violated constraint's name: postgres.js says `constraint_name`, PGlite `constraint`. */
export function constraintOf(error: unknown): string | undefined {
  for (let e = error as { constraint_name?: unknown; constraint?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    const name = e.constraint_name ?? e.constraint;
    if (typeof name === 'string') return name;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** Turns a unique-index violation into the SCIM 409 `uniqueness` error; rethrows anything else. */
export async function uniquely<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (sqlState(error) !== '23505') throw error;
    // Users have a second unique index: one user per person of an HR connection.
    if (constraintOf(error) === 'users_connection_remote') {
      throw new DomainError('conflict', 'Another user is already linked to this person of the HR connection');
    }
    throw new DomainError('conflict', `${what} is already in use in this tenant`);
  }
}
