import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliStore, runCli, type CliStore } from '../support/cli-process.js';

/** `rollcall setup-link` and `rollcall console-link` against a store, as an operator runs them. */
describe('console links from the CLI', { timeout: 120_000 }, () => {
  let store: CliStore;
  let env: Record<string, string>;
  beforeAll(async () => {
    store = await createCliStore('rollcall-console-cli-');
    env = store.env;
  }, 180_000);
  afterAll(async () => {
    await store?.close();
  });

  it('prints a setup link for one tenant and intent, and an operator login link; refuses a bad intent', async () => {
    expect((await runCli(['tenant', 'create', 'acme'], env, { PUBLIC_URL: 'https://rollcall.example.test' })).code).toBe(0);
    const setup = await runCli(['setup-link', '--tenant', 'acme', '--intent', 'hr', '--return-url', 'https://app.example.test/back', '--json'], env, { PUBLIC_URL: 'https://rollcall.example.test' });
    expect(setup.code, setup.stderr).toBe(0);
    const link = JSON.parse(setup.stdout);
    expect(link).toMatchObject({ intent: 'hr', returnUrl: 'https://app.example.test/back', url: expect.stringMatching(/^https:\/\/rollcall\.example\.test\/console\/setup\?token=rc_link_[\w-]{40,}$/) });
    const login = await runCli(['console-link'], env, { PUBLIC_URL: 'https://rollcall.example.test' });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/^https:\/\/rollcall\.example\.test\/console\/login\?token=rc_link_[\w-]{40,}\n$/);
    const bad = await runCli(['setup-link', '--tenant', 'acme', '--intent', 'everything'], env, { PUBLIC_URL: 'https://rollcall.example.test' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('idp, hr, teams, all');
    const missing = await runCli(['setup-link', '--tenant', 'nope'], env, { PUBLIC_URL: 'https://rollcall.example.test' });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('No tenant');
    // Both are in the audit log, without their secrets.
    const audit = await runCli(['audit', '--json'], env, { PUBLIC_URL: 'https://rollcall.example.test' });
    expect(audit.stdout).toContain('setup_link.create');
    expect(audit.stdout).toContain('console_link.create');
    expect(audit.stdout).not.toContain('rc_link_');
  });
});
