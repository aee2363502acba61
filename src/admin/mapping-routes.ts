import { getMapping, listMappingVersions, previewMapping, putMapping } from '../connections/mapping.js';
import { findConnection } from '../connections/service.js';
import { providerDefault } from '../mapping/store.js';
import { actorOf, connectionsOf } from './connection-work.js';
import { mappingSchema } from '../mapping/mapping.js';
import { mappingAnswer, mappingPreviewAnswer, mappingPreviewRequest, mappingSaveAnswer, mappingVersionList } from './mapping-schemas.js';
import { route } from './route.js';

/** A connection's attribute mapping: where each directory attribute's value comes from (README, "Attribute mapping"). */
export const mappingRoutes = [
  route({
    operationId: 'getConnectionMapping',
    tag: 'Attribute mapping',
    method: 'get',
    path: '/tenants/:slug/connections/:id/mapping',
    summary: "The connection's attribute mapping in force (version 0: the connector's default), with that default",
    access: 'tenant-read',
    response: mappingAnswer,
    handler: async (ctx, { params }) => {
      const db = ctx.database.db;
      const row = await findConnection(db, ctx.tenant!.id, params.id!);
      return { ...(await getMapping(db, ctx.tenant!.id, row.id)), default: providerDefault(row.provider) };
    },
  }),
  route({
    operationId: 'saveConnectionMapping',
    tag: 'Attribute mapping',
    method: 'put',
    path: '/tenants/:slug/connections/:id/mapping',
    summary: 'Save a new mapping version (validated: an unknown attribute, a type mismatch or an expression error is 400 naming it); the next run is a full one',
    access: 'tenant-write',
    body: mappingSchema,
    response: mappingSaveAnswer,
    handler: async (ctx, { params, body }) => {
      const { saved, changed } = await putMapping(ctx.database.db, ctx.tenant!.id, params.id!, body, actorOf(ctx));
      await ctx.audit('connection.mapping.save', params.id, { version: saved.version, changed, attributes: saved.mapping.attributes.map((a) => a.attribute) });
      return { ...saved, changed };
    },
  }),
  route({
    operationId: 'listConnectionMappingVersions',
    tag: 'Attribute mapping',
    method: 'get',
    path: '/tenants/:slug/connections/:id/mapping/versions',
    summary: 'Every saved version of the mapping, newest first',
    access: 'tenant-read',
    response: mappingVersionList,
    handler: async (ctx, { params }) => ({ items: await listMappingVersions(ctx.database.db, ctx.tenant!.id, params.id!) }),
  }),
  route({
    operationId: 'previewConnectionMapping',
    tag: 'Attribute mapping',
    method: 'post',
    path: '/tenants/:slug/connections/:id/mapping/preview',
    summary: 'What a mapping (or the one in force) would write for a sample of people read from the HR system now; writes nothing',
    access: 'tenant-write',
    body: mappingPreviewRequest,
    response: mappingPreviewAnswer,
    handler: async (ctx, { params, body }) => {
      const preview = await previewMapping(connectionsOf(ctx), ctx.tenant!.id, params.id!, body);
      await ctx.audit('connection.mapping.preview', params.id, { people: preview.people.length, version: preview.version });
      return preview;
    },
  }),
];
