import type { ResourceDoc } from '../../scim/resource/document.js';
import { URN } from '../../scim/schemas/urns.js';
import type { TeamKind } from './build-teams.js';

/** The team extension as stored in a group document; `$ref`s are added when it is shown. */
export interface TeamExtension {
  kind: TeamKind;
  key: string;
  manager?: { value: string; display: string };
  parent?: { value: string; display: string };
  management: 'managed' | 'released';
  connection: { value: string; display: string };
}

export const TEAM_URN = URN.teamGroup;

export function teamExtensionOf(doc: ResourceDoc | Record<string, unknown>): TeamExtension | undefined {
  const ext = doc[TEAM_URN];
  return ext && typeof ext === 'object' && !Array.isArray(ext) ? (ext as TeamExtension) : undefined;
}

export interface TeamDocInput {
  displayName: string;
  kind: TeamKind;
  key: string;
  manager: { userId: string; displayName: string } | null;
  parent: { id: string; displayName: string } | null;
  connection: { id: string; provider: string };
}

/** A managed team's document: the core Group (name; members live in their own table) and the team extension. */
export function teamDoc(input: TeamDocInput): ResourceDoc {
  const ext: TeamExtension = {
    kind: input.kind,
    key: input.key,
    ...(input.manager ? { manager: { value: input.manager.userId, display: input.manager.displayName } } : {}),
    ...(input.parent ? { parent: { value: input.parent.id, display: input.parent.displayName } } : {}),
    management: 'managed',
    connection: { value: input.connection.id, display: input.connection.provider },
  };
  return { schemas: [URN.group, TEAM_URN], displayName: input.displayName, [TEAM_URN]: ext } as ResourceDoc;
}
