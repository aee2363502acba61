import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { EgressRefusedError, type EgressPolicy } from './policy.js';
import { plainRequestOf, requestAsResponse } from './request-fetch.js';

/**
 * A `fetch` whose every connection goes through the egress policy: the socket's lookup refuses a
 * name that resolves to an inside address, and an IP literal is judged before connecting. A
 * redirect opens its connection through the same agent, so it cannot lead anywhere the policy
 * refuses; `redirect: 'manual'` is the default besides, so a request (and the credentials in it)
 * never follows a redirect to another host unless the caller asks for it. A plain request (most of
 * them) goes through undici's lighter `request` API and still answers as fetch (request-fetch.ts).
 */
export function createEgressFetch(policy: EgressPolicy): typeof fetch {
  const connect = buildConnector({ lookup: policy.lookup, timeout: 10_000 });
  const agent = new Agent({
    connect: (options, callback) => {
      const refused = policy.refusalOfHost(options.hostname);
      if (refused) return callback(new EgressRefusedError(`${options.hostname} is a ${refused}`), null);
      connect(options, callback);
    },
  });
  // Async, so that a bad URL or header rejects the promise, as fetch's do, instead of throwing.
  const egressFetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const plain = plainRequestOf(input, init);
    if (plain) return requestAsResponse(agent, plain);
    return undiciFetch(input as Parameters<typeof undiciFetch>[0], { redirect: 'manual', ...(init as object), dispatcher: agent } as Parameters<typeof undiciFetch>[1]);
  };
  return egressFetch as unknown as typeof fetch;
}

/** Whether an error from a request (or what caused it) is the egress policy's refusal. */
export function isEgressRefusal(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof EgressRefusedError || (e as { code?: unknown }).code === 'EGRESS_REFUSED') return true;
  }
  return false;
}
