import { z } from 'zod';
import { connectionView as viewOf } from '../connections/connection.js';
import { disconnectConnection } from '../connections/people.js';
import { createConnection, findConnection, listConnections, updateConnection } from '../connections/service.js';
import { connectionCreate, connectionUpdate, connectionView, disconnectBody, disconnected } from './connection-schemas.js';
import { connectionsOf, sourceOf } from './connection-work.js';
import { connectionCreateDocumented, connectionUpdateDocumented } from './provider-schemas.js';
import { route } from './route.js';
import { hrValues, hrValuesView } from '../connections/hr-values.js';

/** What an audit entry may say about settings: everything but the credentials, which are named, never shown. */
function settingsDetail(body: Record<string, unknown>): Record<string, unknown> {
  const { credentials, ...settings } = body;
  return { ...settings, ...(credentials !== undefined ? { credentials: 'replaced' } : {}) };
}

export const connectionRoutes = [
  route({
    operationId: 'createConnection',
    tag: 'Connections',
    method: 'post',
    path: '/tenants/:slug/connections',
    summary: 'Connect an HR system: the credentials are checked with one call to it, then stored encrypted',
    access: 'tenant-write',
    body: connectionCreate,
    documentedBody: connectionCreateDocumented,
    response: connectionView,
    status: 201,
    responses: { 400: 'Invalid settings, or credentials the HR system refused (`reason` names why)' },
    handler: async (ctx, { body }) => {
      const view = await createConnection(connectionsOf(ctx), ctx.tenant!.id, body);
      const { credentials: _credentials, ...settings } = body;
      await ctx.audit('connection.create', view.id, { ...settings, status: view.status });
      return view;
    },
  }),
  route({
    operationId: 'listConnections',
    tag: 'Connections',
    method: 'get',
    path: '/tenants/:slug/connections',
    summary: "The tenant's HR connections with their status (never their credentials)",
    access: 'tenant-read',
    response: z.array(connectionView),
    handler: (ctx) => listConnections(ctx.database.db, ctx.tenant!.id),
  }),
  route({
    operationId: 'getConnection',
    tag: 'Connections',
    method: 'get',
    path: '/tenants/:slug/connections/:id',
    summary: 'One HR connection: status and reason, scope, onboarding, schedule, next run',
    access: 'tenant-read',
    response: connectionView,
    handler: async (ctx, { params }) => viewOf(await findConnection(ctx.database.db, ctx.tenant!.id, params.id!)),
  }),
  route({
    operationId: 'updateConnection',
    tag: 'Connections',
    method: 'patch',
    path: '/tenants/:slug/connections/:id',
    summary: 'Configure a connection: scope, onboarding, schedule, safety threshold, disconnect mode, base URL, new credentials',
    access: 'tenant-write',
    body: connectionUpdate,
    documentedBody: connectionUpdateDocumented,
    response: connectionView,
    responses: { 409: 'The connection is disconnected' },
    handler: async (ctx, { params, body }) => {
      const view = await updateConnection(connectionsOf(ctx), ctx.tenant!.id, params.id!, body, sourceOf(ctx));
      await ctx.audit('connection.configure', params.id, { changed: Object.keys(body).sort(), ...settingsDetail(body) });
      return view;
    },
  }),
  route({
    operationId: 'getConnectionValues',
    tag: 'Connections',
    method: 'get',
    path: '/tenants/:slug/connections/:id/values',
    summary: 'The locations, departments and teams the HR system has (read from it now), to build scope rules from; writes nothing',
    access: 'tenant-read',
    response: hrValuesView.meta({ id: 'HrValues' }),
    handler: (ctx, { params }) => hrValues(connectionsOf(ctx), ctx.tenant!.id, params.id!),
  }),
  route({
    operationId: 'disconnectConnection',
    tag: 'Connections',
    method: 'post',
    path: '/tenants/:slug/connections/:id/disconnect',
    summary: "Disconnect: `keep` leaves every user (now unmanaged); `clean` also removes this connection's candidates and pending invitations",
    access: 'tenant-write',
    body: disconnectBody,
    response: disconnected,
    responses: { 409: 'Already disconnected' },
    handler: async (ctx, { params, body }) => {
      const tenantId = ctx.tenant!.id;
      const summary = await disconnectConnection(ctx.database.db, tenantId, params.id!, body.mode, sourceOf(ctx));
      await ctx.audit('connection.disconnect', params.id, { ...summary });
      return { ...summary, connection: viewOf(await findConnection(ctx.database.db, tenantId, params.id!)) };
    },
  }),
];
