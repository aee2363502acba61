import { attr, complex, str } from './build.js';
import type { AttributeDef, SchemaDef } from './types.js';
import { URN } from './urns.js';

type Options = Parameters<typeof attr>[2];

/**
 * Every attribute is written by Rollcall's HR sync alone: SCIM clients read them, and what they send
 * is ignored (POST, PUT) or refused (PATCH), as for any readOnly attribute (RFC 7643 §2.2).
 */
const ro = (name: string, description: string, options: Options = {}): AttributeDef =>
  str(name, { mutability: 'readOnly', description, ...options });

export const hrUserSchema: SchemaDef = {
  id: URN.hrUser,
  name: 'HrUser',
  description: 'Where a user comes from (an HR connection) and the HR fields with no SCIM home; written by Rollcall only.',
  attributes: [
    ro('lifecycle', 'candidate (not yet invited), invited, active, or archived (left; access revoked, data kept).', {
      canonicalValues: ['candidate', 'invited', 'active', 'archived'],
    }),
    ro('management', 'managed (HR fields owned by the connection), released (was managed), or manual (never from HR).', {
      canonicalValues: ['managed', 'released', 'manual'],
    }),
    complex(
      'connection',
      [
        ro('value', 'The id of the HR connection.', { caseExact: true }),
        ro('display', 'The HR system of the connection, e.g. personio.'),
      ],
      { mutability: 'readOnly', description: 'The HR connection that manages the user, or last managed it once released.' },
    ),
    ro('remoteId', "The person's id in the HR system.", { caseExact: true }),
    ro('location', 'The work location in the HR system.'),
    ro('startDate', 'First working day, an ISO 8601 date (YYYY-MM-DD).'),
    ro('terminationDate', 'Last working day, an ISO 8601 date (YYYY-MM-DD).'),
    complex(
      'bankAccount',
      [
        ro('iban', 'International Bank Account Number.', { caseExact: true }),
        ro('bic', 'Bank Identifier Code.', { caseExact: true }),
        ro('holder', 'Account holder.'),
      ],
      {
        mutability: 'readOnly',
        returned: 'request',
        description: 'Bank details from the HR system; encrypted at rest, returned only when named in `attributes`.',
      },
    ),
    ro('bankAccountDigest', 'A keyed digest of the bank details, to detect changes without opening them.', { caseExact: true, returned: 'never' }),
  ],
};
