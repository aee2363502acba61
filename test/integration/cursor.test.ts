import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURSOR_TTL_MS, encodeCursor } from '../../scim/http/cursor.js';
import { SCIM, startHarness, type Harness } from '../support/harness.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const MAX = 20;

let h: Harness;
const auth = () => ({ authorization: `Bearer ${h.token}`, 'content-type': SCIM });

async function create(userName: string): Promise<string> {
  const res = await h.http.post('/scim/v2/Users').set(auth()).send({ schemas: [USER], userName });
  expect(res.status).toBe(201);
  return res.body.id;
}
const remove = async (id: string) => expect((await h.http.delete(`/scim/v2/Users/${id}`).set(auth())).status).toBe(204);
const page = (query: Record<string, string | number>) => h.http.get('/scim/v2/Users').query(query).set(auth());
const ids = (res: { body: { Resources: { id: string }[] } }) => res.body.Resources.map((r) => r.id);

beforeAll(async () => {
  h = await startHarness({ maxResults: MAX });
});
afterAll(() => h.close());

describe('a cursor walk while the directory changes', () => {
  it('returns every user that existed throughout exactly once, and never one deleted before the walk', async () => {
    // Survivors interleaved with users that will be deleted mid-walk: deleting records *behind* the walk
    // is what makes offset paging skip survivors.
    const stable: string[] = [];
    const transient: string[] = [];
    for (let i = 0; i < 40; i++) {
      stable.push(await create(`stable${i}@walk.test`));
      transient.push(await create(`transient${i}@walk.test`));
    }
    const doomed = [await create('doomed0@walk.test'), await create('doomed1@walk.test')];
    for (const id of doomed) await remove(id);

    let walking = true;
    const churned: string[] = [];
    const churn = (async () => {
      for (let i = 0; walking; i++) {
        churned.push(await create(`churn${i}@walk.test`));
        if (i % 2 === 1) await remove(churned.shift()!);
      }
    })();

    const seen: string[] = [];
    let cursor = '';
    for (let pages = 0; pages < 100; pages++) {
      const res = await page({ cursor, count: 7 });
      expect(res.status).toBe(200);
      seen.push(...ids(res));
      // Between pages, delete two of the transient users, which sit before and after the walk's position.
      for (const id of transient.splice(0, 2)) await remove(id);
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    walking = false;
    await churn;

    expect(new Set(seen).size).toBe(seen.length);
    for (const id of stable) expect(seen.filter((s) => s === id)).toHaveLength(1);
    for (const id of doomed) expect(seen).not.toContain(id);
  });
});

describe('previousCursor (RFC 9865 §2.2)', () => {
  const all: string[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 10; i++) all.push(await create(`prev${i}@prev.test`));
  });
  const filter = 'userName ew "@prev.test"';

  it('walks forward, then back to the first page, page for page', async () => {
    const forward: { ids: string[]; previousCursor?: string; nextCursor?: string }[] = [];
    let cursor = '';
    for (;;) {
      const res = await page({ filter, cursor, count: 3 });
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(10);
      forward.push({ ids: ids(res), previousCursor: res.body.previousCursor, nextCursor: res.body.nextCursor });
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    expect(forward.map((p) => p.ids)).toEqual([all.slice(0, 3), all.slice(3, 6), all.slice(6, 9), all.slice(9)]);
    expect(forward[0]!.previousCursor).toBeUndefined();

    // From the last page back to the first by previousCursor alone.
    let back = forward.at(-1)!.previousCursor;
    const backward: string[][] = [];
    let first: { body: Record<string, unknown> } | undefined;
    while (back) {
      const res = await page({ filter, cursor: back, count: 3 });
      expect(res.status).toBe(200);
      backward.push(ids(res));
      first = res;
      back = res.body.previousCursor;
    }
    expect(backward).toEqual([all.slice(6, 9), all.slice(3, 6), all.slice(0, 3)]);
    // The first page reached backwards offers no previousCursor, and its nextCursor goes forward again.
    expect(first!.body.previousCursor).toBeUndefined();
    const again = await page({ filter, cursor: first!.body.nextCursor as string, count: 3 });
    expect(ids(again)).toEqual(all.slice(3, 6));
  });

  it('works through POST /Users/.search as well', async () => {
    const search = (body: Record<string, unknown>) => h.http.post('/scim/v2/Users/.search').set(auth()).send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter, count: 4, ...body });
    const one = await search({ cursor: '' });
    const two = await search({ cursor: one.body.nextCursor });
    expect(ids(two)).toEqual(all.slice(4, 8));
    expect(ids(await search({ cursor: two.body.previousCursor }))).toEqual(all.slice(0, 4));
  });
});

describe('what a cursor page shows', () => {
  const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
  const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
  const filter = 'userName ew "@shown.test"';
  const mine: string[] = [];
  let theirs: string;
  const post = async (path: string, body: Record<string, unknown>, token = h.token) => {
    const res = await h.http.post(path).set({ ...auth(), authorization: `Bearer ${token}` }).send(body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  beforeAll(async () => {
    // Each way a user's answer is built: plain, with groups, with an enterprise extension, and with a
    // name in its document (a title) that sends it down the slower path.
    mine.push(await post('/scim/v2/Users', { schemas: [USER], userName: 'plain@shown.test', displayName: 'charlie' }));
    mine.push(await post('/scim/v2/Users', { schemas: [USER, ENTERPRISE], userName: 'ext@shown.test', [ENTERPRISE]: { department: 'Ops', employeeNumber: '7', manager: { value: mine[0] } } }));
    mine.push(await post('/scim/v2/Users', { schemas: [USER], userName: 'grouped@shown.test', displayName: 'alpha', name: { givenName: 'Zoë', familyName: "O'Neil" } }));
    mine.push(await post('/scim/v2/Users', { schemas: [USER], userName: 'titled@shown.test', title: 'manager' }));
    mine.push(await post('/scim/v2/Users', { schemas: [USER], userName: 'last@shown.test', displayName: 'bravo', active: false }));
    await post('/scim/v2/Groups', { schemas: [GROUP], displayName: 'Shown B', members: [{ value: mine[2] }, { value: mine[3] }] });
    await post('/scim/v2/Groups', { schemas: [GROUP], displayName: 'Shown A', members: [{ value: mine[2] }] });
    // The other tenant's user matches the filter and is in a group of the same name: on no page here.
    theirs = await post('/scim/v2/Users', { schemas: [USER], userName: 'theirs@shown.test' }, h.other.token);
    await post('/scim/v2/Groups', { schemas: [GROUP], displayName: 'Shown A', members: [{ value: theirs }] }, h.other.token);
  });

  it('each user as GET by id shows it, forward and back, with the filtered total', async () => {
    const shown = new Map<string, unknown>();
    const forward: string[] = [];
    let res = await page({ filter, cursor: '', count: 2 });
    for (;;) {
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(mine.length);
      for (const user of res.body.Resources) shown.set(user.id, user);
      forward.push(...ids(res));
      if (!res.body.nextCursor) break;
      res = await page({ filter, cursor: res.body.nextCursor, count: 2 });
    }
    expect(forward).toEqual(mine);
    const backward: string[] = [];
    for (let back = res.body.previousCursor; back; back = res.body.previousCursor) {
      res = await page({ filter, cursor: back, count: 2 });
      expect(res.status).toBe(200);
      for (const user of res.body.Resources) expect(user).toEqual(shown.get(user.id));
      backward.unshift(...ids(res));
    }
    expect(backward).toEqual(mine.slice(0, 4));
    for (const id of mine) expect(shown.get(id), id).toEqual((await h.http.get(`/scim/v2/Users/${id}`).set(auth())).body);
    expect((shown.get(mine[2]!) as { groups: { display: string }[] }).groups.map((g) => g.display)).toEqual(['Shown A', 'Shown B']);
    expect(shown.has(theirs)).toBe(false);
    // The manager's reference is the manager's own location.
    const managed = shown.get(mine[1]!) as Record<string, { manager: unknown }>;
    const location = (shown.get(mine[0]!) as { meta: { location: string } }).meta.location;
    expect(managed[ENTERPRISE]!.manager).toEqual({ value: mine[0], $ref: location });
    // An index page of the same filter shows each user the same way.
    const indexed = await page({ filter, count: 10 });
    expect(indexed.body.Resources).toEqual(mine.map((id) => shown.get(id)));
    // A cursor page shows the manager's document as the database printed it, the $ref added in place.
    expect((await page({ filter, cursor: '', count: 10 })).text).toContain('"manager": {"$ref":');
  });

  it('filtered index pages, sorted either way, show each user as GET by id, in order, page for page', async () => {
    const [plain, ext, grouped, titled, last] = mine as [string, string, string, string, string];
    const orders: [Record<string, string>, string[]][] = [
      [{}, mine],
      [{ sortBy: 'userName' }, [ext, grouped, last, plain, titled]],
      [{ sortBy: 'userName', sortOrder: 'descending' }, [titled, plain, last, grouped, ext]],
      // Users without a displayName come last either way, in id order.
      [{ sortBy: 'displayName' }, [grouped, last, plain, ext, titled]],
      [{ sortBy: 'displayName', sortOrder: 'descending' }, [plain, last, grouped, ext, titled]],
    ];
    const byId = new Map<string, unknown>();
    for (const id of mine) byId.set(id, (await h.http.get(`/scim/v2/Users/${id}`).set(auth())).body);
    for (const [sort, expected] of orders) {
      const walked: unknown[] = [];
      for (let startIndex = 1; startIndex <= mine.length; startIndex += 2) {
        const res = await page({ filter, startIndex, count: 2, ...sort });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ totalResults: mine.length, startIndex });
        walked.push(...res.body.Resources);
      }
      expect(walked, JSON.stringify(sort)).toEqual(expected.map((id) => byId.get(id)));
      // Past the end: no resources, and still the filtered total.
      expect((await page({ filter, startIndex: 9, count: 2, ...sort })).body).toMatchObject({ totalResults: mine.length, Resources: [] });
    }
  });

  it('the total of an unfiltered walk is the tenant\'s, and attributes still project', async () => {
    const all = await page({ count: 0 });
    const first = await page({ cursor: '', count: 3, attributes: 'userName' });
    expect(first.status).toBe(200);
    expect(first.body.totalResults).toBe(all.body.totalResults);
    for (const user of first.body.Resources) expect(Object.keys(user).sort()).toEqual(['id', 'schemas', 'userName']);
  });
});

describe('cursor errors', () => {
  let anchor = '';
  beforeAll(async () => {
    anchor = await create('anchor@errors.test');
  });
  const hour = 60 * 60 * 1000;

  it.each<[string, () => Record<string, string | number>, string, number]>([
    ['a forged cursor', () => ({ cursor: 'not-a-cursor!' }), 'invalidCursor', 400],
    ['well-formed JSON that is not a cursor', () => ({ cursor: Buffer.from('{"a":1}').toString('base64url') }), 'invalidCursor', 400],
    ['a cursor of another filter', () => ({ filter: 'userName sw "b"', cursor: encodeCursor({ direction: 'next', id: anchor }, { resourceType: 'User', filter: 'userName sw "a"' }) }), 'invalidCursor', 400],
    ['a cursor with a filter, used without one', () => ({ cursor: encodeCursor({ direction: 'next', id: anchor }, { resourceType: 'User', filter: 'active eq true' }) }), 'invalidCursor', 400],
    ['a Groups cursor on /Users', () => ({ cursor: encodeCursor({ direction: 'next', id: anchor }, { resourceType: 'Group' }) }), 'invalidCursor', 400],
    ['a cursor over 24 h old', () => ({ cursor: encodeCursor({ direction: 'next', id: anchor }, { resourceType: 'User' }, Date.now() - CURSOR_TTL_MS - hour) }), 'expiredCursor', 400],
    ['a previousCursor over 24 h old', () => ({ cursor: encodeCursor({ direction: 'previous', id: anchor }, { resourceType: 'User' }, Date.now() - 25 * hour) }), 'expiredCursor', 400],
    ['a negative count', () => ({ cursor: '', count: -1 }), 'invalidCount', 400],
    ['a count that is not a number', () => ({ cursor: '', count: 'ten' }), 'invalidCount', 400],
  ])('%s → %s', async (_, query, scimType, status) => {
    const res = await page(query());
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), scimType });
  });

  it('accepts a cursor 23 h old', async () => {
    const res = await page({ cursor: encodeCursor({ direction: 'next', id: anchor }, { resourceType: 'User' }, Date.now() - 23 * hour) });
    expect(res.status).toBe(200);
    expect(ids(res)).not.toContain(anchor);
  });

  it('caps a count above the maximum at maxPageSize', async () => {
    for (let i = 0; i < MAX + 3; i++) await create(`cap${i}@errors.test`);
    const res = await page({ cursor: '', count: 10_000 });
    expect(res.status).toBe(200);
    expect(res.body.itemsPerPage).toBe(MAX);
    expect(res.body.Resources).toHaveLength(MAX);
    expect(res.body.nextCursor).toEqual(expect.any(String));
  });

  it('is advertised in ServiceProviderConfig.pagination', async () => {
    const res = await h.http.get('/scim/v2/ServiceProviderConfig').set(auth());
    expect(res.body.pagination).toMatchObject({ cursor: true, index: true, maxPageSize: MAX, cursorTimeout: CURSOR_TTL_MS / 1000 });
  });
});

describe('POST /.search across resource types (RFC 7644 §3.4.3)', () => {
  const userIds: string[] = [];
  const groupIds: string[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const res = await h.http.post('/scim/v2/Users').set(auth()).send({ schemas: [USER], userName: `s${i}@root.test`, displayName: `Root user ${i}` });
      userIds.push(res.body.id);
    }
    for (let i = 0; i < 2; i++) {
      const res = await h.http
        .post('/scim/v2/Groups')
        .set(auth())
        .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Root group ${i}`, members: [{ value: userIds[i] }] });
      groupIds.push(res.body.id);
    }
  });
  const search = (body: Record<string, unknown>, token = h.token) =>
    h.http
      .post('/scim/v2/.search')
      .set({ ...auth(), authorization: `Bearer ${token}` })
      .send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], ...body });
  const found = (res: { body: { Resources: { id: string; meta: { resourceType: string } }[] } }) =>
    res.body.Resources.map((r) => `${r.meta.resourceType}:${r.id}`);

  it('a filter both types know: Users then Groups, each with meta.resourceType, totalResults the sum', async () => {
    const res = await search({ filter: 'displayName sw "root "' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 5, startIndex: 1, itemsPerPage: 5 });
    expect(found(res)).toEqual([...userIds.map((id) => `User:${id}`), ...groupIds.map((id) => `Group:${id}`)]);
  });

  it('index paging crosses from Users into Groups without a gap or a repeat', async () => {
    const pages: string[] = [];
    for (const startIndex of [1, 3, 5, 7]) {
      const res = await search({ filter: 'displayName sw "Root "', startIndex, count: 2 });
      expect(res.body.totalResults).toBe(5);
      expect(res.body.startIndex).toBe(startIndex);
      pages.push(...found(res));
    }
    expect(pages).toEqual([...userIds.map((id) => `User:${id}`), ...groupIds.map((id) => `Group:${id}`)]);
    expect((await search({ filter: 'displayName sw "Root "', count: 0 })).body).toMatchObject({ totalResults: 5, Resources: [] });
  });

  it.each<[string, string, () => string[]]>([
    ['an attribute only Users have', 'userName ew "@root.test"', () => userIds.map((id) => `User:${id}`)],
    ['an attribute only Groups have', 'members.value eq "USER0"', () => [`Group:${groupIds[0]}`]],
  ])('%s: the other type contributes nothing', async (_, filter, expected) => {
    const res = await search({ filter: filter.replace('USER0', userIds[0]!) });
    expect(res.status).toBe(200);
    expect(found(res)).toEqual(expected());
    expect(res.body.totalResults).toBe(expected().length);
  });

  it.each([
    ['an attribute no type has', 'nickNam eq "x"'],
    ['a broken filter', 'displayName eq'],
  ])('%s → 400 invalidFilter', async (_, filter) => {
    const res = await search({ filter });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
  });

  it('keeps meta.resourceType under an attributes list, and stays within the tenant', async () => {
    const res = await search({ filter: 'displayName sw "Root "', attributes: ['displayName'] });
    expect(res.body.Resources[0]).toEqual({ schemas: [USER], id: userIds[0], displayName: 'Root user 0', meta: { resourceType: 'User' } });
    expect(res.body.Resources[4].members).toBeUndefined();
    expect((await search({ filter: 'displayName sw "Root "' }, h.other.token)).body.totalResults).toBe(0);
  });

  it('refuses a cursor rather than answer with an index page', async () => {
    expect((await search({ cursor: '' })).status).toBe(400);
  });
});
