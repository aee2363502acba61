/**
 * Every event type the change feed and webhooks carry. Producers emit only these; a webhook's
 * filter and the feed's `types` are checked against this list.
 */
export const EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.archived',
  'user.reactivated',
  'user.released',
  'user.deleted',
  'user.invited',
  'user.activated',
  'user.conflict',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.member_added',
  'group.member_removed',
  'connection.status_changed',
  'sync.completed',
  'sync.failed',
  'sync.held',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as readonly string[]).includes(value);
