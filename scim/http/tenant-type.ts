import type { Context } from 'hono';
import type { ResourceTypeDef } from '../schemas/types.js';
import type { ScimEnv } from './router.js';

/** The caller's version of a resource type: `base` with the tenant's own extension, or `base` itself. */
export const tenantType = (c: Context<ScimEnv>, base: ResourceTypeDef): ResourceTypeDef =>
  c.get('resourceTypes')?.find((t) => t.id === base.id) ?? base;
