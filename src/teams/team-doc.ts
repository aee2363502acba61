import type { ResourceDoc } from '../../scim/resource/document.js';
import { URN } from '../../scim/schemas/urns.js';
import { TEAM_URN, type TeamExtension, type TeamKind } from '../directory/documents/team-extension.js';

export { TEAM_URN, teamExtensionOf, type TeamExtension } from '../directory/documents/team-extension.js';

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
