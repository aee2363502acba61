import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { DomainError } from '../../scim/errors.js';
import { classify, EXIT, exitCodeOf, ProblemError, wantsJson } from '../../src/cli/errors.js';
import { progressLine } from '../../src/cli/progress.js';
import { checkServerUrl } from '../../src/cli/remote-url.js';
import { fillPath } from '../../src/cli/transport/remote.js';
import { ConfigError, readClientEnv } from '../../src/env.js';

describe('exit codes from the admin API status', () => {
  it.each([
    [400, EXIT.usage],
    [413, EXIT.usage],
    [415, EXIT.usage],
    [401, EXIT.auth],
    [403, EXIT.auth],
    [404, EXIT.notFound],
    [409, EXIT.conflict],
    [412, EXIT.conflict],
    [405, EXIT.other],
    [429, EXIT.other],
    [500, EXIT.other],
    [502, EXIT.other],
    [undefined, EXIT.other],
  ])('%s → %i', (status, code) => expect(exitCodeOf(status)).toBe(code));
});

describe('the problem an error reports, whichever side threw it', () => {
  it('a domain error reads as the HTTP admin API would answer it', async () => {
    const local = await classify(new DomainError('not_found', 'Connection x not found'));
    expect(local).toEqual({
      problem: { type: 'https://rollcall.dev/problems/not-found', title: 'Not found', status: 404, detail: 'Connection x not found', code: 'not_found' },
      exitCode: EXIT.notFound,
      bug: false,
    });
    const remote = await classify(new ProblemError(local.problem));
    expect(remote).toEqual(local);
  });
  it.each([
    [new DomainError('conflict', 'taken'), 'conflict', EXIT.conflict],
    [new DomainError('invalid_value', 'bad'), 'invalid_value', EXIT.usage],
    [new DomainError('unauthorized', 'no'), 'unauthorized', EXIT.auth],
    [new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"), 'usage', EXIT.usage],
    [new ConfigError('Invalid configuration: PORT: too big'), 'configuration', EXIT.other],
    [new Error('a bug'), 'internal', EXIT.other],
  ])('%s → %s, exit %i', async (error, code, exitCode) => {
    const found = await classify(error);
    expect(found.problem.code).toBe(code);
    expect(found.exitCode).toBe(exitCode);
    expect(found.problem.detail).not.toMatch(/^error:/);
  });
});

describe('ROLLCALL_URL', () => {
  it.each([
    ['https://rollcall.example.com', false, 'https://rollcall.example.com'],
    ['https://rollcall.example.com/', false, 'https://rollcall.example.com'],
    ['https://rollcall.example.com/admin/v1/', false, 'https://rollcall.example.com'],
    ['https://example.com/rollcall', false, 'https://example.com/rollcall'],
    ['http://127.0.0.1:8080', false, 'http://127.0.0.1:8080'],
    ['http://127.8.9.10:8080', false, 'http://127.8.9.10:8080'],
    ['http://localhost:8080', false, 'http://localhost:8080'],
    ['http://[::1]:8080', false, 'http://[::1]:8080'],
    ['http://rollcall.internal:8080', true, 'http://rollcall.internal:8080'],
  ])('%s (insecure %s) → %s', (text, insecure, base) => expect(checkServerUrl(text, insecure)).toEqual({ ok: true, base }));

  it.each([
    ['http://rollcall.example.com', /unencrypted.*ROLLCALL_INSECURE/],
    ['http://10.0.0.5:8080', /unencrypted/],
    ['http://[::ffff:10.0.0.5]:8080', /unencrypted/],
    ['ftp://rollcall.example.com', /not http or https/],
    ['https://admin:secret@rollcall.example.com', /no credentials/],
    ['https://rollcall.example.com/?token=x', /without a query/],
    ['not a url', /not a URL/],
  ])('%s is refused', (text, reason) => {
    const checked = checkServerUrl(text, false);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.reason).toMatch(reason);
      expect(checked.reason).not.toContain('secret');
    }
  });

  it('reads the client variables apart from the server ones, never echoing the token', () => {
    expect(readClientEnv({ ROLLCALL_URL: 'https://r.example', ROLLCALL_TOKEN: 't', PORT: 'not a port' })).toEqual({ ROLLCALL_URL: 'https://r.example', ROLLCALL_TOKEN: 't', ROLLCALL_INSECURE: false });
    expect(readClientEnv({ ROLLCALL_INSECURE: '1' }).ROLLCALL_INSECURE).toBe(true);
    expect(() => readClientEnv({ ROLLCALL_URL: 'nope', ROLLCALL_TOKEN: 'sekrit' })).toThrow(/ROLLCALL_URL/);
    expect(() => readClientEnv({ ROLLCALL_INSECURE: 'maybe', ROLLCALL_TOKEN: 'sekrit' })).toThrow(/^(?!.*sekrit).*ROLLCALL_INSECURE/);
  });
});

describe('the HTTP path of an admin route', () => {
  it.each([
    ['/tenants', {}, '/tenants'],
    ['/tenants/:slug/runs/:id', { slug: 'acme', id: '0190' }, '/tenants/acme/runs/0190'],
    ['/tenants/:slug/users', { slug: 'a/b?c' }, '/tenants/a%2Fb%3Fc/users'],
  ])('%s', (path, params, filled) => expect(fillPath(path, params)).toBe(filled));
  it('a missing param is a bug, not a request to the wrong place', () => expect(() => fillPath('/tenants/:slug', {})).toThrow(/:slug/));
});

describe('--json anywhere before --', () => {
  it.each([
    [['node', 'rollcall', 'tenant', 'list', '--json'], true],
    [['node', 'rollcall', '--json', 'tenant', 'list'], true],
    [['node', 'rollcall', 'tenant', 'create', '--', '--json'], false],
    [['node', 'rollcall', 'tenant', 'list'], false],
  ])('%j → %s', (argv, json) => expect(wantsJson(argv)).toBe(json));
});

describe('the progress line of a running run', () => {
  const id = '0190a000-0000-7000-8000-00000000abcd';
  it.each([
    [{ fetched: 0, planned: 0, applied: 0 }, 0, 'sync 0000abcd  | fetching: 0 fetched  0s'],
    [{ fetched: 12345, planned: 0, applied: 0 }, 3_400, 'sync 0000abcd  | fetching: 12,345 fetched  3s'],
    [{ fetched: 2000, planned: 1000, applied: 0 }, 5_000, `sync 0000abcd  [${'-'.repeat(24)}] 0/1,000 applied  (2,000 fetched)  5s`],
    [{ fetched: 2000, planned: 1000, applied: 500 }, 9_999, `sync 0000abcd  [${'#'.repeat(12)}${'-'.repeat(12)}] 500/1,000 applied  (2,000 fetched)  9s`],
    [{ fetched: 2000, planned: 1000, applied: 1000 }, 10_000, `sync 0000abcd  [${'#'.repeat(24)}] 1,000/1,000 applied  (2,000 fetched)  10s`],
  ])('%j after %i ms', (progress, elapsed, line) => expect(progressLine({ id, progress }, elapsed, 200)).toBe(line));
  it('never wraps a narrow terminal', () => {
    const line = progressLine({ id, progress: { fetched: 2000, planned: 1000, applied: 500 } }, 1000, 30);
    expect(line.length).toBe(29);
  });
});
