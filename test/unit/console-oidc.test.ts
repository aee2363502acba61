import { describe, expect, it } from 'vitest';
import { identityFrom, insecureAllowed, OidcSignInError, providerErrorCode } from '../../src/auth/console-oidc.js';
import { SignedOut } from '../../src/console/sign-in.js';
import { readEnv } from '../../src/env.js';

const R = 'rollcall_role';
const T = 'rollcall_tenant';

describe('who an ID token makes of the person', () => {
  it.each([
    ['operator', { sub: 'u1', [R]: 'operator' }, { subject: 'oidc:u1', role: 'operator' }],
    ['operator, a tenant claim ignored', { sub: 'u1', [R]: 'operator', [T]: 'acme' }, { subject: 'oidc:u1', role: 'operator' }],
    ['admin of a tenant', { sub: 'u2', [R]: 'admin', [T]: 'acme' }, { subject: 'oidc:u2', role: 'admin', tenant: 'acme' }],
    ['auditor of a tenant', { sub: 'u3', [R]: 'auditor', [T]: 'acme' }, { subject: 'oidc:u3', role: 'auditor', tenant: 'acme' }],
    ['roles as an array (Entra app roles): the strongest', { sub: 'u4', [R]: ['auditor', 'admin'], [T]: 'acme' }, { subject: 'oidc:u4', role: 'admin', tenant: 'acme' }],
    ['unknown roles beside a known one', { sub: 'u5', [R]: ['viewer', 'auditor'], [T]: ['acme'] }, { subject: 'oidc:u5', role: 'auditor', tenant: 'acme' }],
  ])('%s', (_name, claims, expected) => {
    expect(identityFrom(claims, R, T)).toEqual(expected);
  });

  it.each([
    ['no role claim', { sub: 'u' }, 'no_role'],
    ['an unknown role', { sub: 'u', [R]: 'superuser', [T]: 'acme' }, 'no_role'],
    ['a role of another type', { sub: 'u', [R]: 1 }, 'no_role'],
    ['a role with other case', { sub: 'u', [R]: 'Operator' }, 'no_role'],
    ['an empty role list', { sub: 'u', [R]: [] }, 'no_role'],
    ['admin without a tenant', { sub: 'u', [R]: 'admin' }, 'no_tenant'],
    ['auditor with an empty tenant', { sub: 'u', [R]: 'auditor', [T]: '' }, 'no_tenant'],
    ['admin of two tenants at once', { sub: 'u', [R]: 'admin', [T]: ['acme', 'globex'] }, 'no_tenant'],
  ])('%s is refused (%s)', (_name, claims, reason) => {
    const error = (() => {
      try {
        identityFrom(claims, R, T);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(OidcSignInError);
    expect((error as OidcSignInError).reason).toBe(reason);
  });

  it('reads the claims the configuration names', () => {
    expect(identityFrom({ sub: 'u', roles: ['admin'], org: 'acme' }, 'roles', 'org')).toEqual({ subject: 'oidc:u', role: 'admin', tenant: 'acme' });
  });
});

describe('what a provider error shows', () => {
  it.each([
    ['access_denied', 'access_denied'],
    ['login_required', 'login_required'],
    ['<script>alert(1)</script>', 'error'],
    [null, 'error'],
  ])('%s → %s', (raw, shown) => expect(providerErrorCode(raw)).toBe(shown));
});

describe('plain http issuers', () => {
  it.each([
    ['http://127.0.0.1:8080', true],
    ['http://localhost:9000/realms/x', true],
    ['http://[::1]:5556', true],
    ['https://acme.okta.com', false],
    ['http://idp.corp.example', false],
    ['http://10.0.0.5', false],
  ])('%s → %s', (issuer, allowed) => expect(insecureAllowed(issuer)).toBe(allowed));
});

describe('the settings', () => {
  const idp = { ADMIN_JWT_ISSUER: 'https://acme.okta.com/oauth2/default', ADMIN_JWT_AUDIENCE: 'api://rollcall', ADMIN_JWKS_URL: 'https://acme.okta.com/oauth2/default/v1/keys' };
  it('a client id with the admin JWT issuer turns sign-in on; the secret and name are optional', () => {
    const env = readEnv({ ...idp, CONSOLE_OIDC_CLIENT_ID: '0oa1', CONSOLE_OIDC_CLIENT_SECRET: 's', CONSOLE_OIDC_NAME: 'Okta' });
    expect([env.CONSOLE_OIDC_CLIENT_ID, env.CONSOLE_OIDC_CLIENT_SECRET, env.CONSOLE_OIDC_NAME]).toEqual(['0oa1', 's', 'Okta']);
    expect(readEnv({ ...idp, CONSOLE_OIDC_CLIENT_ID: '0oa1' }).CONSOLE_OIDC_CLIENT_SECRET).toBeUndefined();
    expect(readEnv({ ...idp, ADMIN_JWT_ISSUER: 'http://127.0.0.1:5556', CONSOLE_OIDC_CLIENT_ID: 'dev' }).CONSOLE_OIDC_CLIENT_ID).toBe('dev');
  });
  it.each([
    [{ CONSOLE_OIDC_CLIENT_ID: '0oa1' }, /^Invalid configuration: ADMIN_JWT_ISSUER: required when CONSOLE_OIDC_CLIENT_ID/],
    [{ ...idp, CONSOLE_OIDC_CLIENT_SECRET: 's' }, /^Invalid configuration: CONSOLE_OIDC_CLIENT_ID: required/],
    [{ ...idp, ADMIN_JWT_ISSUER: 'http://idp.corp.example', CONSOLE_OIDC_CLIENT_ID: '0oa1' }, /^Invalid configuration: ADMIN_JWT_ISSUER: must be an https:\/\/ URL/],
    [{ ...idp, ADMIN_JWT_ISSUER: 'rollcall-idp', CONSOLE_OIDC_CLIENT_ID: '0oa1' }, /^Invalid configuration: ADMIN_JWT_ISSUER: must be an https:\/\/ URL/],
  ])('%o stops the start', (source, message) => {
    expect(() => readEnv(source)).toThrow(message);
  });
});

describe('the signed-out page', () => {
  it('shows the button only when a provider is configured', async () => {
    const without = String(await SignedOut({}).toString());
    expect(without).not.toContain('Sign in with');
    expect(without).not.toContain('/console/auth/start');
    expect(without).toContain('rollcall console-link');
    const withIdp = String(await SignedOut({ oidc: { label: 'Okta' } }).toString());
    expect(withIdp).toContain('<a class="button" href="/console/auth/start">Sign in with Okta</a>');
    expect(withIdp).toContain('rollcall console-link');
  });
});
