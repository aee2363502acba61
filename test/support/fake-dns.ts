import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Resolve } from '../../src/egress/index.js';

/**
 * A DNS server on 127.0.0.1 (UDP, RFC 1035 §4), answering A and AAAA queries from a table that a
 * test may change between queries: the names an attacker controls (`*.nip.io`, a rebinding
 * domain) without any traffic leaving loopback. `resolve` is what the egress policy resolves with.
 */
export type Answer = string[] | ((query: number) => string[]);

export interface FakeDns {
  /** Sets the addresses a name resolves to (a function gets the 1-based count of queries for it). */
  set(name: string, answer: Answer): void;
  /** Resolutions of a name so far (its A queries). */
  queries(name: string): number;
  resolve: Resolve;
  close(): Promise<void>;
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (msg[at]! !== 0) {
    const len = msg[at]!;
    labels.push(msg.subarray(at + 1, at + 1 + len).toString('ascii'));
    at += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 1 };
}

export async function startFakeDns(): Promise<FakeDns> {
  const table = new Map<string, Answer>();
  const counts = new Map<string, number>();
  const socket = createSocket('udp4');
  socket.on('message', (msg, peer) => {
    const { name, end } = readName(msg, 12);
    const qtype = msg.readUInt16BE(end);
    // Resolutions are counted by their A query; the AAAA query of the same resolution sees the same count.
    const count = (counts.get(name) ?? 0) + (qtype === 28 ? 0 : 1);
    counts.set(name, count);
    const entry = table.get(name);
    const all = entry === undefined ? [] : typeof entry === 'function' ? entry(count) : entry;
    const wanted = all.filter((a) => isIP(a) === (qtype === 28 ? 6 : 4));
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // id
    // QR, opcode 0, AA, RD copied, RA; NXDOMAIN for an unknown name.
    header.writeUInt16BE(0x8400 | (msg.readUInt16BE(2) & 0x0100) | 0x0080 | (entry === undefined ? 3 : 0), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(wanted.length, 6);
    const question = msg.subarray(12, end + 4);
    const answers = wanted.map((address) => {
      const rdata = Buffer.from(ipaddr.parse(address).toByteArray());
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
      rr.writeUInt16BE(qtype, 2);
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(0, 6); // TTL 0: never cached
      rr.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([rr, rdata]);
    });
    socket.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((ok) => socket.bind(0, '127.0.0.1', ok));
  const resolver = new Resolver({ timeout: 2_000, tries: 1 });
  resolver.setServers([`127.0.0.1:${socket.address().port}`]);
  const resolve: Resolve = async (hostname) => {
    const settle = <T>(p: Promise<T>) => p.catch((error: NodeJS.ErrnoException) => (error.code === 'ENODATA' || error.code === 'ENOTFOUND' ? [] : Promise.reject(error)));
    const [v4, v6] = await Promise.all([settle(resolver.resolve4(hostname)), settle(resolver.resolve6(hostname))]);
    const found = [...v4.map((address) => ({ address, family: 4 })), ...v6.map((address) => ({ address, family: 6 }))];
    if (found.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return {
    set: (name, answer) => void table.set(name.toLowerCase(), answer),
    queries: (name) => counts.get(name.toLowerCase()) ?? 0,
    resolve,
    close: () => new Promise<void>((ok) => socket.close(() => ok())),
  };
}
