import { Hono, type MiddlewareHandler } from 'hono';
import { allows, type Area, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { overviewPage } from './overview.js';
import { idpPages } from './idp.js';
import { tokenPages } from './tokens.js';
import { hrPages } from './hr.js';
import { runPages } from './runs.js';
import { peoplePages } from './people.js';
import { teamPages } from './teams.js';
import { adminPages } from './admin.js';
import { authorityPages } from './authority.js';
import { attributePages } from './attributes.js';
import { conflictPages } from './conflicts.js';
import { notFoundPage } from '../problem.js';

/** A part of the console outside the session's intent is a 404, as if it were not there. */
export const area =
  (name: Area): MiddlewareHandler<ConsoleEnv> =>
  async (c, next) => {
    if (!allows(c.get('session').intent, name)) return notFoundPage(c);
    await next();
  };

export function tenantPages(deps: ConsoleDeps) {
  const r = new Hono<ConsoleEnv>({ strict: false });
  r.get('/', (c) => overviewPage(deps, c));
  idpPages(r, deps);
  tokenPages(r, deps);
  hrPages(r, deps);
  runPages(r, deps);
  peoplePages(r, deps);
  teamPages(r, deps);
  authorityPages(r, deps);
  conflictPages(r, deps);
  attributePages(r, deps);
  adminPages(r, deps);
  return r;
}
