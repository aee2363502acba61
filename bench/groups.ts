import type { ScimClient } from './client.js';
import type { BenchConfig } from './config.js';
import type { CpuFigures, Meter } from './cpu.js';
import { cpuNote } from './users.js';
import { percentile, runPool, summarise, type PhaseResult } from './stats.js';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface BatchResult extends PhaseResult {
  batches: number;
  /** Median of the last ten batches over the median of the first ten: ~1 when cost does not grow with the group. */
  lastVsFirst: number;
}

export interface GroupsOutcome {
  create: PhaseResult;
  addMembers: BatchResult;
  getWithMembers: PhaseResult;
  getWithoutMembers: PhaseResult;
  removeMembers: BatchResult;
  /** DELETE /Users of users who are each a member of one group of them all, at the set concurrency. */
  deleteMembers: PhaseResult & CpuFigures;
  memberCount: number;
}

/** Sends `batches` membership PATCHes one after another (they lock the same group row anyway), timing each. */
async function batches(ids: string[], size: number, send: (slice: string[]) => Promise<void>): Promise<BatchResult> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let from = 0; from < ids.length; from += size) {
    const t = performance.now();
    await send(ids.slice(from, from + size));
    latencies.push(performance.now() - t);
  }
  const wall = performance.now() - started;
  const median = (xs: number[]) => percentile(Float64Array.from(xs).sort(), 50);
  const window = Math.min(10, Math.max(1, Math.floor(latencies.length / 2)));
  const ratio = median(latencies.slice(-window)) / median(latencies.slice(0, window));
  return { ...summarise(Float64Array.from(latencies), wall), batches: latencies.length, lastVsFirst: Math.round(ratio * 100) / 100 };
}

async function patch(client: ScimClient, groupId: string, ops: unknown[]): Promise<void> {
  const reply = await client.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: ops });
  if (reply.status !== 204) throw new Error(`PATCH /Groups/:id: ${reply.status} ${reply.body.slice(0, 300)}`);
}

/** The groups part; it ends by deleting the users (members of one big group), so it runs last. */
export async function benchGroups(client: ScimClient, config: BenchConfig, userIds: string[], log: (line: string) => void, meter: Meter): Promise<GroupsOutcome> {
  const groupIds = new Array<string>(config.groups);
  const create = await runPool(config.groups, config.concurrency, async (i) => {
    const created = await client.json<{ id: string }>('POST', '/Groups', { schemas: [GROUP], displayName: `Bench team ${i}`, externalId: `team-${i}` }, 201);
    groupIds[i] = created.id;
  });
  log(`  groups create      ${create.opsPerSec} ops/s  p50 ${create.p50Ms} ms  p99 ${create.p99Ms} ms`);
  const target = groupIds[0]!;

  const addMembers = await batches(userIds, config.batch, (slice) =>
    patch(client, target, [{ op: 'add', path: 'members', value: slice.map((value) => ({ value })) }]),
  );
  log(`  add members        ${addMembers.batches} batches  p50 ${addMembers.p50Ms} ms  p99 ${addMembers.p99Ms} ms  last/first ${addMembers.lastVsFirst}`);

  let memberCount = 0;
  const getWithMembers = await runPool(5, 1, async () => {
    const group = await client.json<{ members?: unknown[] }>('GET', `/Groups/${target}`, undefined, 200);
    memberCount = group.members?.length ?? 0;
  });
  if (memberCount !== userIds.length) throw new Error(`group has ${memberCount} members, expected ${userIds.length}`);
  log(`  GET ${memberCount} members  p50 ${getWithMembers.p50Ms} ms  max ${getWithMembers.maxMs} ms`);
  const getWithoutMembers = await runPool(Math.min(config.ops, 2000), config.concurrency, async () => {
    const reply = await client.request('GET', `/Groups/${target}?excludedAttributes=members`);
    if (reply.status !== 200 || reply.body.includes('"members"')) throw new Error(`GET excludedAttributes=members: ${reply.status}`);
  });
  log(`  GET excl. members  ${getWithoutMembers.opsPerSec} ops/s  p50 ${getWithoutMembers.p50Ms} ms  p99 ${getWithoutMembers.p99Ms} ms`);

  // Entra's form, a value array: a filter path naming 100 members would pass the 4,096-character filter limit.
  const removeMembers = await batches(userIds, config.batch, (slice) =>
    patch(client, target, [{ op: 'remove', path: 'members', value: slice.map((value) => ({ value })) }]),
  );
  log(`  remove members     ${removeMembers.batches} batches  p50 ${removeMembers.p50Ms} ms  p99 ${removeMembers.p99Ms} ms  last/first ${removeMembers.lastVsFirst}`);
  const after = await client.json<{ members?: unknown[] }>('GET', `/Groups/${target}`, undefined, 200);
  if ((after.members?.length ?? 0) !== 0) throw new Error(`group still has ${after.members!.length} members after removal`);

  // Entra's hard delete of people who are all in one big group (an "All staff" group): each delete
  // also takes the user out of the group, and concurrent ones must not queue on it.
  await batches(userIds, config.batch, (slice) => patch(client, target, [{ op: 'add', path: 'members', value: slice.map((value) => ({ value })) }]));
  const deleteMembers = await meter.measure(() =>
    runPool(userIds.length, config.concurrency, async (i) => {
      const reply = await client.request('DELETE', `/Users/${userIds[i]}`);
      if (reply.status !== 204) throw new Error(`DELETE /Users/:id: ${reply.status} ${reply.body.slice(0, 200)}`);
    }),
  );
  log(`  DELETE member      ${String(deleteMembers.opsPerSec).padStart(7)} ops/s  p50 ${deleteMembers.p50Ms} ms  p99 ${deleteMembers.p99Ms} ms${cpuNote(deleteMembers)}`);
  const left = await client.json<{ members?: unknown[] }>('GET', `/Groups/${target}`, undefined, 200);
  if ((left.members?.length ?? 0) !== 0) throw new Error(`group still has ${left.members!.length} members after their users were deleted`);
  return { create, addMembers, getWithMembers, getWithoutMembers, removeMembers, deleteMembers, memberCount };
}
