/**
 * Fault injection for fake HR servers: "the next N requests", "request number K", optionally
 * only for one endpoint. Faults are consumed as requests arrive, so a test states what goes
 * wrong and the connector's retries decide how many requests that costs.
 */
export type Fault =
  | { type: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Wait, then answer normally: a slow API. */
  | { type: 'delay'; ms: number }
  /** Never answer: the connection stays open until the client gives up or the server closes. */
  | { type: 'hang' }
  /** Send headers and half a body, then stall: a timeout must cover reading the body too. */
  | { type: 'stall_body' }
  /** 200 with a truncated JSON document. */
  | { type: 'invalid_json' }
  /** Drop the TCP connection without an answer: a network error. */
  | { type: 'reset' };

export const faults = {
  /** 429, with `Retry-After` in seconds, as an HTTP date, or absent. */
  tooManyRequests(retryAfter?: number | Date): Fault {
    return { type: 'status', status: 429, headers: retryAfterHeader(retryAfter), body: '{"error":"Too Many Requests"}' };
  },
  /** 503: throttling in BambooHR's older behaviour, or a real outage. */
  unavailable(retryAfter?: number | Date): Fault {
    return { type: 'status', status: 503, headers: retryAfterHeader(retryAfter), body: 'Service Unavailable' };
  },
  serverError(status = 500): Fault {
    return { type: 'status', status, body: 'Internal Server Error' };
  },
  /** 429 with `X-RateLimit-Reset` (HiBob style), as epoch seconds or seconds from now. */
  rateLimitReset(seconds: number, form: 'epoch' | 'delta', nowMs = Date.now()): Fault {
    const reset = form === 'epoch' ? Math.ceil(nowMs / 1000 + seconds) : seconds;
    return { type: 'status', status: 429, headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(reset) } };
  },
};

function retryAfterHeader(retryAfter: number | Date | undefined): Record<string, string> {
  if (retryAfter === undefined) return {};
  return { 'Retry-After': retryAfter instanceof Date ? retryAfter.toUTCString() : String(retryAfter) };
}

interface Rule {
  fault: Fault;
  endpoint: string | undefined;
  /** Remaining uses for "next N"; undefined for "request number K". */
  remaining?: number;
  /** 1-based request number (per endpoint when `endpoint` is set). */
  at?: number;
}

export interface FaultPlan {
  /** The next `count` requests (to `endpoint`, if given) get `fault`. */
  next(count: number, fault: Fault, endpoint?: string): void;
  /** The `n`-th request from now on (to `endpoint`, if given; 1 = the next one) gets `fault`. */
  at(n: number, fault: Fault, endpoint?: string): void;
  clear(): void;
  /** Called by the server for each request; returns the fault to play, if any. */
  take(endpoint: string): Fault | undefined;
}

export function createFaultPlan(): FaultPlan {
  let rules: Rule[] = [];
  const seen = new Map<string | undefined, number>();
  const bump = (key: string | undefined) => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n;
  };
  return {
    next(count, fault, endpoint) {
      rules.push({ fault, endpoint, remaining: count });
    },
    at(n, fault, endpoint) {
      rules.push({ fault, endpoint, at: (seen.get(endpoint) ?? 0) + n });
    },
    clear() {
      rules = [];
    },
    take(endpoint) {
      const counts = new Map<string | undefined, number>([[undefined, bump(undefined)], [endpoint, bump(endpoint)]]);
      for (const rule of rules) {
        if (rule.endpoint !== undefined && rule.endpoint !== endpoint) continue;
        if (rule.at !== undefined) {
          if (counts.get(rule.endpoint) !== rule.at) continue;
          rules = rules.filter((r) => r !== rule);
          return rule.fault;
        }
        if (rule.remaining !== undefined && rule.remaining > 0) {
          rule.remaining--;
          if (rule.remaining === 0) rules = rules.filter((r) => r !== rule);
          return rule.fault;
        }
      }
      return undefined;
    },
  };
}
