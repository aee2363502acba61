import { describe, expect, it } from 'vitest';
import { urlParts } from '../../scim/http/url-parts.js';

/** What `new URL()` says is the oracle: urlParts must agree on every serialized URL. */
describe('urlParts', () => {
  it.each([
    'http://127.0.0.1:8080/scim/v2/Users',
    'http://localhost/scim/v2/Users/0190c7a2-0000-7000-8000-000000000000?attributes=userName',
    'https://rollcall.example/scim/v2/Users?filter=userName%20eq%20%22a%40b.c%22&count=1',
    'http://h/scim/v2/Users?',
    'http://h/scim/v2/Users?#frag',
    'http://h/p#frag?not-query',
    'http://h/p?q=1#frag',
    'http://h/',
    'http://user:pw@h/p?q',
    'http://[::1]:3000/scim/v2/Groups',
    'HTTP://H.EXAMPLE/Path',
  ])('%s', (input) => {
    const url = new URL(input).href;
    const parsed = new URL(url);
    expect(urlParts(url)).toEqual({ origin: parsed.origin, pathname: parsed.pathname, search: parsed.search });
  });
});
