import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';

/** Logs as the two audiences read them: JSON lines for machines, readable lines for a terminal; secrets redacted in both. */
function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('log formats', () => {
  it('json: one object per line, with the secret redacted', () => {
    const out = capture();
    const log = createLogger('info', out.stream);
    log.info({ token: 'rc_scim_secret', path: '/scim/v2/Users' }, 'request');
    const entry = JSON.parse(out.text().trim());
    expect(entry).toMatchObject({ level: 30, msg: 'request', path: '/scim/v2/Users', token: '[redacted]', service: 'rollcall' });
  });

  it('pretty: a readable line, never JSON, the secret still redacted', () => {
    const out = capture();
    const log = createLogger('info', out.stream, 'pretty');
    log.info({ token: 'rc_scim_secret', path: '/scim/v2/Users' }, 'request served');
    const text = out.text();
    expect(text).toContain('request served');
    expect(text).toContain('/scim/v2/Users');
    expect(text).not.toContain('rc_scim_secret');
    expect(text.trim().startsWith('{')).toBe(false);
  });
});
