import { complex, ref, str } from './build.js';
import type { SchemaDef } from './types.js';
import { URN } from './urns.js';

export const groupSchema: SchemaDef = {
  id: URN.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    str('displayName', {
      required: true,
      uniqueness: 'server',
      description: 'A human-readable name for the group. Unique per tenant, case-insensitively.',
    }),
    complex(
      'members',
      [
        str('value', { mutability: 'immutable', description: 'The id of a member.' }),
        ref('$ref', ['User', 'Group'], { mutability: 'immutable', description: 'The URI of the member.' }),
        str('display', { mutability: 'immutable', description: 'The display name of the member.' }),
        str('type', { mutability: 'immutable', canonicalValues: ['User', 'Group'], description: 'The type of the member.' }),
      ],
      { multiValued: true, description: 'A list of members of the group.' },
    ),
  ],
};
