import type { ResourceDoc } from '../../scim/resource/document.js';
import { hrExtensionOf } from '../sync/hr-doc.js';
import type { EventType } from './catalogue.js';

type UserChangeType = Extract<EventType, `user.${string}`>;

/**
 * What an update of a user means to the app on top, derived from the documents before and after so
 * every write path (SCIM, HR sync, admin) names the same change the same way. The HR lifecycle
 * decides first (archived, back from archived, invited, activated, released); for everyone else
 * SCIM's `active` does: an IdP's `active: false` is a leaver like an HR termination.
 */
export function userEventType(before: ResourceDoc, after: ResourceDoc): UserChangeType {
  const was = hrExtensionOf(before);
  const now = hrExtensionOf(after);
  if (now?.lifecycle === 'archived' && was?.lifecycle !== 'archived') return 'user.archived';
  if (was?.lifecycle === 'archived' && now && now.lifecycle !== 'archived') return 'user.reactivated';
  if (was?.lifecycle === 'candidate' && now?.lifecycle === 'invited') return 'user.invited';
  if (was?.lifecycle === 'invited' && now?.lifecycle === 'active') return 'user.activated';
  if (was?.management === 'managed' && now?.management === 'released') return 'user.released';
  if (before.active !== false && after.active === false) return 'user.archived';
  if (before.active === false && after.active !== false && now?.lifecycle !== 'candidate') return 'user.reactivated';
  return 'user.updated';
}
