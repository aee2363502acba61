import { asc, eq, sql } from 'drizzle-orm';
import { DomainError } from '../../scim/errors.js';
import type { Executor } from '../db/client.js';
import { uuidv7 } from '../db/ids.js';
import { tenants } from '../db/schema.js';
import { uniquely } from '../directory/db-errors.js';

export type Tenant = typeof tenants.$inferSelect;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function checkSlug(slug: string): string {
  if (!SLUG.test(slug)) {
    throw new DomainError('invalid_value', `Tenant slug "${slug}" must be 1-64 lower-case letters, digits or hyphens, not starting or ending with a hyphen`);
  }
  return slug;
}

export async function createTenant(db: Executor, slug: string, name?: string): Promise<Tenant> {
  checkSlug(slug);
  const [row] = await uniquely(`Tenant slug "${slug}"`, () =>
    db.insert(tenants).values({ id: uuidv7(), slug, name: name ?? slug }).returning(),
  );
  return row!;
}

export async function findTenant(db: Executor, slug: string): Promise<Tenant> {
  const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug));
  if (!row) throw new DomainError('not_found', `No tenant "${slug}"`);
  return row;
}

export const listTenants = (db: Executor) => db.select().from(tenants).orderBy(asc(tenants.slug));

export async function countTenants(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(tenants);
  return row!.n;
}

export async function findTenantById(db: Executor, id: string): Promise<Tenant | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
  return row;
}
