import { DomainError } from '../../../scim/errors.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { ChangeSource } from '../../events/append.js';
import { teamExtensionOf } from '../documents/team-extension.js';

/**
 * While a connection's team sync is on, its teams follow the HR manager hierarchy (product.md,
 * "Teams"): renaming, deleting or changing the members of one anywhere else is 400 `mutability`,
 * naming the owning connection, as for HR-managed user fields (users/hr-locks.ts). To move someone,
 * change their manager in HR; to edit teams by hand, stop team sync first.
 */
export function enforceTeamLock(source: ChangeSource, group: { id: string; connectionId: string | null; doc: ResourceDoc }, action: 'changed' | 'deleted'): void {
  if (group.connectionId === null) return;
  if (source.kind === 'connection' && source.id === group.connectionId) return;
  const provider = teamExtensionOf(group.doc)?.connection?.display;
  const owner = `HR connection ${group.connectionId}${provider ? ` (${provider})` : ''}`;
  throw new DomainError(
    'mutability',
    `Group ${group.id} is a team managed by the team sync of ${owner}; it and its members cannot be ${action} here: change managers in the HR system, or stop team sync to edit teams by hand`,
  );
}
