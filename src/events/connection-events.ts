import type { ChangeEventInput, ChangeSource } from './append.js';

interface ConnectionState {
  id: string;
  tenantId: string;
  provider: string;
  status: string;
  statusReason: string | null;
}

/**
 * `connection.status_changed` when the status or its reason moved, else null. The resource is the
 * connection's state as the admin API shows it at a glance; never its credentials.
 */
export function connectionStatusEvent(
  after: ConnectionState,
  before: Pick<ConnectionState, 'status' | 'statusReason'>,
  source: ChangeSource,
  detail: Record<string, unknown> = {},
): ChangeEventInput | null {
  if (after.status === before.status && after.statusReason === before.statusReason) return null;
  return {
    tenantId: after.tenantId,
    type: 'connection.status_changed',
    resourceType: 'Connection',
    resourceId: after.id,
    source,
    payload: {
      resource: { id: after.id, provider: after.provider, status: after.status, statusReason: after.statusReason },
      previous: { status: before.status, statusReason: before.statusReason },
      changed: [...(after.status !== before.status ? ['status'] : []), ...(after.statusReason !== before.statusReason ? ['statusReason'] : [])],
      ...detail,
    },
  };
}

/**
 * The same event from SQL, for statements that change a connection's status in one go: a CTE named
 * `changed` with the columns id, tenant_id, provider, status, status_reason, old_status, old_reason.
 */
export const CONNECTION_STATUS_EVENT_SQL = `insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select tenant_id, 'connection.status_changed', 'Connection', id, jsonb_build_object('kind', 'connection', 'id', id),
    jsonb_build_object(
      'resource', jsonb_build_object('id', id, 'provider', provider, 'status', status, 'statusReason', status_reason),
      'previous', jsonb_build_object('status', old_status, 'statusReason', old_reason),
      'changed', to_jsonb(array_remove(array[case when status is distinct from old_status then 'status' end,
        case when status_reason is distinct from old_reason then 'statusReason' end], null)))
  from changed where status is distinct from old_status or status_reason is distinct from old_reason`;
