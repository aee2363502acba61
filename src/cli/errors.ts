import { CommanderError } from 'commander';
import { DomainError } from '../../scim/errors.js';
import { problemResponse } from '../admin/problem.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { ConfigError } from '../env.js';

/**
 * An error as the CLI reports it: the admin API's problem body (RFC 9457) when the error is the
 * API's, or the same shape with a CLI code (`usage`, `configuration`, `unreachable`, …) otherwise.
 * `status` and `type` are there exactly when the admin API would answer the error over HTTP.
 */
export interface Problem {
  code: string;
  title: string;
  detail: string;
  status?: number;
  type?: string;
  [extra: string]: unknown;
}

/** Exit codes scripts can tell apart (README, "Exit codes"). */
export const EXIT = { ok: 0, other: 1, usage: 2, auth: 3, notFound: 4, conflict: 5, runFailed: 6, runHeld: 7 } as const;

/** An error the admin API answered over HTTP, carried to the CLI's edge unchanged. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ProblemError';
  }
}

/** A failure of the CLI itself (a command that needs the store, no store, a server it cannot reach). */
export class CliError extends Error {
  constructor(
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly exitCode: number,
  ) {
    super(detail);
    this.name = 'CliError';
  }
}

/** The exit code of an API error, from its HTTP status: the same in both modes, since a local error gets the status the API would give it. */
export function exitCodeOf(status: number | undefined): number {
  if (status === undefined) return EXIT.other;
  if (status === 400 || status === 413 || status === 415 || status === 422) return EXIT.usage;
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status === 409 || status === 412) return EXIT.conflict;
  return EXIT.other;
}

/** Commander's own messages start with "error: "; the CLI's line has its own prefix. */
const commanderDetail = (message: string) => message.replace(/^error:\s*/i, '').trim();

/** The problem and exit code of anything a command threw; `bug` marks an error no code path expected, reported with its stack. */
export async function classify(error: unknown): Promise<{ problem: Problem; exitCode: number; bug: boolean }> {
  if (error instanceof ProblemError) return { problem: error.problem, exitCode: exitCodeOf(error.problem.status), bug: false };
  if (error instanceof DomainError) {
    // The very body the HTTP admin API would answer, so --json errors read alike in both modes.
    const problem = (await problemResponse(error, error.extra).json()) as Problem;
    return { problem, exitCode: exitCodeOf(problem.status), bug: false };
  }
  if (error instanceof CommanderError) return { problem: { code: 'usage', title: 'Usage error', detail: commanderDetail(error.message) }, exitCode: EXIT.usage, bug: false };
  if (error instanceof CliError) return { problem: { code: error.code, title: error.title, detail: error.detail }, exitCode: error.exitCode, bug: false };
  if (error instanceof ConfigError) return { problem: { code: 'configuration', title: 'Configuration error', detail: error.message }, exitCode: EXIT.other, bug: false };
  if (error instanceof DataDirLockedError) return { problem: { code: 'store_in_use', title: 'Store in use', detail: error.message }, exitCode: EXIT.other, bug: false };
  const detail = error instanceof Error ? error.message : String(error);
  return { problem: { code: 'internal', title: 'Internal error', detail }, exitCode: EXIT.other, bug: true };
}

/** Writes the error to stderr: one JSON line `{"error":{…}}` with --json, else one `rollcall: …` line (a bug keeps its stack). */
export async function reportError(error: unknown, json: boolean, alreadyTold = false): Promise<number> {
  const { problem, exitCode, bug } = await classify(error);
  if (alreadyTold && !json) return exitCode;
  if (json) process.stderr.write(`${JSON.stringify({ error: problem })}\n`);
  else if (bug) process.stderr.write(`rollcall: ${error instanceof Error && error.stack ? error.stack : problem.detail}\n`);
  else process.stderr.write(`rollcall: ${problem.detail}\n`);
  return exitCode;
}

/** Whether the command line asks for JSON (before any `--`), known even when parsing it fails. */
export function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}
