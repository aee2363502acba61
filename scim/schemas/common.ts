import { attr, complex, str } from './build.js';
import type { AttributeDef } from './types.js';

/** RFC 7643 §3.1: attributes every resource has, outside any schema. */
export const commonAttributes: AttributeDef[] = [
  str('id', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server', description: 'Server-assigned identifier.' }),
  str('externalId', { caseExact: true, description: "The provisioning client's identifier for the resource." }),
  complex(
    'meta',
    [
      str('resourceType', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'dateTime', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', { mutability: 'readOnly' }),
      attr('location', 'reference', { mutability: 'readOnly', referenceTypes: ['uri'] }),
      str('version', { caseExact: true, mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly' },
  ),
];
