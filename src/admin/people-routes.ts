import { z } from 'zod';
import { acceptInvitation, inviteCandidate, listCandidates } from '../connections/people.js';
import { findConnection } from '../connections/service.js';
import { inviteCandidates } from '../connections/invite-many.js';
import { listPeople } from '../connections/people-list.js';
import { candidatesQuery, connectionCandidatesQuery, inviteBody, inviteOutcome, peopleQuery, personView } from './connection-schemas.js';
import { keysetPage, userSummary } from './schemas.js';
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
    operationId: 'listPeople',
    tag: 'People',
    method: 'get',
    path: '/tenants/:slug/people',
    summary:
      'People in creation order, a page at a time (`cursor` from `next`, `previous` or `last`): filter by `lifecycle` (e.g. every candidate), `management`, `source`, `connection`, `department`, `location`, or `search` a name',
    access: 'tenant-read',
    query: peopleQuery,
    response: keysetPage(userSummary),
    handler: async (ctx, { query }) => {
      const tenantId = ctx.tenant!.id;
      if (query.connection !== undefined) await findConnection(ctx.database.db, tenantId, query.connection);
      const filter = {
        ...(query.lifecycle ? { lifecycle: query.lifecycle } : {}),
        ...(query.management ? { management: query.management } : {}),
        ...(query.source ? { source: query.source } : {}),
        ...(query.connection ? { connectionId: query.connection } : {}),
        ...(query.search ? { search: query.search } : {}),
        ...(query.department !== undefined ? { department: query.department } : {}),
        ...(query.location !== undefined ? { location: query.location } : {}),
      };
      return listPeople(ctx.database.db, tenantId, filter, { ...(query.cursor ? { cursor: query.cursor } : {}), limit: query.limit });
    },
  }),
  route({
    operationId: 'inviteCandidates',
    tag: 'People',
    method: 'post',
    path: '/tenants/:slug/candidates/invite',
    summary:
      'Invite many candidates at once: `ids`, or a `filter` (`connection`, `department`, `location`; `{}` for all). One transaction per 500 people; answers how many were invited and who was skipped and why',
    access: 'tenant-write',
    body: inviteBody,
    response: inviteOutcome,
    handler: async (ctx, { body }) => {
      const tenantId = ctx.tenant!.id;
      const filter = body.filter;
      // Another tenant's connection is a 404, as on the candidate list.
      if (filter?.connection !== undefined) await findConnection(ctx.database.db, tenantId, filter.connection);
      const selection = body.ids
        ? { ids: body.ids }
        : {
            filter: {
              ...(filter?.connection !== undefined ? { connectionId: filter.connection } : {}),
              ...(filter?.department !== undefined ? { department: filter.department } : {}),
              ...(filter?.location !== undefined ? { location: filter.location } : {}),
            },
          };
      const outcome = await inviteCandidates(ctx.database.db, tenantId, selection, sourceOf(ctx));
      // One entry for the request, under the same action as a single invitation (the count tells them apart).
      await ctx.audit('user.invite', undefined, {
        invited: outcome.invited,
        skipped: outcome.skipped.length,
        ...(body.ids ? { requested: body.ids.length } : { filter: filter ?? {} }),
      });
      return outcome;
    },
  }),
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
