import { attr, bool, complex, multiValued, ref, str } from './build.js';
import type { SchemaDef } from './types.js';
import { URN } from './urns.js';

const name = complex(
  'name',
  [
    str('formatted', { description: 'The full name, formatted for display.' }),
    str('familyName', { description: 'The family name (last name in most Western languages).' }),
    str('givenName', { description: 'The given name (first name in most Western languages).' }),
    str('middleName', { description: 'The middle name(s).' }),
    str('honorificPrefix', { description: 'The honorific prefix(es), e.g. "Ms.".' }),
    str('honorificSuffix', { description: 'The honorific suffix(es), e.g. "III".' }),
  ],
  { description: "The components of the user's real name." },
);

const addresses = complex(
  'addresses',
  [
    str('formatted', { description: 'The full mailing address, formatted for display.' }),
    str('streetAddress', { description: 'The full street address component.' }),
    str('locality', { description: 'The city or locality component.' }),
    str('region', { description: 'The state or region component.' }),
    str('postalCode', { description: 'The zip code or postal code component.' }),
    str('country', { description: 'The country name component (ISO 3166-1 alpha-2).' }),
    str('type', { description: 'A label indicating the address function.', canonicalValues: ['work', 'home', 'other'] }),
    bool('primary', { description: 'Indicates the primary mailing address; at most one is true.' }),
  ],
  { multiValued: true, description: 'A physical mailing address for this user.' },
);

const groups = complex(
  'groups',
  [
    str('value', { mutability: 'readOnly', description: 'The identifier of the group.' }),
    ref('$ref', ['User', 'Group'], { mutability: 'readOnly', description: 'The URI of the group.' }),
    str('display', { mutability: 'readOnly', description: "The group's display name." }),
    str('type', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'], description: 'How the membership was derived.' }),
  ],
  { multiValued: true, mutability: 'readOnly', description: 'The groups the user belongs to, derived from group membership.' },
);

export const userSchema: SchemaDef = {
  id: URN.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    str('userName', {
      required: true,
      uniqueness: 'server',
      description: 'Unique identifier for the user, used to sign in. Unique per tenant, case-insensitively.',
    }),
    name,
    str('displayName', { description: 'The name of the user, suitable for display to end-users.' }),
    str('nickName', { description: 'The casual way to address the user.' }),
    ref('profileUrl', ['external'], { description: "A fully qualified URL pointing to the user's online profile." }),
    str('title', { description: "The user's title, such as \"Vice President\"." }),
    str('userType', { description: 'The relationship between the organization and the user.' }),
    str('preferredLanguage', { description: "The user's preferred written or spoken language (RFC 7231 §5.3.5)." }),
    str('locale', { description: "The user's default location for localization, e.g. en-US." }),
    str('timezone', { description: "The user's time zone in IANA format, e.g. Europe/Paris." }),
    bool('active', { description: "The user's administrative status." }),
    str('password', {
      mutability: 'writeOnly',
      returned: 'never',
      description: "The user's cleartext password, accepted on write and never returned.",
    }),
    multiValued('emails', 'Email addresses for the user.', 'string', ['work', 'home', 'other']),
    multiValued('phoneNumbers', 'Phone numbers for the user.', 'string', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValued('ims', 'Instant messaging addresses for the user.', 'string', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multiValued('photos', 'URLs of photos of the user.', 'reference', ['photo', 'thumbnail']),
    addresses,
    groups,
    multiValued('entitlements', 'A list of entitlements for the user.', 'string', undefined),
    multiValued('roles', 'A list of roles for the user.', 'string', undefined),
    multiValued('x509Certificates', 'A list of certificates issued to the user.', 'binary', undefined),
  ],
};

// `attr` is re-exported so sibling schemas can build ad-hoc attributes without another import path.
export { attr };
