import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../connectors/http/client.js';
import { HttpError } from '../../connectors/http/errors.js';
import { bodyParseChannel } from '../../connectors/http/json-body.js';
import { getWorkersPage } from '../../connectors/workday/get-workers.js';
import { mapWorker } from '../../connectors/workday/map.js';
import { faultIn, getWorkersEnvelope } from '../../connectors/workday/soap.js';
import { child, parseXml, type XmlNode } from '../../connectors/workday/xml.js';

const today = '2026-03-02';
const workdayNs = 'urn:com.workday/bsvc';

/** How a client or version spells the namespaces: Workday's elements as `wd:`, `bsvc:` or in the default namespace. */
const spellings = [
  { name: 'wd:', env: 'env', p: 'wd:', declare: `xmlns:wd="${workdayNs}"` },
  { name: 'bsvc:', env: 'soapenv', p: 'bsvc:', declare: `xmlns:bsvc="${workdayNs}"` },
  { name: 'no prefix', env: 'SOAP-ENV', p: '', declare: `xmlns="${workdayNs}"` },
] as const;
type Spelling = (typeof spellings)[number];

function envelope(s: Spelling, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${s.env}:Envelope xmlns:${s.env}="http://schemas.xmlsoap.org/soap/envelope/">\n  <${s.env}:Body>${body}</${s.env}:Body>\n</${s.env}:Envelope>`;
}

function worker(s: Spelling, wid: string, name = 'Zoë'): string {
  const p = s.p;
  return `
    <${p}Worker>
      <${p}Worker_Reference><${p}ID ${p}type="WID">${wid}</${p}ID><${p}ID ${p}type="Employee_ID">E-${wid}</${p}ID></${p}Worker_Reference>
      <${p}Worker_Data>
        <${p}Personal_Data><${p}Name_Data><${p}Legal_Name_Data><${p}Name_Detail_Data><${p}First_Name>${name}</${p}First_Name><${p}Last_Name>Müller</${p}Last_Name></${p}Name_Detail_Data></${p}Legal_Name_Data></${p}Name_Data>
          <${p}Contact_Data><${p}Email_Address_Data><${p}Email_Address>${wid}@acme.test</${p}Email_Address><${p}Usage_Data><${p}Type_Data ${p}Primary="1"><${p}Type_Reference><${p}ID ${p}type="Communication_Usage_Type_ID">WORK</${p}ID></${p}Type_Reference></${p}Type_Data></${p}Usage_Data></${p}Email_Address_Data></${p}Contact_Data>
        </${p}Personal_Data>
        <${p}Employment_Data>
          <${p}Worker_Job_Data><${p}Position_Data><${p}Business_Title><![CDATA[R&D <lead>]]></${p}Business_Title></${p}Position_Data></${p}Worker_Job_Data>
          <${p}Worker_Status_Data><${p}Active>1</${p}Active><${p}Hire_Date>2020-01-01-08:00</${p}Hire_Date></${p}Worker_Status_Data>
        </${p}Employment_Data>
      </${p}Worker_Data>
    </${p}Worker>`;
}

function workersPage(s: Spelling, wids: string[], results = { total: wids.length, pages: 1, page: 1 }): string {
  const p = s.p;
  const counts = `<${p}Response_Results><${p}Total_Results>${results.total}</${p}Total_Results><${p}Total_Pages>${results.pages}</${p}Total_Pages><${p}Page>${results.page}</${p}Page></${p}Response_Results>`;
  const data = wids.length ? `<${p}Response_Data>${wids.map((w) => worker(s, w)).join('')}</${p}Response_Data>` : '';
  return envelope(s, `<${p}Get_Workers_Response ${s.declare} ${p}version="v44.0">${counts}${data}</${p}Get_Workers_Response>`);
}

function fault(s: Spelling, code: string, message: string, detail = ''): string {
  return envelope(s, `<${s.env}:Fault ${s.declare}><faultcode>${s.env}:${code}</faultcode><faultstring>${message}</faultstring>${detail}</${s.env}:Fault>`);
}

/** The body's bytes in chunks of `size` (cutting through characters of two bytes), then, if `fail`, a broken connection. */
function chunked(body: string, size: number, fail = false): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(body);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at < bytes.length && !(fail && at >= bytes.length / 2)) {
        controller.enqueue(new Uint8Array(bytes.subarray(at, (at += size))));
      } else if (fail) controller.error(new TypeError('terminated'));
      else controller.close();
    },
  });
}

/** A client whose POSTs answer 200 with the bodies given, the last one again and again, as Workday answers a page (or a fault behind a proxy that rewrites 500s). */
function answering(...bodies: Array<string | (() => ReadableStream<Uint8Array>)>) {
  const calls = { count: 0 };
  const http = createHttpClient({
    baseUrl: 'https://wd2-impl-services1.workday.com',
    maxRetries: 2,
    sleep: async () => {},
    fetch: async () => {
      const body = bodies[Math.min(calls.count++, bodies.length - 1)]!;
      return new Response(typeof body === 'string' ? body : body(), { status: 200, headers: { 'Content-Type': 'text/xml' } });
    },
  });
  return Object.assign(http, { calls });
}

const request = { username: 'ISU@acme', password: 'secret', version: 'v44.0', page: 1, count: 500, asOfEffectiveDate: today, asOfEntryDateTime: '2026-03-02T12:00:00.000Z', excludeContingentWorkers: false };
const endpoint = '/ccx/service/acme/Human_Resources/v44.0';
const readPage = <T>(body: string, take: (worker: unknown) => T) => getWorkersPage(answering(body), endpoint, request, take);
const remoteIds = (mapped: ReturnType<typeof mapWorker>[]) => mapped.map((m) => ('employee' in m ? m.employee.remoteId : m.reason));
const workerPath = ['Envelope', 'Body', 'Get_Workers_Response', 'Response_Data', 'Worker'];

describe('Get_Workers pages, one worker at a time', () => {
  const cases = spellings.flatMap((s) => [
    [s.name, 'no worker', s, [] as string[]],
    [s.name, 'one worker', s, ['w1']],
    [s.name, 'many workers', s, ['w1', 'w2', 'w3', 'w4']],
  ] as const);
  it.each(cases)('%s, %s: each worker is mapped in the page\'s order, with the page\'s counts', async (_spelling, _case, s, wids) => {
    const page = await readPage(workersPage(s, [...wids], { total: 1200, pages: 3, page: 2 }), (w) => mapWorker(w, today));
    expect(page).toMatchObject({ page: 2, totalPages: 3, totalResults: 1200 });
    expect(remoteIds(page.workers)).toEqual(wids);
    for (const m of page.workers) {
      expect(m).toMatchObject({ employee: { firstName: 'Zoë', lastName: 'Müller', workEmail: expect.stringMatching(/@acme\.test$/), jobTitle: 'R&D <lead>', status: 'active', startDate: '2020-01-01' } });
    }
  });

  it.each(spellings)('$name: a worker is handed over as it closes, and never joins the page\'s tree', (s) => {
    const taken: unknown[] = [];
    const doc = parseXml(workersPage(s, ['w1', 'w2']), 'page', { path: workerPath, take: (w) => taken.push(w) });
    expect(taken).toHaveLength(2);
    const response = child(doc, 'Envelope', 'Body', 'Get_Workers_Response');
    expect(response?.['@version']).toBe('v44.0');
    expect(child(response, 'Response_Results')?.Total_Pages).toBe('1');
    expect(child(response, 'Response_Data')).toBeUndefined();
  });

  it('only the element at the path is handed over: one of the same name elsewhere stays in the tree', () => {
    const taken: unknown[] = [];
    const doc = parseXml('<Root><Other><Worker>x</Worker></Other><List><Worker>y</Worker><Worker><Worker>z</Worker></Worker></List></Root>', 'doc', { path: ['Root', 'List', 'Worker'], take: (w) => taken.push(w) });
    expect(taken).toEqual(['y', { Worker: ['z'] }]);
    expect(doc).toEqual({ Root: { Other: { Worker: ['x'] }, List: '' } });
  });

  it.each<[string, string, (w: XmlNode) => unknown, unknown]>([
    ['one ID is a list', 'Worker_Reference', (w) => child(w, 'Worker_Reference')?.ID, [{ '@type': 'WID', '#text': 'w1' }, { '@type': 'Employee_ID', '#text': 'E-w1' }]],
    ['one Email_Address_Data is a list', 'Email_Address_Data', (w) => child(w, 'Worker_Data', 'Personal_Data', 'Contact_Data')?.Email_Address_Data, [expect.objectContaining({ Email_Address: 'w1@acme.test' })]],
    ['one Type_Data is a list', 'Type_Data', (w) => child(w, 'Worker_Data', 'Personal_Data', 'Contact_Data', 'Email_Address_Data', 'Usage_Data')?.Type_Data, [expect.objectContaining({ '@Primary': '1' })]],
    ['one Worker_Job_Data is a list', 'Worker_Job_Data', (w) => child(w, 'Worker_Data', 'Employment_Data')?.Worker_Job_Data, [{ Position_Data: { Business_Title: 'R&D <lead>' } }]],
    ['an element not listed, seen once, is not', 'Worker_Status_Data', (w) => child(w, 'Worker_Data', 'Employment_Data')?.Worker_Status_Data, { Active: '1', Hire_Date: '2020-01-01-08:00' }],
  ])('repeated elements: %s', (_case, _name, pick, expected) => {
    for (const s of spellings) {
      const taken: XmlNode[] = [];
      parseXml(workersPage(s, ['w1']), 'page', { path: workerPath, take: (w) => taken.push(w as XmlNode) });
      expect(pick(taken[0]!)).toEqual(expected);
    }
  });

  it('an element not listed becomes a list when it comes twice', () => {
    expect(parseXml('<a><b>1</b><c/><b>2</b></a>', 'doc')).toEqual({ a: { b: ['1', '2'], c: '' } });
  });

  it('an error of the mapping is its own: not a verdict on the XML, nor a broken connection to ask again', async () => {
    const broken = new TypeError('mapping failed');
    const http = answering(workersPage(spellings[0], ['w1', 'w2']));
    await expect(getWorkersPage(http, endpoint, request, () => {
      throw broken;
    })).rejects.toBe(broken);
    expect(http.calls.count).toBe(1);
    expect(() => parseXml(workersPage(spellings[0], ['w1']), 'page', { path: workerPath, take: () => {
      throw broken;
    } })).toThrow(broken);
  });
});

describe('a page read as it arrives', () => {
  const body = workersPage(spellings[0], ['w1', 'w2', 'w3']);
  it.each([1, 3, 100, 4096, Buffer.byteLength(body)])('in chunks of %i bytes: the same workers as read whole', async (size) => {
    const page = await getWorkersPage(answering(() => chunked(body, size)), endpoint, request, (w) => mapWorker(w, today));
    expect(remoteIds(page.workers)).toEqual(['w1', 'w2', 'w3']);
    expect(page.workers[0]).toMatchObject({ employee: { firstName: 'Zoë', lastName: 'Müller', jobTitle: 'R&D <lead>' } });
    expect(page.workers).toEqual((await readPage(body, (w) => mapWorker(w, today))).workers);
  });

  it('a connection that breaks halfway is asked again, and the page read afresh: no worker twice', async () => {
    const http = answering(() => chunked(body, 500, true), () => chunked(body, 500));
    const page = await getWorkersPage(http, endpoint, request, (w) => mapWorker(w, today));
    expect(http.calls.count).toBe(2);
    expect(remoteIds(page.workers)).toEqual(['w1', 'w2', 'w3']);
  });

  it('malformed XML cut into chunks is still a final invalid response quoting how the body starts', async () => {
    const http = answering(() => chunked(body.replace('</wd:Worker_Data>', ''), 7));
    await expect(getWorkersPage(http, endpoint, request, (w) => w)).rejects.toMatchObject({ kind: 'invalid_response', retryable: false, message: expect.stringContaining('starts with "<?xml version=\\"1.0\\" encoding=\\"UTF-8\\"?> <")') });
    expect(http.calls.count).toBe(1);
  });

  it('reports the time it spends parsing, so waiting on Workday is told apart from reading its answer', async () => {
    let ms = 0;
    const listen = (m: unknown) => void (ms += (m as { ms: number }).ms);
    bodyParseChannel.subscribe(listen);
    try {
      await getWorkersPage(answering(() => chunked(body, 1000)), endpoint, request, (w) => w);
    } finally {
      bodyParseChannel.unsubscribe(listen);
    }
    expect(ms).toBeGreaterThan(0);
  });
});

describe('faults and bodies that are not a page', () => {
  const validation = (p: string) => `<detail><${p}Validation_Fault><${p}Validation_Error><${p}Message>Count must be between 1 and 999.</${p}Message><${p}Xpath>Count</${p}Xpath></${p}Validation_Error></${p}Validation_Fault></detail>`;
  const cases = spellings.flatMap((s) => [
    [s.name, 'authentication', fault(s, 'Client.authenticationError', 'invalid username or password'), { kind: 'auth', status: 401, detail: 'invalid username or password' }],
    [s.name, 'not authorized', fault(s, 'Client.processingError', 'The task submitted is not authorized.'), { kind: 'permission', status: 403 }],
    [s.name, 'validation, with its Validation_Error', fault(s, 'Client.validationError', 'Validation error occurred.', validation(s.p)), { kind: 'bad_request', status: 400, detail: 'Validation error occurred.: Count must be between 1 and 999.' }],
    [s.name, 'processing', fault(s, 'Server.processingError', 'Processing error occurred.'), { kind: 'server', status: 500, retryable: true }],
  ] as const);
  it.each(cases)('%s, a %s fault in a 200 answer fails the page as Workday said', async (_spelling, _case, body, expected) => {
    await expect(readPage(body, (w) => w)).rejects.toMatchObject({ ...expected, message: expect.stringContaining('Get_Workers answered a SOAP fault') });
  });

  it.each(spellings)('$name: a Validation_Error is read from a fault as before', (s) => {
    expect(faultIn(parseXml(fault(s, 'Client.validationError', 'Validation error occurred.', validation(s.p)), 'fault'))).toEqual({ code: `${s.env}:Client.validationError`, message: 'Validation error occurred.', detail: 'Count must be between 1 and 999.' });
  });

  it.each([
    ['no Get_Workers_Response', envelope(spellings[0], '<wd:Other xmlns:wd="urn:com.workday/bsvc"/>'), /without a Get_Workers_Response/],
    ['no Total_Pages', workersPage(spellings[0], ['w1']).replace(/<wd:Total_Pages>1<\/wd:Total_Pages>/, ''), /no Response_Results\/Total_Pages/],
  ])('%s is a non-retryable invalid response', async (_case, body, message) => {
    await expect(readPage(body, (w) => w)).rejects.toMatchObject({ kind: 'invalid_response', retryable: false, message: expect.stringMatching(message) });
  });

  const page = workersPage(spellings[0], ['w1', 'w2']);
  it.each([
    ['cut off inside the second worker', page.slice(0, page.indexOf('w2@acme.test')), '<?xml version="1.0" encoding="UTF-8"?> <'],
    ['a closing tag that does not match', '<wd:Worker><wd:Worker_Data></wd:Worker></wd:Worker_Data>', '<wd:Worker><wd:Worker_Data></wd:Worker><'],
    ['JSON', '{"error":"invalid_grant"}', '{"error":"invalid_grant"}'],
    ['an HTML error page', '<html><body><p>Bad gateway<br></body></html>', '<html><body><p>Bad gateway<br></body></h'],
    ['two root elements', '<a/><b/>', '<a/><b/>'],
    ['an undefined entity', '<a>&nbsp;</a>', '<a>&nbsp;</a>'],
    ['empty', '', ''],
  ])('%s is not well-formed: a non-retryable invalid response quoting how it starts', async (_case, body, head) => {
    const failure = await readPage(body, (w) => w).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(HttpError);
    expect(failure).toMatchObject({ kind: 'invalid_response', retryable: false });
    expect((failure as HttpError).message).toContain(`Workday Get_Workers response is not well-formed XML (`);
    expect((failure as HttpError).message).toContain(`starts with ${JSON.stringify(head)})`);
  });

  it.each([
    ['an internal subset with an entity', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'],
    ['entities that expand into each other', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'],
    ['an external DTD', '<!DOCTYPE Envelope SYSTEM "http://127.0.0.1/evil.dtd"><Envelope/>'],
  ])('a DOCTYPE (%s) is refused before anything is read', (_case, body) => {
    const taken: unknown[] = [];
    expect(() => parseXml(body, 'page', { path: ['x'], take: (w) => taken.push(w) })).toThrow(expect.objectContaining({ kind: 'invalid_response', retryable: false, message: expect.stringContaining('it declares a DOCTYPE') }));
    expect(taken).toEqual([]);
  });

  it('the request envelope reads back through the same parser', () => {
    const doc = parseXml(getWorkersEnvelope({ ...request, count: 7 }), 'request');
    expect(child(doc, 'Envelope', 'Body', 'Get_Workers_Request', 'Response_Filter')).toMatchObject({ Page: '1', Count: '7' });
  });
});
