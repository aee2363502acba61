import type { EmployeeStatus } from '../contract.js';
import { applyDateRules, statusFromLabel } from '../status.js';
import { cleanDate, cleanText } from '../values.js';
import type { PayfitContract } from './schema.js';

/**
 * PayFit has no employee status: employment is its contracts (several per person, possibly
 * overlapping while a new one is being created) plus a `terminationDate`. Contract `status`
 * values are undocumented, so they are only hints; the dates decide.
 */
export interface Employment {
  status: EmployeeStatus;
  rawStatus: string | null;
  startDate: string | null;
  terminationDate: string | null;
  /** The contract that describes the person now (job title, establishment), if any. */
  contract: PayfitContract | null;
}

interface Span {
  start: string | null;
  end: string | null;
  status: string | null;
  /** The status says the contract is over even when no end date is set. */
  ended: boolean;
  draft: boolean;
  contract: PayfitContract;
}

const draftWords = /creation|draft|in[ _-]?progress|incomplete/i;
const endedWords = /\b(archived?|ended|finished|closed|terminated|cancell?ed|expired)\b/i;

export function employmentOf(
  contracts: readonly PayfitContract[] | undefined,
  topTerminationDate: unknown,
  today: string,
): Employment {
  const spans = (contracts ?? []).map(toSpan);
  // A contract an admin is still setting up is not employment yet (PayFit pays nobody on it).
  const relevant = spans.filter((s) => !s.draft);
  const current = relevant.filter((s) => !s.ended && (s.start === null || s.start <= today) && (s.end === null || s.end >= today));
  const future = relevant.filter((s) => !s.ended && s.start !== null && s.start > today);

  let base: EmployeeStatus;
  let chosen: Span[];
  let startDate: string | null;
  let contractEnd: string | null;
  if (current.length > 0) {
    chosen = current;
    base = current.some((s) => statusFromLabel(s.status) === 'leave' || /suspen/i.test(s.status ?? '')) ? 'leave' : 'active';
    startDate = earliest(current.map((s) => s.start));
    contractEnd = endOf([...current, ...future]);
  } else if (future.length > 0) {
    chosen = future;
    base = 'pending';
    startDate = earliest(future.map((s) => s.start));
    contractEnd = endOf(future);
  } else if (relevant.length > 0) {
    const last = [...relevant].sort((a, b) => (a.end ?? a.start ?? '').localeCompare(b.end ?? b.start ?? '')).at(-1)!;
    chosen = [last];
    base = 'inactive';
    startDate = last.start;
    contractEnd = latest(relevant.map((s) => s.end));
  } else {
    // Admin-only accounts are listed too; without a labour contract nobody is employed. When the
    // contracts could not be read at all, only the termination date can say anything.
    chosen = [];
    base = contracts === undefined ? 'active' : 'inactive';
    startDate = null;
    contractEnd = null;
  }

  const top = cleanDate(topTerminationDate);
  // A termination date older than the current contract belongs to an earlier one (a re-hire).
  const terminationDate = top !== null && (startDate === null || top >= startDate) ? top : contractEnd;
  const raw = [...new Set(chosen.map((s) => s.status).filter((s): s is string => s !== null))];
  return {
    status: applyDateRules(base, { startDate, terminationDate }, today),
    rawStatus: raw.length > 0 ? raw.join(' / ') : contracts !== undefined && contracts.length === 0 ? 'no contract' : null,
    startDate,
    terminationDate,
    contract: chosen.length > 0 ? [...chosen].sort((a, b) => (a.start ?? '').localeCompare(b.start ?? '')).at(-1)!.contract : null,
  };
}

function toSpan(contract: PayfitContract): Span {
  const status = cleanText(contract.status);
  return {
    start: cleanDate(contract.startDate),
    end: cleanDate(contract.endDate),
    status,
    ended: status !== null && (endedWords.test(status) || statusFromLabel(status) === 'inactive'),
    draft: status !== null && draftWords.test(status),
    contract,
  };
}

/** The end of a run of contracts: open-ended if any is, else the last end date. */
function endOf(spans: readonly Span[]): string | null {
  return spans.some((s) => s.end === null) ? null : latest(spans.map((s) => s.end));
}

function earliest(dates: ReadonlyArray<string | null>): string | null {
  const known = dates.filter((d): d is string => d !== null).sort();
  return known[0] ?? null;
}

function latest(dates: ReadonlyArray<string | null>): string | null {
  const known = dates.filter((d): d is string => d !== null).sort();
  return known.at(-1) ?? null;
}
