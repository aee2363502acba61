import { signAdminToken } from '../src/auth/admin-jwt.js';
import type { BenchServer } from './server.js';

/**
 * A POST to the bench server's admin API as an operator, expecting 201 and returning the body:
 * how the bench makes what only the admin API makes (a webhook endpoint, a tenant, its tokens).
 */
export async function adminPost<T>(server: BenchServer, path: string, body: unknown, what: string): Promise<T> {
  const admin = await signAdminToken(Buffer.from(server.secretKeyHex, 'hex'), { subject: 'bench', role: 'operator', ttlSeconds: 3600 });
  const res = await fetch(`${server.scimUrl.replace(/\/scim\/v2$/, '/admin/v1')}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${what}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}
