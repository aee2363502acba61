import { findConnection, approveRun, rejectRun, syncConnection } from '../connections/service.js';
import type { Executor } from '../db/client.js';
import { allOperations, pageOperations } from '../sync/run-operations.js';
import { getRun, listRuns, runView as viewOf, type RunRow } from '../sync/runs.js';
import { operationsPage, operationsQuery, previewBody, runPage, runQuery, runsQuery, runView, waitQuery } from './connection-schemas.js';
import { actorOf, connectionsOf, sourceOf, startInBackground } from './connection-work.js';
import { Answer, route } from './route.js';

/** A run with every planned operation (the compatible, unpaged form; pages: GET …/runs/{id}/operations). */
const detailed = async (db: Executor, run: RunRow) => viewOf(run, await allOperations(db, run.id));

const WAIT = { 200: 'With `?wait=true`: the finished run', 409: 'A run of this connection is already going, or it is disconnected' };

export const runRoutes = [
  route({
    operationId: 'previewSync',
    tag: 'Runs',
    method: 'post',
    path: '/tenants/:slug/connections/:id/preview',
    summary:
      'Preview: fetch from the HR system and plan, writing nothing to the directory; the run with its counts and operations. A body with `scope`, `onboarding` or `safetyThresholdPercent` previews those settings before they are saved',
    access: 'tenant-write',
    body: previewBody,
    response: runView,
    responses: { 409: WAIT[409] },
    handler: async (ctx, { params, body }) => {
      const proposed = body && Object.keys(body).length > 0 ? body : undefined;
      const { run } = await syncConnection(connectionsOf(ctx), ctx.tenant!.id, params.id!, { mode: 'preview', ...(proposed ? { proposed } : {}) });
      await ctx.audit('connection.preview', params.id, { runId: run.id, state: run.state, counts: run.counts });
      return detailed(ctx.database.db, run);
    },
  }),
  route({
    operationId: 'syncConnection',
    tag: 'Runs',
    method: 'post',
    path: '/tenants/:slug/connections/:id/sync',
    summary: 'Sync now: 202 with the run as soon as it is recorded (it goes on in the server; poll GET /runs/{id}); `?wait=true` answers 200 when it has finished',
    access: 'tenant-write',
    query: waitQuery,
    response: runView,
    status: 202,
    responses: WAIT,
    handler: async (ctx, { params, query }) => {
      const deps = connectionsOf(ctx);
      const tenantId = ctx.tenant!.id;
      if (query.wait === 'true') {
        const { run } = await syncConnection(deps, tenantId, params.id!, { mode: 'apply' });
        await ctx.audit('connection.sync', params.id, { runId: run.id, state: run.state, counts: run.counts });
        return new Answer(200, viewOf(run));
      }
      const run = await startInBackground(ctx, { connectionId: params.id, tenantId }, (onStart) => syncConnection(deps, tenantId, params.id!, { mode: 'apply', onStart }));
      await ctx.audit('connection.sync', params.id, { runId: run.id, state: run.state });
      return new Answer(202, viewOf(run));
    },
  }),
  route({
    operationId: 'listRuns',
    tag: 'Runs',
    method: 'get',
    path: '/tenants/:slug/connections/:id/runs',
    summary: "A connection's sync history, newest first, with counts and errors (page with `before`)",
    access: 'tenant-read',
    query: runsQuery,
    response: runPage,
    handler: async (ctx, { params, query }) => {
      const connection = await findConnection(ctx.database.db, ctx.tenant!.id, params.id!);
      const found = await listRuns(ctx.database.db, ctx.tenant!.id, connection.id, query.limit + 1, query.before);
      const items = found.slice(0, query.limit).map((r) => viewOf(r));
      return { items, ...(found.length > query.limit ? { nextBefore: items.at(-1)!.id } : {}) };
    },
  }),
  route({
    operationId: 'getRun',
    tag: 'Runs',
    method: 'get',
    path: '/tenants/:slug/runs/:id',
    summary: 'One sync run: state, counts, progress, errors, why it was held; `?operations=true` adds the planned operations',
    access: 'tenant-read',
    query: runQuery,
    response: runView,
    handler: async (ctx, { params, query }) => {
      const run = await getRun(ctx.database.db, ctx.tenant!.id, params.id!);
      return query.operations === 'true' ? detailed(ctx.database.db, run) : viewOf(run);
    },
  }),
  route({
    operationId: 'listRunOperations',
    tag: 'Runs',
    method: 'get',
    path: '/tenants/:slug/runs/:id/operations',
    summary: "A run's planned operations and the HR records it skipped, each with its reason, in plan order, a page at a time (`kind` for one kind, `cursor` from `next`)",
    access: 'tenant-read',
    query: operationsQuery,
    response: operationsPage,
    handler: async (ctx, { params, query }) => {
      const run = await getRun(ctx.database.db, ctx.tenant!.id, params.id!);
      return pageOperations(ctx.database.db, run.id, { ...(query.kind ? { kind: query.kind } : {}), ...(query.cursor ? { cursor: query.cursor } : {}), limit: query.limit });
    },
  }),
  route({
    operationId: 'approveRun',
    tag: 'Runs',
    method: 'post',
    path: '/tenants/:slug/runs/:id/approve',
    summary: 'Approve a run the safety stop held: it is applied now, without the stop (202 with the new run; `?wait=true`: 200 when finished)',
    access: 'tenant-write',
    query: waitQuery,
    response: runView,
    status: 202,
    responses: { 200: WAIT[200], 409: 'The run is not held, or a run of its connection is going' },
    handler: async (ctx, { params, query }) => {
      const deps = connectionsOf(ctx);
      const tenantId = ctx.tenant!.id;
      const actor = actorOf(ctx);
      if (query.wait === 'true') {
        const { run } = await approveRun(deps, tenantId, params.id!, actor);
        await ctx.audit('run.approve', params.id, { runId: run.id, connectionId: run.connectionId, state: run.state, counts: run.counts });
        return new Answer(200, viewOf(run));
      }
      const run = await startInBackground(ctx, { heldRunId: params.id, tenantId }, (onStart) => approveRun(deps, tenantId, params.id!, actor, onStart));
      await ctx.audit('run.approve', params.id, { runId: run.id, connectionId: run.connectionId, state: run.state });
      return new Answer(202, viewOf(run));
    },
  }),
  route({
    operationId: 'rejectRun',
    tag: 'Runs',
    method: 'post',
    path: '/tenants/:slug/runs/:id/reject',
    summary: 'Reject a held run: nothing is applied; the connection returns to its schedule',
    access: 'tenant-write',
    response: runView,
    responses: { 409: 'The run is not held' },
    handler: async (ctx, { params }) => {
      const run = await rejectRun(connectionsOf(ctx), ctx.tenant!.id, params.id!, actorOf(ctx), sourceOf(ctx));
      await ctx.audit('run.reject', params.id, { connectionId: run.connectionId });
      return run;
    },
  }),
];
