import { complex, ref, str } from './build.js';
import type { AttributeDef, SchemaDef } from './types.js';
import { URN } from './urns.js';

type Options = Parameters<typeof str>[1];

/** Written by Rollcall's team sync alone: clients read and filter on it; what they send is ignored or refused (RFC 7643 §2.2). */
const ro = (name: string, description: string, options: Options = {}): AttributeDef => str(name, { mutability: 'readOnly', description, ...options });

/** A reference to another resource as `{ value, $ref, display }`, like the enterprise `manager`. */
const reference = (name: string, to: 'User' | 'Group', description: string): AttributeDef =>
  complex(
    name,
    [
      ro('value', `The id of the ${to}.`, { caseExact: true }),
      ref('$ref', [to], { mutability: 'readOnly', description: `The URI of the ${to}.` }),
      ro('display', `The displayName of the ${to}.`),
    ],
    { mutability: 'readOnly', description },
  );

export const teamGroupSchema: SchemaDef = {
  id: URN.teamGroup,
  name: 'TeamGroup',
  description: 'A team built from the HR manager hierarchy by a connection with team sync on; written by Rollcall only.',
  attributes: [
    ro('kind', 'team (a manager and their direct reports), department (everyone in a department), or unassigned (people to review).', {
      canonicalValues: ['team', 'department', 'unassigned'],
    }),
    ro('key', "The team's identity within its connection: the manager's HR id, the department, or unassigned.", { caseExact: true }),
    reference('manager', 'User', "The team's reviewer: the manager whose direct reports are its members."),
    reference('parent', 'Group', 'The team the manager belongs to.'),
    ro('management', 'managed (read-only; follows the HR system) or released (team sync stopped; editable).', {
      canonicalValues: ['managed', 'released'],
    }),
    complex(
      'connection',
      [ro('value', 'The id of the HR connection.', { caseExact: true }), ro('display', 'The HR system of the connection, e.g. bamboohr.')],
      { mutability: 'readOnly', description: 'The HR connection whose team sync owns the team, or last owned it once released.' },
    ),
  ],
};
