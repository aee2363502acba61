import { z } from 'zod';
import { acceptInvitation, inviteCandidate, listCandidates } from '../connections/people.js';
import { findConnection } from '../connections/service.js';
import { candidatesQuery, connectionCandidatesQuery, personView } from './connection-schemas.js';
import { sourceOf } from './connection-work.js';
import { route, type AdminContext } from './route.js';

/** Candidates of one connection (checked to be the tenant's: another tenant's id is 404), or of all. */
async function candidates(ctx: AdminContext, connectionId: string | undefined, limit: number) {
  const tenantId = ctx.tenant!.id;
  if (connectionId !== undefined) await findConnection(ctx.database.db, tenantId, connectionId);
  return listCandidates(ctx.database.db, tenantId, connectionId ?? null, limit);
}

export const peopleRoutes = [
  route({
    operationId: 'listCandidates',
    tag: 'People',
    method: 'get',
    path: '/tenants/:slug/candidates',
    summary: 'People an HR connection found who wait for an invitation (review mode); `?connection=` for one connection',
    access: 'tenant-read',
    query: candidatesQuery,
    response: z.array(personView),
    handler: (ctx, { query }) => candidates(ctx, query.connection, query.limit),
  }),
  route({
    operationId: 'listConnectionCandidates',
    tag: 'People',
    method: 'get',
    path: '/tenants/:slug/connections/:id/candidates',
    summary: "A connection's candidates, waiting for an invitation",
    access: 'tenant-read',
    query: connectionCandidatesQuery,
    response: z.array(personView),
    handler: (ctx, { params, query }) => candidates(ctx, params.id!, query.limit),
  }),
  route({
    operationId: 'inviteUser',
    tag: 'People',
    method: 'post',
    path: '/tenants/:slug/users/:id/invite',
    summary: 'Invite a candidate: candidate → invited (the app built on top sends the invitation)',
    access: 'tenant-write',
    response: personView,
    responses: { 409: 'The user is not a candidate' },
    handler: async (ctx, { params }) => {
      const person = await inviteCandidate(ctx.database.db, ctx.tenant!.id, params.id!, sourceOf(ctx));
      await ctx.audit('user.invite', params.id, { connectionId: person.connectionId });
      return person;
    },
  }),
  route({
    operationId: 'acceptInvitation',
    tag: 'People',
    method: 'post',
    path: '/tenants/:slug/users/:id/accept',
    summary: 'Record an accepted invitation: invited → active',
    access: 'tenant-write',
    response: personView,
    responses: { 409: 'The user is not invited' },
    handler: async (ctx, { params }) => {
      const person = await acceptInvitation(ctx.database.db, ctx.tenant!.id, params.id!, sourceOf(ctx));
      await ctx.audit('user.accept', params.id, { connectionId: person.connectionId });
      return person;
    },
  }),
];
