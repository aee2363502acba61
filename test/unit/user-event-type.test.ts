import { describe, expect, it } from 'vitest';
import type { ResourceDoc } from '../../scim/resource/document.js';
import { userEventType } from '../../src/events/user-event-type.js';
import { retryDelayMs } from '../../src/events/webhooks/dispatcher.js';
import { HR_URN } from '../../src/sync/hr-doc.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const scim = (active: boolean, title = 'Engineer'): ResourceDoc => ({ schemas: [USER], userName: 'a@x.test', active, title });
const hr = (lifecycle: string, management = 'managed', active = lifecycle === 'active' || lifecycle === 'invited'): ResourceDoc => ({
  schemas: [USER, HR_URN],
  userName: 'a@x.test',
  active,
  [HR_URN]: { lifecycle, management },
});

describe('what a user update means', () => {
  it.each([
    ['an attribute changes', scim(true), scim(true, 'Lead'), 'user.updated'],
    ['an IdP sets active false', scim(true), scim(false), 'user.archived'],
    ['an IdP sets active true again', scim(false), scim(true), 'user.reactivated'],
    ['HR archives an active user', hr('active'), hr('archived'), 'user.archived'],
    ['HR archives a candidate (already without access)', hr('candidate'), hr('archived'), 'user.archived'],
    ['HR re-hires an archived user', hr('archived'), hr('active'), 'user.reactivated'],
    ['an admin invites a candidate', hr('candidate'), hr('invited'), 'user.invited'],
    ['the app reports the invitation accepted', hr('invited'), hr('active'), 'user.activated'],
    ['the user leaves the connection scope', hr('active'), hr('active', 'released'), 'user.released'],
    ['a disconnect leaves the user unmanaged', hr('active'), hr('active', 'manual'), 'user.updated'],
    ['a candidate changes in HR', hr('candidate'), { ...hr('candidate'), title: 'New' }, 'user.updated'],
  ].map(([name, before, after, type]) => ({ name: name as string, before: before as ResourceDoc, after: after as ResourceDoc, type })))('$name → $type', ({ before, after, type }) => {
    expect(userEventType(before, after)).toBe(type);
  });
});

describe('retry delays', () => {
  const policy = { baseMs: 30_000, maxMs: 3_600_000, giveUpMs: 72 * 3_600_000 };
  it('double per attempt from the base, cap at the maximum, with ±20 % jitter', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, () => 0.5))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20, policy, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(1, policy, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, policy, () => 1)).toBeCloseTo(36_000, 6);
  });
});
