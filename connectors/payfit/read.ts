import { HttpError } from '../http/errors.js';
import type { HttpClient } from '../http/client.js';
import { parseWith } from '../http/json.js';
import { cleanText } from '../values.js';
import { collaboratorsPageSchema, contractSchema, contractsPageSchema, maxPageSize, type PayfitContract } from './schema.js';

/**
 * PayFit's token paging: `maxResults` (at most 50) and `nextPageToken`; the last page is the one
 * without a `nextPageToken` (absent or null). A token seen twice would loop forever, so it is
 * an invalid response rather than another request.
 */
export async function* tokenPages(
  http: HttpClient,
  path: string,
  list: 'collaborators' | 'contracts',
  signal?: AbortSignal,
): AsyncGenerator<{ records: unknown[]; last: boolean }> {
  const what = `PayFit ${list} page`;
  const seen = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const json = await http.requestJson({ path, query: { maxResults: maxPageSize, nextPageToken: token }, ...(signal ? { signal } : {}) });
    const page = list === 'collaborators' ? parseWith(collaboratorsPageSchema, json, what) : parseWith(contractsPageSchema, json, what);
    const records = 'collaborators' in page ? page.collaborators : page.contracts;
    const next = cleanText(page.meta?.nextPageToken) ?? undefined;
    if (next !== undefined && seen.has(next)) {
      throw new HttpError({ kind: 'invalid_response', message: `${what}: PayFit sent the page token ${JSON.stringify(next)} twice`, retryable: false });
    }
    if (next !== undefined) seen.add(next);
    yield { records, last: next === undefined };
    if (next === undefined) return;
    token = next;
  }
}

/** Every listed contract by collaborator id; contracts without one are of no use here. */
export async function contractsByCollaborator(http: HttpClient, base: string, signal?: AbortSignal): Promise<Map<string, PayfitContract[]>> {
  const byCollaborator = new Map<string, PayfitContract[]>();
  for await (const { records } of tokenPages(http, `${base}/contracts`, 'contracts', signal)) {
    for (const raw of records) {
      const parsed = contractSchema.safeParse(raw);
      if (!parsed.success || parsed.data.collaboratorId === null) continue;
      // Keep only what mapping reads: a big company's contracts stay small in memory.
      const { id, collaboratorId, status, startDate, endDate, jobTitle, jobName, establishment } = parsed.data;
      const slim = { id, collaboratorId, status, startDate, endDate, jobTitle, jobName, establishment } as PayfitContract;
      const list = byCollaborator.get(collaboratorId);
      if (list) list.push(slim);
      else byCollaborator.set(collaboratorId, [slim]);
    }
  }
  return byCollaborator;
}

/**
 * Reads `source` ahead while `ready` settles, then yields what it buffered and the rest. The
 * contracts (for job titles) and the collaborators are two chains of pages; running them side by
 * side halves a read's wall time, and the shared budget keeps their sum under PayFit's limit.
 */
export async function* readAhead<T>(source: AsyncGenerator<T>, ready: Promise<unknown>): AsyncGenerator<T> {
  let settled = false;
  const waiting = ready.then(
    () => (settled = true),
    () => (settled = true),
  );
  const buffered: T[] = [];
  let done = false;
  let failure: { error: unknown } | undefined;
  const pump = (async () => {
    try {
      while (!settled) {
        const next = await source.next();
        if (next.done) return void (done = true);
        buffered.push(next.value);
      }
    } catch (error) {
      failure = { error };
    }
  })();
  await waiting;
  await pump;
  await ready; // its failure is the run's, before anything is yielded
  if (failure) throw failure.error;
  while (buffered.length > 0) yield buffered.shift()!;
  if (!done) yield* source;
}
