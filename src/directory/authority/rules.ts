import { HR_PATHS } from '../documents/hr-extension.js';

/**
 * A tenant's source of authority: for each attribute path of a user, the source that owns it, and per
 * kind of writer what happens to a write that changes a field it does not own (README, "Source of
 * authority").
 */

/**
 * `hr`: whichever HR connection manages the user (only while it does); `connection:<id>`: that HR
 * connection (only while it manages the user); `scim`: the identity provider's SCIM tokens;
 * `manual`: admins (admin API, CLI, console). A path with no rule is open to every source.
 */
export type Owner = 'hr' | 'scim' | 'manual' | `connection:${string}`;

export interface Rule {
  path: string;
  owner: Owner;
}

/** What a write that changes a field its source does not own gets: `reject` = 400 `mutability`; `ignore` = kept, recorded as a conflict. */
export type Policy = 'ignore' | 'reject';

/** The kinds of writer a policy is set for: SCIM tokens, admins, HR connections. */
export const WRITERS = ['scim', 'manual', 'hr'] as const;
export type Writer = (typeof WRITERS)[number];

export interface Authority {
  rules: Rule[];
  policies: Record<Writer, Policy>;
}

/**
 * Today's behaviour: HR owns what it fills in while it manages the user, the rest is open. Identity
 * providers retry a refused write forever (Entra quarantines the app), so their default is `ignore`;
 * an admin is told (`reject`); a sync's write to a field another source owns is dropped (`ignore`).
 */
export const DEFAULT_AUTHORITY: Authority = {
  rules: HR_PATHS.map((path) => ({ path, owner: 'hr' as Owner })),
  policies: { scim: 'ignore', manual: 'reject', hr: 'ignore' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An owner as written in the API and CLI, or null. */
export function parseOwner(raw: string): Owner | null {
  if (raw === 'hr' || raw === 'scim' || raw === 'manual') return raw;
  const m = /^connection:(.+)$/.exec(raw);
  return m && UUID.test(m[1]!) ? (`connection:${m[1]!.toLowerCase()}` as Owner) : null;
}

export const connectionOf = (owner: Owner): string | undefined => (owner.startsWith('connection:') ? owner.slice('connection:'.length) : undefined);

/** How an owner is named in errors and conflicts. */
export function ownerLabel(owner: Owner, provider?: string): string {
  const id = connectionOf(owner);
  if (id) return `HR connection ${id}${provider ? ` (${provider})` : ''}`;
  switch (owner) {
    case 'hr':
      return 'the HR connection';
    case 'scim':
      return 'the identity provider (SCIM)';
    case 'manual':
      return 'admins (manual)';
    default:
      return owner;
  }
}
