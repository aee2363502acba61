import { complex, ref, str } from './build.js';
import type { SchemaDef } from './types.js';
import { URN } from './urns.js';

export const enterpriseUserSchema: SchemaDef = {
  id: URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str('employeeNumber', { description: 'A string identifier, typically numeric or alphanumeric, assigned to a person.' }),
    str('costCenter', { description: 'Identifies the name of a cost center.' }),
    str('organization', { description: 'Identifies the name of an organization.' }),
    str('division', { description: 'Identifies the name of a division.' }),
    str('department', { description: 'Identifies the name of a department.' }),
    complex(
      'manager',
      [
        str('value', { description: 'The id of the SCIM resource representing the manager.' }),
        ref('$ref', ['User'], { description: 'The URI of the SCIM resource representing the manager.' }),
        str('displayName', { mutability: 'readOnly', description: "The manager's display name." }),
      ],
      { description: "The user's manager." },
    ),
  ],
};
