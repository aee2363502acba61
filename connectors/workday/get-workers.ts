import type { EmployeePage, RecordError } from '../contract.js';
import type { HttpClient } from '../http/client.js';
import { HttpError } from '../http/errors.js';
import { timedBodyParse, type BodyChunks } from '../http/json-body.js';
import { resolveManagers, type Unresolved } from '../managers.js';
import { mapWorker } from './map.js';
import { faultIn, getWorkersEnvelope, statusForFault, type GetWorkersRequest } from './soap.js';
import { child, createXmlReader, textAt, type XmlNode } from './xml.js';

export interface WorkersPage<T> {
  /** What `take` made of each Worker element, in the page's order. */
  workers: T[];
  page: number;
  totalPages: number;
  totalResults: number;
}

const workerPath = ['Envelope', 'Body', 'Get_Workers_Response', 'Response_Data', 'Worker'];

/**
 * One Get_Workers page: the request, the fault check and Response_Results. Each Worker element
 * goes to `take` as soon as it is parsed, and only what `take` returns is kept (see `XmlStream`).
 */
export async function getWorkersPage<T>(http: HttpClient, path: string, request: GetWorkersRequest, take: (worker: unknown) => T, signal?: AbortSignal): Promise<WorkersPage<T>> {
  const res = await http.requestStreamed(
    {
      path,
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml', SOAPAction: '""' },
      body: getWorkersEnvelope(request),
      ...(signal ? { signal } : {}),
    },
    (body) => readWorkersBody(body, take),
  );
  if ('failed' in res.read) throw res.read.failed;
  const { doc, workers } = res.read;
  const fault = faultIn(doc);
  if (fault) {
    const status = statusForFault(fault);
    throw new HttpError({ kind: status === 401 ? 'auth' : status === 403 ? 'permission' : status === 400 ? 'bad_request' : 'server', status, message: `Get_Workers answered a SOAP fault ${fault.code}`, detail: [fault.message, fault.detail].filter(Boolean).join(': '), url: res.url });
  }
  const response = child(doc, 'Envelope', 'Body', 'Get_Workers_Response');
  if (!response) {
    throw new HttpError({ kind: 'invalid_response', message: 'Workday answered without a Get_Workers_Response in the SOAP body: check the endpoint URL', retryable: false, url: res.url });
  }
  const results = child(response, 'Response_Results');
  const count = (name: string) => {
    const n = Number(textAt(results, name));
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  const totalPages = count('Total_Pages');
  const page = count('Page') ?? request.page;
  if (totalPages === undefined) {
    throw new HttpError({ kind: 'invalid_response', message: 'Get_Workers_Response has no Response_Results/Total_Pages, so the last page cannot be told', retryable: false, url: res.url });
  }
  return { workers, page, totalPages, totalResults: count('Total_Results') ?? 0 };
}

/**
 * A page's body parsed as it arrives, never held as one text: the 2.6 MB of a 500-worker page
 * would be read as bytes, decoded into a string twice their size when one name has an accent, and
 * both kept until the page is parsed. An error of `take` (ours, not Workday's) ends the read and
 * comes back as `failed`: thrown from here, the client would count it as a broken connection and
 * ask again.
 */
async function readWorkersBody<T>(body: BodyChunks, take: (worker: unknown) => T): Promise<{ doc: XmlNode; workers: T[] } | { failed: unknown }> {
  const workers: T[] = [];
  const reader = createXmlReader('Workday Get_Workers response', { path: workerPath, take: (worker) => workers.push(take(worker)) });
  const decoder = new TextDecoder();
  let failed: { failed: unknown } | undefined;
  const parse = (step: () => void) => {
    try {
      timedBodyParse(step);
    } catch (err) {
      // The reader reports malformed XML as an HttpError; anything else was thrown by `take`.
      if (err instanceof HttpError) throw err;
      failed = { failed: err };
    }
  };
  for await (const chunk of body) {
    parse(() => reader.write(decoder.decode(chunk, { stream: true })));
    // Leaving the loop cancels the rest of the body.
    if (failed) return failed;
  }
  let doc: XmlNode = {};
  parse(() => {
    reader.write(decoder.decode());
    doc = reader.close();
  });
  return failed ?? { doc, workers };
}

type Mapped = ReturnType<typeof mapWorker>;

export interface ListWorkersOptions {
  http: HttpClient;
  path: string;
  request: Omit<GetWorkersRequest, 'page'>;
  today: string;
  signal?: AbortSignal | undefined;
}

/**
 * Every page of Get_Workers, parsed one at a time and yielded as it arrives: each worker is mapped
 * as it is parsed, and only the next page's request is in flight meanwhile, so a 50,000-worker
 * tenant never sits in memory as XML.
 * The last page is the one whose Page reaches Total_Pages. Managers named by WID pass as they
 * are; one named only by Employee_ID is looked up among workers read so far, and the few not yet
 * seen (a manager listed after their report) wait for the end of the run.
 */
export async function* listWorkers(opts: ListWorkersOptions): AsyncGenerator<EmployeePage> {
  const complete = opts.request.updated === undefined;
  const byNumber = new Map<string, string>();
  const seen = new Set<string>();
  const waiting: Unresolved[] = [];
  let firstTotal: number | undefined;
  const map = (worker: unknown) => mapWorker(worker, opts.today);
  const fetchPage = (page: number) => getWorkersPage(opts.http, opts.path, { ...opts.request, page }, map, opts.signal);
  let next: Promise<WorkersPage<Mapped>> | undefined = fetchPage(1);
  for (let page = 1; next; page++) {
    const got = await next;
    next = undefined;
    firstTotal ??= got.totalPages;
    if (got.totalPages !== firstTotal) {
      throw new HttpError({ kind: 'invalid_response', message: `Workday's result set changed while paging (${firstTotal} pages, then ${got.totalPages})`, retryable: true });
    }
    const last = got.workers.length === 0 || page >= got.totalPages;
    if (!last) {
      // Workday takes seconds to assemble a page: ask for the next one while this one is mapped
      // and stored. At most one page waits in memory; its failure surfaces when it is awaited.
      next = fetchPage(page + 1);
      next.catch(() => undefined);
    }
    const ready: Unresolved[] = [];
    const errors: RecordError[] = [];
    for (const mapped of got.workers) {
      if (!('employee' in mapped)) errors.push(mapped);
      else if (seen.has(mapped.employee.remoteId)) {
        errors.push({ remoteId: mapped.employee.remoteId, code: 'duplicate_record', reason: 'worker appears twice in Get_Workers', dropped: true });
      } else {
        seen.add(mapped.employee.remoteId);
        if (mapped.employee.employeeNumber) byNumber.set(mapped.employee.employeeNumber, mapped.employee.remoteId);
        ready.push(mapped);
      }
    }
    const now: Unresolved[] = [];
    for (const item of ready) {
      const number = item.manager.employeeNumber;
      if (item.manager.remoteId || !number) now.push(item);
      else if (byNumber.has(number)) now.push({ ...item, manager: { remoteId: byNumber.get(number)! } });
      else waiting.push(item);
    }
    if (last) {
      for (const item of waiting) now.push(byNumber.has(item.manager.employeeNumber!) ? { ...item, manager: { remoteId: byNumber.get(item.manager.employeeNumber!)! } } : item);
    }
    const resolved = resolveManagers(now);
    yield { employees: resolved.employees, errors: [...errors, ...resolved.errors], complete };
  }
}

