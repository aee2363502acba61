import { subscribe } from 'node:diagnostics_channel';
import { bodyParseChannel } from '../connectors/http/json-body.js';

/**
 * Time the process spends waiting on HR servers: from a request's creation until its last byte
 * arrives (or it fails), through undici's diagnostics channels, which every outbound request of
 * the connectors goes through. Overlapping requests count once (the union of busy intervals), so
 * wall time minus this is the time Rollcall itself takes: planning, writing, parsing, pacing.
 * A large JSON body is parsed while it arrives (connectors/http/json-body.ts): that parse falls
 * inside its request's interval, and is taken back out, as the parser reports it.
 */
export function watchHrWait(): { totalMs(): number } {
  let active = 0;
  let busySince = 0;
  let total = 0;
  let parsing = 0;
  const open = new WeakSet<object>();
  const start = ({ request }: { request: object }) => {
    open.add(request);
    if (active++ === 0) busySince = performance.now();
  };
  const end = ({ request }: { request: object }) => {
    if (!open.delete(request)) return;
    if (--active === 0) total += performance.now() - busySince;
  };
  subscribe('undici:request:create', start as (m: unknown) => void);
  subscribe('undici:request:trailers', end as (m: unknown) => void);
  subscribe('undici:request:error', end as (m: unknown) => void);
  bodyParseChannel.subscribe((m) => void (parsing += (m as { ms: number }).ms));
  return { totalMs: () => total + (active > 0 ? performance.now() - busySince : 0) - parsing };
}
