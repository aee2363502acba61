import { z } from 'zod';
import { decodeCursor, readFeed } from '../events/feed.js';
import { feedQuery } from '../events/feed-query.js';
import { route } from './route.js';

export const feedPage = z
  .object({
    items: z.array(z.object({ id: z.string(), cursor: z.string(), type: z.string(), occurredAt: z.string() }).passthrough()),
    /** Pass as `after` to read on; the same cursor again when nothing new has settled. */
    next: z.string(),
  })
  .meta({ id: 'EventPage' });

export const eventRoutes = [
  route({
    operationId: 'listEvents',
    tag: 'Events',
    method: 'get',
    path: '/tenants/:slug/events',
    summary: "The tenant's change feed, oldest first: `after` (a cursor: an event's `cursor` or a page's `next`), `limit`, `types` (comma-separated)",
    access: 'tenant-read',
    query: feedQuery,
    response: feedPage,
    handler: (ctx, { query }) => readFeed(ctx.database.db, ctx.tenant!.id, { after: decodeCursor(query.after), limit: query.limit, types: query.types ?? [] }),
  }),
];
