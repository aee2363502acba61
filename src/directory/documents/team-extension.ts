import type { ResourceDoc } from '../../../scim/resource/document.js';
import { URN } from '../../../scim/schemas/urns.js';

/** What a team is built from: a manager's reports, a department, or the people with neither. */
export type TeamKind = 'team' | 'department' | 'unassigned';

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

/** A group as the team writes see it: a managed team of a connection, or a group that enabling team sync removes. */
export interface CurrentGroup {
  id: string;
  key: string | null;
  displayName: string;
  doc: ResourceDoc;
  version: number;
  memberIds: string[];
}

/** The writes that bring a connection's teams to what its HR data says; applied by team-writes.ts. */
export interface TeamChanges {
  create: { id: string; key: string; displayName: string; doc: ResourceDoc }[];
  /** Teams whose document changes (name, reviewer, parent); `version` is the one they had. */
  update: { id: string; key: string; displayName: string; doc: ResourceDoc; version: number; changed: string[]; was: string }[];
  remove: { id: string; displayName: string; doc: ResourceDoc; version: number }[];
  /** Group and member ids, pairwise. */
  addMembers: { groupId: string; memberId: string }[];
  removeMembers: { groupId: string; memberId: string }[];
  /** Existing teams whose membership alone changes: their version moves too (ETags see membership). */
  touched: { id: string; version: number }[];
}
