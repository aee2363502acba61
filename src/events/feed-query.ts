import { z } from 'zod';
import { EVENT_TYPES, isEventType } from './catalogue.js';

/** `?after=<cursor>&limit=&types=a,b`, shared by the admin route and the token route. */
export const feedQuery = z.object({
  after: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  types: z
    .string()
    .max(1000)
    .optional()
    .transform((raw, ctx) => {
      const types = (raw ?? '').split(',').map((t) => t.trim()).filter(Boolean);
      const bad = types.find((t) => !isEventType(t));
      if (bad) {
        ctx.addIssue({ code: 'custom', message: `unknown event type ${bad} (one of ${EVENT_TYPES.join(', ')})` });
        return z.NEVER;
      }
      return types;
    }),
});
export type FeedQueryInput = z.infer<typeof feedQuery>;
