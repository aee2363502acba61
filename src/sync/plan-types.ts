import type { PlannedEmployee } from './scope.js';

import type { Lifecycle, Management } from '../directory/documents/hr-extension.js';

export type { Lifecycle, Management };

/** What the planner needs to know of a directory user. */
export interface DirectoryUser {
  id: string;
  userName: string;
  emails: string[];
  lifecycle: Lifecycle;
  management: Management;
  connectionId: string | null;
  remoteId: string | null;
  /** The HR fields last applied, to tell whether an update is due. */
  hr: Record<string, unknown> | null;
}

export type PlanOperation =
  | { kind: 'create'; remoteId: string; lifecycle: 'candidate' | 'invited'; employee: PlannedEmployee; reason: string }
  | { kind: 'link'; userId: string; remoteId: string; employee: PlannedEmployee; reason: string }
  | { kind: 'update'; userId: string; remoteId: string; employee: PlannedEmployee; changed: string[]; reason: string }
  | { kind: 'reactivate'; userId: string; remoteId: string; employee: PlannedEmployee; reason: string }
  /** `employee` when HR still lists the person (a termination date, an inactive status): their last HR fields are kept. */
  | { kind: 'archive'; userId: string; remoteId: string | null; employee?: PlannedEmployee; reason: string }
  | { kind: 'release'; userId: string; remoteId: string; reason: string };

export interface PlanConflict {
  remoteId: string;
  userId: string;
  reason: string;
}

/** An HR record the run leaves alone, and why (outside the scope, no longer employed, no work email…). */
export interface PlanSkip {
  remoteId: string;
  email: string | null;
  userId: string | null;
  reason: string;
}

export interface PlanCounts {
  create: number;
  link: number;
  update: number;
  reactivate: number;
  archive: number;
  release: number;
  unchanged: number;
  skipped: number;
  conflicts: number;
}

export interface Plan {
  counts: PlanCounts;
  operations: PlanOperation[];
  conflicts: PlanConflict[];
  /** Who was skipped and why; `counts.skipped` is its length. */
  skipped: PlanSkip[];
  /** Set when the safety stop holds the run; nothing is applied until an admin approves. */
  held?: { reason: string; removals: number; managed: number; threshold: number };
}
