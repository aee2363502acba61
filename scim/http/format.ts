import type { ResourceTypeDef } from '../schemas/types.js';
import type { StoredResource } from '../store-port.js';
import { URN } from '../schemas/urns.js';
import { etagOf } from './etag.js';

/** Turns a stored resource into its SCIM representation: id and meta added, relations with `$ref`s. */
export function toScim(rt: ResourceTypeDef, stored: StoredResource, baseUrl: string): Record<string, unknown> {
  const location = `${baseUrl}${rt.endpoint}/${stored.id}`;
  const resource: Record<string, unknown> = { schemas: stored.doc.schemas, id: stored.id };
  const doc = stored.doc as Record<string, unknown>;
  for (const key in doc) if (key !== 'schemas' && Object.hasOwn(doc, key)) resource[key] = doc[key];
  const ext = resource[URN.enterpriseUser] as Record<string, unknown> | undefined;
  const manager = ext?.manager as { value?: unknown } | undefined;
  if (ext && manager && typeof manager.value === 'string') {
    resource[URN.enterpriseUser] = { ...ext, manager: { ...manager, $ref: `${baseUrl}/Users/${manager.value}` } };
  }
  const team = resource[URN.teamGroup] as Record<string, unknown> | undefined;
  if (team) resource[URN.teamGroup] = withTeamRefs(team, baseUrl);
  if (stored.members) {
    // Object literals, not a spread per member: a group can have 100,000 of them.
    resource.members = stored.members.map((m) => {
      const $ref = `${baseUrl}/${m.type === 'Group' ? 'Groups' : 'Users'}/${m.value}`;
      return m.display ? { value: m.value, display: m.display, type: m.type ?? 'User', $ref } : { value: m.value, type: m.type ?? 'User', $ref };
    });
  }
  if (stored.groups) resource.groups = scimGroups(stored.groups, baseUrl);
  resource.meta = metaOf(rt, stored, location);
  return resource;
}

/** A user's groups as the read-only `groups` attribute shows them. */
export const scimGroups = (groups: NonNullable<StoredResource['groups']>, baseUrl: string) =>
  groups.map((g) => ({ value: g.value, display: g.display, type: 'direct', $ref: `${baseUrl}/Groups/${g.value}` }));

export const metaOf = (rt: ResourceTypeDef, stored: StoredResource, location: string) => ({
  resourceType: rt.name,
  created: stored.created.toISOString(),
  lastModified: stored.lastModified.toISOString(),
  location,
  version: etagOf(stored.version, stored.groups),
});

/** The team extension's references get `$ref`s as the enterprise manager does; only `value` is stored. */
function withTeamRefs(team: Record<string, unknown>, baseUrl: string): Record<string, unknown> {
  const out = { ...team };
  for (const [name, endpoint] of [
    ['manager', 'Users'],
    ['parent', 'Groups'],
  ] as const) {
    const target = team[name] as { value?: unknown } | undefined;
    if (target && typeof target.value === 'string') out[name] = { ...target, $ref: `${baseUrl}/${endpoint}/${target.value}` };
  }
  return out;
}
