import { describe, expect, it } from 'vitest';
import { baseUrlRefusal, parseBaseUrlAllowance } from '../../src/connections/base-url.js';
import { createEgressPolicy, nonPublicRange, parseEgressAllowance } from '../../src/egress/policy.js';
import { readEnv } from '../../src/env.js';

describe('which addresses are public', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:7f00:1', 'loopback'],
    ['::7f00:1', 'ipv4Compatible'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00:1::', '6to4'],
  ])('%s is %s', (address, range) => {
    expect(nonPublicRange(address)).toBe(range);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.216.34'])('%s is public', (address) => {
    expect(nonPublicRange(address)).toBeUndefined();
  });

  it('an allowance opens exactly what it names', () => {
    const policy = createEgressPolicy({ allowed: ['hooks.corp.test', '10.20.0.0/16', 'fd00::7', '::ffff:192.168.5.0/120'] });
    expect(policy.refusal('hooks.corp.test', '10.99.0.1')).toBeUndefined();
    expect(policy.refusal('HOOKS.corp.test.', '127.0.0.1')).toBeUndefined();
    expect(policy.refusal('other.corp.test', '10.20.3.4')).toBeUndefined();
    expect(policy.refusal('other.corp.test', '::ffff:10.20.3.4')).toBeUndefined();
    expect(policy.refusal('other.corp.test', '10.21.0.1')).toBe('private address');
    expect(policy.refusal('other.corp.test', 'fd00::7')).toBeUndefined();
    expect(policy.refusal('other.corp.test', 'fd00::8')).toBe('uniqueLocal address');
    expect(policy.refusal('other.corp.test', '192.168.5.9')).toBeUndefined();
    expect(policy.refusal('hooks.corp.test.evil.test', '127.0.0.1')).toBe('loopback address');
    expect(policy.refusalOfHost('[::1]')).toBe('loopback address');
    expect(policy.refusalOfHost('example.com')).toBeUndefined();
  });

  it.each(['10.0.0.0/33', 'not a host!', 'http://hooks.corp.test', '1.2.3.4/x'])('refuses the allowance entry %s', (entry) => {
    expect(() => parseEgressAllowance([entry])).toThrow(entry);
  });
});

describe('HR base URLs', () => {
  const hosts = ['*.bamboohr.com'];
  const allowance = parseBaseUrlAllowance(['https://hr-proxy.corp.test/bamboo', 'http://127.0.0.1:*', 'https://sandbox.test:8443']);
  it.each([
    ['https://acme.bamboohr.com/api/gateway.php/acme', undefined],
    ['https://hr-proxy.corp.test/bamboo/api', undefined],
    ['https://hr-proxy.corp.test/bamboo', undefined],
    ['http://127.0.0.1:41234/api', undefined],
    ['https://sandbox.test:8443/api', undefined],
    ['https://hr-proxy.corp.test/bamboozled', /not one of the provider's/],
    ['https://sandbox.test/api', /not one of the provider's/],
    ['http://127.0.0.2:41234/api', /not one of the provider's/],
    ['https://bamboohr.com.evil.test/api', /not one of the provider's/],
    ['http://acme.bamboohr.com/api', /https on the standard port/],
    ['https://a:b@acme.bamboohr.com/api', /credentials/],
  ])('%s', (url, expected) => {
    const refused = baseUrlRefusal(url, hosts, allowance);
    if (expected === undefined) expect(refused).toBeUndefined();
    else expect(refused).toMatch(expected);
  });
});

describe('the settings', () => {
  it('read as lists, and a bad entry stops the start naming the variable', () => {
    const env = readEnv({ EGRESS_ALLOWED: 'hooks.corp.test, 10.0.0.0/8', HR_ALLOWED_BASE_URLS: 'http://127.0.0.1:*' });
    expect(env.EGRESS_ALLOWED).toEqual(['hooks.corp.test', '10.0.0.0/8']);
    expect(env.HR_ALLOWED_BASE_URLS).toEqual(['http://127.0.0.1:*']);
    expect(readEnv({}).EGRESS_ALLOWED).toEqual([]);
    expect(() => readEnv({ EGRESS_ALLOWED: '10.0.0.0/40' })).toThrow(/^Invalid configuration: EGRESS_ALLOWED: .*10\.0\.0\.0\/40/);
    expect(() => readEnv({ HR_ALLOWED_BASE_URLS: 'ftp://files.test' })).toThrow(/^Invalid configuration: HR_ALLOWED_BASE_URLS: /);
  });
});
