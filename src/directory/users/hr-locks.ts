import { DomainError } from '../../../scim/errors.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { ChangeSource } from '../../events/append.js';
import { decideWrite, type WriteDecision } from '../authority/decide.js';
import { managingConnection } from '../documents/hr-extension.js';
import type { TenantSettings } from '../tenant-settings.js';

/**
 * A user managed by one HR connection is written by that connection only. The planner already
 * leaves such users out of another connection's plan; this holds below it, in the verb, so no
 * caller (a stale plan, a second code path) can have two connections fight over one person.
 * A released or manual user may be linked by any connection.
 */
export function refuseOtherConnection(source: ChangeSource, before: ResourceDoc): void {
  if (source.kind !== 'connection') return;
  const owner = managingConnection(before);
  if (owner !== undefined && owner !== source.id) {
    throw new DomainError('conflict', `The user is managed by HR connection ${owner}; connection ${source.id} may not write it`);
  }
}

/**
 * The document a write from `source` may store, and the conflicts it leaves, under the tenant's
 * source of authority (src/directory/authority): what the source owns or nobody owns takes the new
 * value, the rest keeps the owner's.
 */
export function holdToAuthority(source: ChangeSource, settings: TenantSettings, before: ResourceDoc, after: ResourceDoc, whole: boolean): WriteDecision {
  refuseOtherConnection(source, before);
  return decideWrite({ source, authority: settings.authority, userType: settings.userType, before, after, whole });
}
