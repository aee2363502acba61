import type { AttributeDef, AttributeType } from './types.js';

type Options = Partial<Omit<AttributeDef, 'name' | 'type' | 'subAttributes'>>;

/** Builds an attribute with RFC 7643 §2.2 defaults, so definitions only state what differs. */
export function attr(name: string, type: AttributeType, options: Options = {}, subAttributes?: AttributeDef[]): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description: '',
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
    ...(subAttributes ? { subAttributes } : {}),
    ...(type === 'reference' && !options.referenceTypes ? { referenceTypes: ['external'] } : {}),
  };
}

export const str = (name: string, options: Options = {}) => attr(name, 'string', options);
export const bool = (name: string, options: Options = {}) => attr(name, 'boolean', options);
export const ref = (name: string, referenceTypes: string[], options: Options = {}) =>
  attr(name, 'reference', { referenceTypes, ...options });
export const complex = (name: string, subAttributes: AttributeDef[], options: Options = {}) =>
  attr(name, 'complex', options, subAttributes);

/** The shape shared by emails, phoneNumbers, ims, photos, roles, entitlements, x509Certificates (RFC 7643 §2.4). */
export function multiValued(
  name: string,
  description: string,
  valueType: AttributeType,
  canonicalTypes: string[] | undefined,
  options: Options = {},
): AttributeDef {
  return complex(
    name,
    [
      attr('value', valueType, { description: `The value of the ${name} entry.` }),
      str('display', { description: 'A human-readable name, primarily used for display purposes.' }),
      str('type', {
        description: `A label indicating the entry's function.`,
        ...(canonicalTypes ? { canonicalValues: canonicalTypes } : {}),
      }),
      bool('primary', { description: 'Indicates the preferred entry; at most one is true.' }),
    ],
    { multiValued: true, description, ...options },
  );
}
