import { enterpriseUserSchema } from './enterprise-user.js';
import { groupSchema } from './group.js';
import { hrUserSchema } from './hr-user.js';
import { teamGroupSchema } from './team-group.js';
import type { ResourceTypeDef, SchemaDef } from './types.js';
import { userSchema } from './user.js';

export const userResourceType: ResourceTypeDef = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: userSchema,
  extensions: [
    { schema: enterpriseUserSchema, required: false },
    { schema: hrUserSchema, required: false },
  ],
};

export const groupResourceType: ResourceTypeDef = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: groupSchema,
  extensions: [{ schema: teamGroupSchema, required: false }],
};

export const resourceTypes: ResourceTypeDef[] = [userResourceType, groupResourceType];

/** Every schema of the given resource types (by default the server's own), core first; `/Schemas` lists exactly these. */
export function allSchemas(types: ResourceTypeDef[] = resourceTypes): SchemaDef[] {
  const seen = new Map<string, SchemaDef>();
  for (const rt of types) {
    for (const schema of [rt.schema, ...rt.extensions.map((e) => e.schema)]) seen.set(schema.id, schema);
  }
  return [...seen.values()];
}
