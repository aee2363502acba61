import { z } from 'zod';
import { configureTeamSync, disableTeamSync, enableTeamSync, getTeamSync, previewTeamSync } from '../connections/team-sync.js';
import { teamSettingsSchema } from '../teams/settings.js';
import { actorOf, connectionsOf, sourceOf } from './connection-work.js';
import { route } from './route.js';

const teamSyncView = z
  .object({
    connectionId: z.string(),
    enabled: z.boolean(),
    strategy: z.enum(['manager', 'department']),
    /** The template in force (the strategy's default when none was set). */
    nameTemplate: z.string(),
    enabledAt: z.string().nullable(),
    enabledBy: z.string().nullable(),
  })
  .meta({ id: 'TeamSync' });
const teamPreviewTeam = z.object({
  key: z.string(),
  kind: z.enum(['team', 'department', 'unassigned']),
  displayName: z.string(),
  /** Whether enabling creates it (false: an existing team of this connection, kept). */
  new: z.boolean(),
  manager: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  parent: z.string().nullable(),
  members: z.array(z.object({ id: z.string(), displayName: z.string() })),
});
const teamPreview = z
  .object({
    counts: z.record(z.string(), z.number()),
    created: z.array(z.string()),
    renamed: z.array(z.object({ from: z.string(), to: z.string() })),
    removed: z.array(z.object({ id: z.string(), displayName: z.string() })),
    teams: z.array(teamPreviewTeam),
  })
  .meta({ id: 'TeamSyncPreview' });
const settingsBody = teamSettingsSchema;
const enableBody = teamSettingsSchema.extend({ confirm: z.literal(true) });
const BUSY = { 409: 'A sync of this connection is running, the connection is disconnected, or team sync is already in that state' };

export const teamSyncRoutes = [
  route({
    operationId: 'getTeamSync',
    tag: 'Team sync',
    method: 'get',
    path: '/tenants/:slug/connections/:id/team-sync',
    summary: 'Team sync of a connection: on or off, strategy and name template',
    access: 'tenant-read',
    response: teamSyncView,
    handler: (ctx, { params }) => getTeamSync(ctx.database.db, ctx.tenant!.id, params.id!),
  }),
  route({
    operationId: 'updateTeamSync',
    tag: 'Team sync',
    method: 'patch',
    path: '/tenants/:slug/connections/:id/team-sync',
    summary: 'Team sync settings: `strategy` (manager or department) and `nameTemplate` ({manager}, {managerFirstName}, {department}); applied by the next run',
    access: 'tenant-write',
    body: settingsBody,
    response: teamSyncView,
    handler: async (ctx, { params, body }) => {
      const view = await configureTeamSync(ctx.database.db, ctx.tenant!.id, params.id!, body);
      await ctx.audit('connection.team_sync.configure', params.id, { ...body });
      return view;
    },
  }),
  route({
    operationId: 'previewTeamSync',
    tag: 'Team sync',
    method: 'post',
    path: '/tenants/:slug/connections/:id/team-sync/preview',
    summary: "Preview team sync, writing nothing: the teams (reviewer, parent, members) and the tenant's existing teams that enabling removes",
    access: 'tenant-write',
    body: settingsBody,
    response: teamPreview.extend({ settings: z.object({ strategy: z.string(), nameTemplate: z.string() }) }),
    handler: async (ctx, { params, body }) => {
      const preview = await previewTeamSync(ctx.database.db, ctx.tenant!.id, params.id!, body);
      await ctx.audit('connection.team_sync.preview', params.id, { ...preview.settings, counts: preview.counts });
      return preview;
    },
  }),
  route({
    operationId: 'enableTeamSync',
    tag: 'Team sync',
    method: 'post',
    path: '/tenants/:slug/connections/:id/team-sync/enable',
    summary: "Enable team sync (`confirm: true` required): replaces the tenant's teams with those of the preview; from then on each applied run keeps them in step",
    access: 'tenant-write',
    body: enableBody,
    response: teamSyncView.extend({ preview: teamPreview }),
    responses: BUSY,
    handler: async (ctx, { params, body }) => {
      const result = await enableTeamSync(connectionsOf(ctx), ctx.tenant!.id, params.id!, body, actorOf(ctx), sourceOf(ctx));
      await ctx.audit('connection.team_sync.enable', params.id, { strategy: result.strategy, nameTemplate: result.nameTemplate, counts: result.preview.counts });
      return result;
    },
  }),
  route({
    operationId: 'disableTeamSync',
    tag: 'Team sync',
    method: 'post',
    path: '/tenants/:slug/connections/:id/team-sync/disable',
    summary: 'Stop team sync: the teams stay and become editable like any group',
    access: 'tenant-write',
    response: teamSyncView.extend({ released: z.number() }),
    responses: BUSY,
    handler: async (ctx, { params }) => {
      const result = await disableTeamSync(connectionsOf(ctx), ctx.tenant!.id, params.id!, sourceOf(ctx));
      await ctx.audit('connection.team_sync.disable', params.id, { released: result.released });
      return result;
    },
  }),
];
