import { URN } from '../../../scim/schemas/urns.js';
import type { ConnectionV } from '../views.js';
import { providerName } from './overview.js';

/** How the source-of-authority pages name things: owners, sources, attribute paths and values. */

export interface SourceV {
  kind: string;
  id: string;
}
export interface RuleV {
  path: string;
  owner: string;
}
export interface AuthorityV {
  rules: RuleV[];
  policies: Record<Writer, 'ignore' | 'reject'>;
  default: boolean;
}
export interface UserConflictsV {
  items: { path: string; owner: string; stored: unknown; sources: { source: SourceV; value: unknown; firstAt: string; lastAt: string }[] }[];
}
export interface TenantConflictV {
  userId: string;
  userName: string;
  path: string;
  owner: string;
  stored: unknown;
  source: SourceV;
  attempted: unknown;
  firstAt: string;
  lastAt: string;
}
export interface TenantAttributeV {
  name: string;
  path: string;
  type: string;
  multiValued: boolean;
  caseExact: boolean;
  description: string;
}
interface TokenNameV {
  id: string;
  name: string;
}

export const WRITERS = ['scim', 'manual', 'hr'] as const;
export type Writer = (typeof WRITERS)[number];
export const WRITER_LABELS: Record<Writer, string> = {
  scim: 'Identity provider (SCIM tokens)',
  manual: 'Admins (console, admin API, CLI)',
  hr: 'HR connections',
};
export const POLICY_LABELS = {
  ignore: 'Ignore: keep the owner’s value, record a conflict',
  reject: 'Reject: refuse the whole write, naming the owner',
} as const;

const EXTENSIONS: [string, string][] = [
  [URN.enterpriseUser, 'enterprise'],
  [URN.tenantUser, 'your attribute'],
  [URN.hrUser, 'HR'],
];

/** `urn:…:enterprise:2.0:User:department` reads as `department (enterprise)`; core paths as they are. */
export function pathLabel(path: string): string {
  for (const [urn, label] of EXTENSIONS) {
    if (path.toLowerCase().startsWith(`${urn.toLowerCase()}:`)) return `${path.slice(urn.length + 1)} (${label})`;
  }
  return path;
}

/** Names owners and sources with what the tenant calls them: its connections' HR systems, its tokens' names. */
export function namer(connections: ConnectionV[], tokens: TokenNameV[] = []) {
  const provider = new Map(connections.map((c) => [c.id, providerName(c.provider)]));
  const token = new Map(tokens.map((t) => [t.id, t.name]));
  const connection = (id: string) => `${provider.get(id) ?? 'HR connection'} (connection ${id.slice(0, 8)}…)`;
  return {
    owner(owner: string): string {
      if (owner.startsWith('connection:')) return connection(owner.slice('connection:'.length));
      switch (owner) {
        case 'hr':
          return 'HR (the managing connection)';
        case 'scim':
          return 'Identity provider (SCIM)';
        case 'manual':
          return 'Admins';
        default:
          return owner;
      }
    },
    source(source: SourceV): string {
      switch (source.kind) {
        case 'connection':
          return connection(source.id);
        case 'token':
          return `Identity provider (token “${token.get(source.id) ?? source.id.slice(0, 8)}”)`;
        case 'admin':
          return `Admin ${source.id}`;
        default:
          return 'Rollcall';
      }
    },
  };
}

const LONGEST = 300;

/** A stored or attempted value as text: a list by its values, an object by its parts, nothing as "(empty)". */
export function valueText(value: unknown): string {
  const text = (() => {
    if (value === null || value === undefined || value === '') return '(empty)';
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) {
      if (value.length === 0) return '(empty)';
      return value.map((item) => (item && typeof item === 'object' && 'value' in item ? String((item as { value: unknown }).value) : JSON.stringify(item))).join(', ');
    }
    if (typeof value === 'object') {
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(', ');
    }
    return String(value);
  })();
  return text.length > LONGEST ? `${text.slice(0, LONGEST)}…` : text;
}

/** Owner choices of a rule: the three kinds plus each of the tenant's HR connections. */
export function ownerChoices(connections: ConnectionV[], also: string[] = []): string[] {
  const owners = ['hr', 'scim', 'manual', ...connections.filter((c) => c.status !== 'disconnected').map((c) => `connection:${c.id}`)];
  for (const extra of also) if (extra && !owners.includes(extra)) owners.push(extra);
  return owners;
}
