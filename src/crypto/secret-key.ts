import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../env.js';

/**
 * The 32-byte key that encrypts secrets at rest (HR credentials, webhook secrets) and signs admin
 * tokens. With a server database it must come from ROLLCALL_SECRET_KEY (replicas must share it);
 * the embedded store generates one into DATA_DIR on first start, readable by its owner only.
 */
export function loadSecretKey(env: Env): { key: Buffer; generated: boolean } {
  if (env.ROLLCALL_SECRET_KEY) return { key: Buffer.from(env.ROLLCALL_SECRET_KEY, 'hex'), generated: false };
  const file = join(env.DATA_DIR, 'secret.key');
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} is not a 64-hex-character key`);
    return { key: Buffer.from(hex, 'hex'), generated: false };
  }
  mkdirSync(env.DATA_DIR, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600 });
  return { key, generated: true };
}
