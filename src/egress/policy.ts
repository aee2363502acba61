import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The one egress policy for every request Rollcall makes (webhooks, HR APIs, the identity
 * provider's JWKS): only public unicast addresses, unless the operator allows a host or range.
 *
 * The check is made on the address a connection is about to use, inside the socket's own DNS
 * lookup, so the address checked is the address connected to: no second resolution a rebinding
 * DNS server could answer differently. IP literals never reach a lookup (Node connects to them
 * directly), so they are checked before connecting; the URL parser has already turned every
 * spelling of them (decimal, hex, octal, short forms, IPv4-mapped IPv6) into the canonical one.
 */
export interface EgressPolicy {
  /** Why `address` (reached as `hostname`) is refused, or undefined when it may be connected to. */
  refusal(hostname: string, address: string): string | undefined;
  /** For a host that is an IP literal (with or without brackets): the refusal, known before any lookup. */
  refusalOfHost(hostname: string): string | undefined;
  /** A `net.connect` lookup that resolves, then refuses the whole connection if any address is refused. */
  lookup: LookupFunction;
}

/** Thrown (as a socket error) for a refused destination; never shown to a tenant with its detail. */
export class EgressRefusedError extends Error {
  override readonly name = 'EgressRefusedError';
  readonly code = 'EGRESS_REFUSED';
}

export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolve: Resolve = (hostname) =>
  new Promise((ok, fail) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? fail(error) : ok(addresses))));

/** Ranges ipaddr.js calls `unicast` but that still lead inside or nowhere. */
const EXTRA_REFUSED: [ipaddr.IPv6, number][] = [
  // IPv4-compatible IPv6 (deprecated, RFC 4291 §2.5.5.1): ::7f00:1 is 127.0.0.1 to some stacks.
  ipaddr.IPv6.parseCIDR('::/96'),
];

/** The canonical address: IPv4-mapped IPv6 (::ffff:a.b.c.d) is the IPv4 address it carries. */
function normalise(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare) || isIP(bare) === 0) return undefined;
  const parsed = ipaddr.parse(bare);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
}

/** Why an address is not public (ipaddr.js's range name: loopback, private, linkLocal, …), or undefined. */
export function nonPublicRange(address: string): string | undefined {
  const ip = normalise(address);
  if (!ip) return 'not an IP address';
  const range = ip.range();
  if (range !== 'unicast') return range;
  if (ip.kind() === 'ipv6' && EXTRA_REFUSED.some((cidr) => (ip as ipaddr.IPv6).match(cidr))) return 'ipv4Compatible';
  return undefined;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface EgressAllowance {
  hosts: Set<string>;
  ranges: Cidr[];
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

const hostKey = (hostname: string) => hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

/**
 * Parses the operator's allow-list: exact host names (`hooks.corp.example`), addresses
 * (`10.0.0.7`, `::1`) and CIDR ranges (`10.20.0.0/16`, `fd00::/8`). Throws naming a bad entry.
 */
export function parseEgressAllowance(entries: readonly string[]): EgressAllowance {
  const hosts = new Set<string>();
  const ranges: Cidr[] = [];
  for (const raw of entries.map((e) => e.trim()).filter(Boolean)) {
    const entry = raw.replace(/^\[|\]$/g, '');
    if (entry.includes('/')) {
      try {
        const [ip, bits] = ipaddr.parseCIDR(entry);
        // Addresses are compared in their IPv4 form when they carry one (normalise): so are ranges.
        const mapped = ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96;
        ranges.push(mapped ? [(ip as ipaddr.IPv6).toIPv4Address(), bits - 96] : [ip, bits]);
      } catch {
        throw new Error(`"${raw}" is not a CIDR range`);
      }
    } else if (isIP(entry) !== 0) {
      const ip = normalise(entry)!;
      ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else if (HOSTNAME.test(entry.toLowerCase().replace(/\.$/, ''))) {
      hosts.add(hostKey(entry));
    } else {
      throw new Error(`"${raw}" is neither a host name, an IP address nor a CIDR range`);
    }
  }
  return { hosts, ranges };
}

function inRanges(address: string, ranges: Cidr[]): boolean {
  const ip = normalise(address);
  return !!ip && ranges.some(([base, bits]) => base.kind() === ip.kind() && ip.match(base as never, bits));
}

const LOCAL_NAMES = /(^|\.)localhost$/;

export function createEgressPolicy(options: { allowed?: readonly string[]; resolve?: Resolve } = {}): EgressPolicy {
  const allowance = parseEgressAllowance(options.allowed ?? []);
  const resolve = options.resolve ?? systemResolve;

  const refusal = (hostname: string, address: string): string | undefined => {
    if (allowance.hosts.has(hostKey(hostname))) return undefined;
    if (inRanges(address, allowance.ranges)) return undefined;
    const range = nonPublicRange(address);
    return range ? `${range} address` : undefined;
  };

  const refusalOfHost = (hostname: string): string | undefined => {
    const host = hostKey(hostname);
    return isIP(host) !== 0 ? refusal(host, host) : undefined;
  };

  const lookup = ((hostname: string, options: { all?: boolean } | number | undefined, callback: (...args: unknown[]) => void) => {
    const all = typeof options === 'object' && options !== null && options.all === true;
    const host = hostKey(hostname);
    const answer = (addresses: { address: string; family: number }[]) => {
      if (addresses.length === 0) return callback(new EgressRefusedError(`${host} resolved to no address`));
      // One refused address refuses them all: a connection may fall back to any of them.
      const refused = addresses.map((a) => refusal(host, a.address)).find(Boolean);
      if (refused) return callback(new EgressRefusedError(`${host} resolves to a ${refused}`));
      if (all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    };
    if (isIP(host) !== 0) return answer([{ address: host, family: isIP(host) }]);
    // RFC 6761 §6.3: these names are loopback whatever a resolver would say.
    if (LOCAL_NAMES.test(host)) return answer([{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
    resolve(host).then(answer, (error: unknown) => callback(error));
  }) as unknown as LookupFunction;

  return { refusal, refusalOfHost, lookup };
}
