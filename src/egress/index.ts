import { createEgressFetch } from './fetch.js';
import { createEgressPolicy, type EgressPolicy, type Resolve } from './policy.js';

export { EgressRefusedError, nonPublicRange, parseEgressAllowance, type EgressPolicy, type Resolve } from './policy.js';
export { isEgressRefusal } from './fetch.js';

/** The policy and a `fetch` bound to it; one per process, handed to everything that sends requests. */
export interface Egress {
  policy: EgressPolicy;
  fetch: typeof fetch;
}

/** `allowed`: the operator's EGRESS_ALLOWED entries (hosts, addresses, CIDR ranges). */
export function createEgress(options: { allowed?: readonly string[]; resolve?: Resolve } = {}): Egress {
  const policy = createEgressPolicy(options);
  return { policy, fetch: createEgressFetch(policy) };
}
