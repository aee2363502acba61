import { describe, expect, it } from 'vitest';
import type { ResourceDoc } from '../../scim/resource/document.js';
import { URN } from '../../scim/schemas/urns.js';
import { holderFor } from '../../src/directory/authority/decide.js';
import { locksFor } from '../../src/directory/authority/locks.js';
import type { Owner } from '../../src/directory/authority/rules.js';
import { managingConnection } from '../../src/directory/documents/hr-extension.js';
import type { ChangeSource } from '../../src/events/append.js';
import { HR_CONNECTION, managedDoc, releasedDoc } from '../support/hr-user-docs.js';

const OTHER = '0190a5b0-0000-7000-8000-00000000c0c1';
const manual: ResourceDoc = { schemas: [URN.user], userName: 'bo@acme.test' };
const USERS: Record<string, ResourceDoc> = { managed: managedDoc, released: releasedDoc, manual };

describe('locksFor: what the rules lock for one user', () => {
  it.each<[string, Owner, string, Owner | null]>([
    ['hr, managed user', 'hr', 'managed', `connection:${HR_CONNECTION}`],
    ['hr, released user', 'hr', 'released', null],
    ['hr, manual user', 'hr', 'manual', null],
    ['its connection, managed by it', `connection:${HR_CONNECTION}`, 'managed', `connection:${HR_CONNECTION}`],
    ['another connection, managed by the first', `connection:${OTHER}`, 'managed', null],
    ['a connection, released user', `connection:${HR_CONNECTION}`, 'released', null],
    ['scim, managed user', 'scim', 'managed', 'scim'],
    ['scim, manual user', 'scim', 'manual', 'scim'],
    ['manual, released user', 'manual', 'released', 'manual'],
  ])('%s', (_name, owner, user, lockedTo) => {
    const [lock] = locksFor([{ path: 'title', owner }], managingConnection(USERS[user]!));
    expect(lock).toEqual({ path: 'title', owner, lockedTo });
  });

  // The page must say what the write path does: a lock holds exactly when a source other than its owner is held back.
  const OUTSIDERS: Record<string, ChangeSource> = {
    scim: { kind: 'token', id: 't-1' },
    admin: { kind: 'admin', id: 'ada' },
    other: { kind: 'connection', id: OTHER },
  };
  const owners: Owner[] = ['hr', 'scim', 'manual', `connection:${HR_CONNECTION}`, `connection:${OTHER}`];
  it.each(owners.flatMap((owner) => Object.keys(USERS).map((user) => [owner, user] as const)))('agrees with the write path: %s on a %s user', (owner, user) => {
    const doc = USERS[user]!;
    const [lock] = locksFor([{ path: 'title', owner }], managingConnection(doc));
    for (const source of Object.values(OUTSIDERS)) {
      const holder = holderFor(owner, source, doc);
      if (holder === 'source') continue;
      expect(holder === 'other', `${source.kind}:${source.id}`).toBe(lock!.lockedTo !== null);
    }
  });
});
