import { describe, expect, it } from 'vitest';
import type { EmployeeStatus } from '../../connectors/contract.js';
import { failureKind } from '../../connectors/failure.js';
import { HttpError, kindForStatus } from '../../connectors/http/errors.js';
import { workdayTarget } from '../../connectors/workday/connector.js';
import { emailOf, mapWorker, statusOf, workdayDate } from '../../connectors/workday/map.js';
import { managerOf, primaryJob } from '../../connectors/workday/positions.js';
import { cellText, entriesOf, mapReportEntry, raasStatus } from '../../connectors/workday/raas.js';
import { workdaySettingsSchema } from '../../connectors/workday/schema.js';
import { describeWorkdayFailure, faultInText, getWorkersEnvelope, statusForFault } from '../../connectors/workday/soap.js';
import { child, children, parseXml, type XmlNode } from '../../connectors/workday/xml.js';

const today = '2026-03-02';
const wd = (inner: string) => parseXml(`<wd:Root xmlns:wd="urn:com.workday/bsvc">${inner}</wd:Root>`, 'test').Root as XmlNode;

describe('Workday values', () => {
  it.each([
    ['2000-01-01-08:00', '2000-01-01'],
    ['2000-01-01+01:00', '2000-01-01'],
    ['2000-01-01Z', '2000-01-01'],
    ['2000-01-01', '2000-01-01'],
    ['2000-01-01T00:00:00.000-08:00', '2000-01-01'],
    ['2023-02-29-08:00', null],
    ['', null],
    [undefined, null],
  ])('date %s → %s', (input, expected) => {
    expect(workdayDate(input)).toBe(expected);
  });

  it.each<[string, string | null, EmployeeStatus, string]>([
    ['<wd:Active>1</wd:Active><wd:Terminated>0</wd:Terminated>', '2020-01-01', 'active', 'Active'],
    ['<wd:Active>0</wd:Active><wd:Terminated>1</wd:Terminated>', '2020-01-01', 'inactive', 'Terminated'],
    ['<wd:Active>1</wd:Active><wd:Leave_Status_Data><wd:On_Leave>1</wd:On_Leave></wd:Leave_Status_Data>', '2020-01-01', 'leave', 'On Leave'],
    ['<wd:Active>1</wd:Active><wd:On_Leave>1</wd:On_Leave>', '2020-01-01', 'leave', 'On Leave'],
    ['<wd:Active>true</wd:Active><wd:On_Leave>0</wd:On_Leave>', '2020-01-01', 'active', 'Active'],
    ['<wd:Active>0</wd:Active><wd:Terminated>0</wd:Terminated>', '2026-04-01', 'pending', 'Pre-hire'],
    ['<wd:Active>0</wd:Active><wd:Terminated>0</wd:Terminated>', '2020-01-01', 'inactive', 'Inactive'],
  ])('status flags %s (hired %s) → %s', (flags, hire, status, raw) => {
    expect(statusOf(wd(flags), hire, today)).toEqual({ status, rawStatus: raw });
  });

  const email = (address: string, usage: string, primary: 0 | 1) =>
    `<wd:Email_Address_Data><wd:Email_Address>${address}</wd:Email_Address><wd:Usage_Data><wd:Type_Data wd:Primary="${primary}"><wd:Type_Reference><wd:ID wd:type="Communication_Usage_Type_ID">${usage}</wd:ID></wd:Type_Reference></wd:Type_Data></wd:Usage_Data></wd:Email_Address_Data>`;
  it.each([
    [email('a@home.test', 'HOME', 1) + email('b@acme.test', 'WORK', 0), 'b@acme.test', 'a@home.test'],
    [email('b@acme.test', 'WORK', 0) + email('c@acme.test', 'WORK', 1), 'c@acme.test', null],
    [email('d@acme.test', 'WORK', 1), 'd@acme.test', null],
    ['', null, null],
  ])('emails %#: work %s, home %s', (xml, work, home) => {
    const contact = wd(xml);
    expect(emailOf(contact, 'WORK')).toBe(work);
    expect(emailOf(contact, 'HOME')).toBe(home);
  });
});

const job = (title: string, primary: string | null, chain = '') =>
  `<wd:Worker_Job_Data${primary === null ? '' : ` wd:Primary_Job="${primary}"`}><wd:Position_Data><wd:Business_Title>${title}</wd:Business_Title></wd:Position_Data>${chain}</wd:Worker_Job_Data>`;

describe('several positions: the primary one counts', () => {
  it.each([
    ['marked primary and first', [job('A', '1'), job('B', '0')], 'A'],
    ['marked primary but listed second', [job('B', '0'), job('A', '1')], 'A'],
    ['marked on the Position_Data', ['<wd:Worker_Job_Data><wd:Position_Data><wd:Business_Title>B</wd:Business_Title></wd:Position_Data></wd:Worker_Job_Data>', '<wd:Worker_Job_Data><wd:Position_Data wd:Primary_Job="true"><wd:Business_Title>A</wd:Business_Title></wd:Position_Data></wd:Worker_Job_Data>'], 'A'],
    ['none marked: the first listed', [job('A', null), job('B', null)], 'A'],
    ['two marked: the first marked', [job('B', '0'), job('A', '1'), job('C', '1')], 'A'],
    ['one position, as an element rather than a list', [job('A', null)], 'A'],
  ])('%s', (_case, jobs, expected) => {
    const jobsNode = children(wd(jobs.join('')), 'Worker_Job_Data');
    expect(child(primaryJob(jobsNode), 'Position_Data')?.Business_Title).toBe(expected);
  });
});

describe('the manager from the supervisory management chain', () => {
  const link = (org: string, ...managers: string[]) =>
    `<wd:Management_Chain_Data><wd:Organization_Reference><wd:ID wd:type="Organization_Reference_ID">${org}</wd:ID></wd:Organization_Reference>${managers.map((m) => `<wd:Manager_Reference>${m}</wd:Manager_Reference>`).join('')}</wd:Management_Chain_Data>`;
  const wid = (w: string, emp?: string) => `<wd:ID wd:type="WID">${w}</wd:ID>${emp ? `<wd:ID wd:type="Employee_ID">${emp}</wd:ID>` : ''}`;
  const emp = (e: string) => `<wd:ID wd:type="Employee_ID">${e}</wd:ID>`;
  const positionChain = (links: string) => `<wd:Position_Management_Chains_Data><wd:Position_Supervisory_Management_Chain_Data>${links}</wd:Position_Supervisory_Management_Chain_Data></wd:Position_Management_Chains_Data>`;
  const self = { remoteId: 'me', employeeNumber: '9' };
  it.each<[string, string, string | null, object]>([
    ['top-down: the own organisation is the last link', link('TOP', wid('ceo')) + link('SUP-B', wid('boss')), 'SUP-B', { remoteId: 'boss', employeeNumber: null }],
    ['top-down, own organisation unknown: the last link', link('TOP', wid('ceo')) + link('SUP-B', wid('boss')), null, { remoteId: 'boss', employeeNumber: null }],
    ['the worker manages their own organisation: the link above', link('TOP', wid('ceo')) + link('SUP-ME', wid('me')), 'SUP-ME', { remoteId: 'ceo', employeeNumber: null }],
    ['bottom-up (?): the own organisation first', link('SUP-B', wid('boss')) + link('TOP', wid('ceo')), 'SUP-B', { remoteId: 'boss', employeeNumber: null }],
    ['bottom-up, managing their own: the next link up', link('SUP-ME', wid('me')) + link('SUP-B', wid('boss')) + link('TOP', wid('ceo')), 'SUP-ME', { remoteId: 'boss', employeeNumber: null }],
    ['co-managers, self among them: the other one', link('TOP', wid('ceo')) + link('SUP-ME', wid('me'), wid('co')), 'SUP-ME', { remoteId: 'co', employeeNumber: null }],
    ['only an Employee_ID (?): resolved later by employee number', link('TOP', emp('1')) + link('SUP-B', emp('2')), 'SUP-B', { remoteId: null, employeeNumber: '2' }],
    ['self by Employee_ID only', link('TOP', emp('1')) + link('SUP-ME', emp('9')), 'SUP-ME', { remoteId: null, employeeNumber: '1' }],
    ['the top of the organisation: nobody', link('TOP', wid('me')), 'TOP', {}],
  ])('%s', (_case, links, own, expected) => {
    const jobNode = wd(positionChain(links));
    expect(managerOf(jobNode, undefined, own, self)).toEqual(expected);
  });

  it('reads the worker-level chain when the position has none, and the last detected manager without any chain', () => {
    const workerData = wd(`<wd:Management_Chain_Data><wd:Worker_Supervisory_Management_Chain_Data>${link('TOP', wid('ceo')) + link('SUP-B', wid('boss'))}</wd:Worker_Supervisory_Management_Chain_Data></wd:Management_Chain_Data>`);
    expect(managerOf(undefined, workerData, 'SUP-B', self)).toEqual({ remoteId: 'boss', employeeNumber: null });
    const jobNode = wd(`<wd:Position_Data><wd:Manager_as_of_last_detected_manager_change_Reference>${wid('last', '5')}</wd:Manager_as_of_last_detected_manager_change_Reference></wd:Position_Data>`);
    expect(managerOf(jobNode, undefined, null, self)).toEqual({ remoteId: 'last', employeeNumber: '5' });
  });
});

describe('one worker', () => {
  const worker = (extra: { ref?: string; status?: string; jobs?: string } = {}) =>
    wd(`<wd:Worker><wd:Worker_Reference>${extra.ref ?? '<wd:ID wd:type="WID">w1</wd:ID><wd:ID wd:type="Employee_ID">21001</wd:ID>'}</wd:Worker_Reference><wd:Worker_Data><wd:Worker_ID>21001</wd:Worker_ID>
      <wd:Personal_Data><wd:Name_Data><wd:Legal_Name_Data><wd:Name_Detail_Data wd:Formatted_Name="Zoë Müller"><wd:First_Name>Zoë</wd:First_Name><wd:Last_Name>Müller</wd:Last_Name></wd:Name_Detail_Data></wd:Legal_Name_Data>
      <wd:Preferred_Name_Data><wd:Name_Detail_Data><wd:First_Name>Zoë</wd:First_Name><wd:Last_Name>Müller</wd:Last_Name></wd:Name_Detail_Data></wd:Preferred_Name_Data></wd:Name_Data></wd:Personal_Data>
      <wd:Employment_Data>${extra.jobs ?? ''}<wd:Worker_Status_Data>${extra.status ?? '<wd:Active>1</wd:Active><wd:Hire_Date>2020-01-01-08:00</wd:Hire_Date>'}</wd:Worker_Status_Data></wd:Employment_Data></wd:Worker_Data></wd:Worker>`).Worker;

  it('maps names, ids and the legal name repeated as preferred to no preferred name', () => {
    const mapped = mapWorker((worker() as unknown[])[0], today);
    expect(mapped).toMatchObject({ employee: { remoteId: 'w1', employeeNumber: '21001', firstName: 'Zoë', lastName: 'Müller', preferredName: null, status: 'active', startDate: '2020-01-01', managerRemoteId: null } });
  });

  it.each([
    ['a termination ahead (read as of a later date): employed until then', '<wd:Active>0</wd:Active><wd:Terminated>1</wd:Terminated><wd:Hire_Date>2020-01-01</wd:Hire_Date><wd:Termination_Date>2026-03-20-08:00</wd:Termination_Date>', 'active', '2026-03-20'],
    ['a termination passed', '<wd:Active>0</wd:Active><wd:Terminated>1</wd:Terminated><wd:Hire_Date>2020-01-01</wd:Hire_Date><wd:Termination_Date>2026-02-20</wd:Termination_Date>', 'inactive', '2026-02-20'],
    ['a hire ahead', '<wd:Active>1</wd:Active><wd:Hire_Date>2026-03-20</wd:Hire_Date>', 'pending', null],
    ['a re-hire: the old termination is dropped', '<wd:Active>1</wd:Active><wd:Hire_Date>2026-01-05</wd:Hire_Date><wd:Termination_Date>2024-02-20</wd:Termination_Date>', 'active', null],
  ])('%s', (_case, status, expected, terminationDate) => {
    expect(mapWorker((worker({ status }) as unknown[])[0], today)).toMatchObject({ employee: { status: expected, terminationDate } });
  });

  it('drops a worker without a WID and says why', () => {
    expect(mapWorker((worker({ ref: '<wd:ID wd:type="Employee_ID">21001</wd:ID>' }) as unknown[])[0], today)).toMatchObject({ remoteId: '21001', code: 'invalid_record', dropped: true });
  });
});

describe('SOAP faults become the usual failure kinds', () => {
  const fault = (code: string, message: string, detail = '') =>
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault xmlns:wd="urn:com.workday/bsvc"><faultcode>${code}</faultcode><faultstring>${message}</faultstring>${detail}</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
  const validation = '<detail><wd:Validation_Fault><wd:Validation_Error><wd:Message>Count must be between 1 and 999.</wd:Message><wd:Xpath>Count</wd:Xpath></wd:Validation_Error></wd:Validation_Fault></detail>';
  it.each([
    [fault('SOAP-ENV:Client.authenticationError', 'invalid username or password'), 401, 'invalid_credentials', 'invalid username or password'],
    [fault('SOAP-ENV:Client', 'Invalid username or password'), 401, 'invalid_credentials', 'Invalid username or password'],
    [fault('SOAP-ENV:Client.processingError', 'Processing error occurred. The task submitted is not authorized.'), 403, 'missing_permission', 'Processing error occurred. The task submitted is not authorized.'],
    [fault('SOAP-ENV:Client.validationError', 'Validation error occurred. Count must be between 1 and 999.', validation), 400, 'unreachable', 'Validation error occurred. Count must be between 1 and 999.: Count must be between 1 and 999.'],
    [fault('SOAP-ENV:Server.processingError', 'Processing error occurred.'), 500, 'unreachable', 'Processing error occurred.'],
  ])('%#: status %i, %s', (body, status, kind, detail) => {
    const parsed = faultInText(body)!;
    expect(statusForFault(parsed)).toBe(status);
    expect(failureKind(new HttpError({ kind: kindForStatus(status), message: 'x' }))).toBe(kind);
    expect(describeWorkdayFailure(500, new Headers(), body)).toBe(detail);
  });

  it('a body that is not a fault is no fault, and plain text is quoted', () => {
    expect(faultInText('Internal Server Error')).toBeUndefined();
    expect(faultInText('<html><body>Bad gateway</body></html>')).toBeUndefined();
    expect(describeWorkdayFailure(502, new Headers(), 'Bad gateway')).toBe('Bad gateway');
  });
});

describe('XML handling', () => {
  it.each([
    ['{"title":"rollcall","employees":[{"id":"1",'],
    ['<a><b></a>'],
    ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'],
  ])('refuses %s as a non-retryable invalid response', (body) => {
    expect(() => parseXml(body, 'page')).toThrow(expect.objectContaining({ kind: 'invalid_response', retryable: false }));
  });

  it('escapes what it writes: a password with XML characters round-trips through the envelope', () => {
    const xml = getWorkersEnvelope({ username: 'ISU@acme', password: `a<b>&"c'`, version: 'v44.0', page: 1, count: 10, asOfEffectiveDate: today, asOfEntryDateTime: '2026-03-02T12:00:00.000Z', excludeContingentWorkers: false });
    const token = child(parseXml(xml, 'request'), 'Envelope', 'Header', 'Security', 'UsernameToken');
    expect(token?.Password).toMatchObject({ '#text': `a<b>&"c'` });
  });
});

describe('RaaS rows', () => {
  const columns = workdaySettingsSchema.parse({}).columns;
  it.each([
    ['Berlin', 'Berlin'],
    [42, '42'],
    [true, '1'],
    [[{ Descriptor: 'Berlin', ID: 'LOC-3' }], 'Berlin'],
    [{ Descriptor: 'Berlin' }, 'Berlin'],
    [[], null],
    [' ', null],
  ])('cell %j → %s', (value, expected) => {
    expect(cellText(value)).toBe(expected);
  });

  it.each<[string | null, string | null, string | null, EmployeeStatus]>([
    ['1', '0', '2020-01-01', 'active'],
    ['0', null, '2020-01-01', 'inactive'],
    ['0', null, '2026-04-01', 'pending'],
    ['1', '1', '2020-01-01', 'leave'],
    ['Active', null, '2020-01-01', 'active'],
    ['Terminated', null, '2020-01-01', 'inactive'],
    ['On Leave', null, '2020-01-01', 'leave'],
    ['Pre-hire', null, '2026-04-01', 'pending'],
    [null, null, '2020-01-01', 'active'],
  ])('status %s, on leave %s, hired %s → %s', (status, leave, hire, expected) => {
    expect(raasStatus(status, leave, hire, today)).toBe(expected);
  });

  it('a one-row report as an object, an empty one without Report_Entry (?)', () => {
    expect(entriesOf({ Report_Entry: { Employee_ID: '1' } })).toEqual([{ Employee_ID: '1' }]);
    expect(entriesOf({})).toEqual([]);
  });

  it('maps a row by the column map; the manager by Employee_ID', () => {
    const mapped = mapReportEntry({ Employee_ID: '21001', First_Name: 'Zoë', Last_Name: 'Müller', 'Email_-_Work': 'zoe@acme.test', Active_Status: '1', Hire_Date: '2000-01-01-08:00', Manager_ID: '21002', Supervisory_Organization: [{ Descriptor: 'Engineering', ID: 'SUP-1' }], Cost_Center: '100 Ops' }, columns, today);
    expect(mapped).toMatchObject({
      employee: { remoteId: '21001', workEmail: 'zoe@acme.test', status: 'active', startDate: '2000-01-01', department: { remoteId: 'SUP-1', name: 'Engineering' }, costCenters: [{ name: '100 Ops', weight: 100 }] },
      manager: { remoteId: '21002' },
    });
    const byWid = workdaySettingsSchema.parse({ columns: { id: 'WID' } }).columns;
    expect(mapReportEntry({ WID: 'abc', Employee_ID: '21001', Manager_ID: '21002' }, byWid, today)).toMatchObject({ employee: { remoteId: 'abc', employeeNumber: '21001' }, manager: { employeeNumber: '21002' } });
    expect(mapReportEntry({ First_Name: 'No id' }, columns, today)).toMatchObject({ code: 'invalid_record', dropped: true });
  });
});

describe('settings and where requests go', () => {
  const settings = (input: object) => workdaySettingsSchema.parse(input);
  it.each([
    ['host + tenant from the username', 'https://wd2-impl-services1.workday.com', {}, 'ISU@acme', { origin: 'https://wd2-impl-services1.workday.com', path: '/ccx/service/acme/Human_Resources/v44.0' }],
    ['the endpoint URL as Workday shows it', 'https://wd5-services1.myworkday.com/ccx/service/acme_prod/Human_Resources/v43.1', {}, 'ISU@x', { origin: 'https://wd5-services1.myworkday.com', path: '/ccx/service/acme_prod/Human_Resources/v43.1' }],
    ['tenant and version from settings', 'https://wd2-impl-services1.workday.com/', { tenant: 'acme2', version: 'v42.0' }, 'ISU', { origin: 'https://wd2-impl-services1.workday.com', path: '/ccx/service/acme2/Human_Resources/v42.0' }],
    ['a report path', 'https://wd2-impl-services1.workday.com', { api: 'raas', report: '/ccx/service/customreport2/acme/ISU/Workers' }, 'ISU', { origin: 'https://wd2-impl-services1.workday.com', path: '/ccx/service/customreport2/acme/ISU/Workers?format=json' }],
    ['a whole report URL with prompts', undefined, { api: 'raas', report: 'https://wd2-impl-services1.workday.com/ccx/service/customreport2/acme/ISU/Workers?Organization=1&format=json' }, 'ISU', { origin: 'https://wd2-impl-services1.workday.com', path: '/ccx/service/customreport2/acme/ISU/Workers?Organization=1&format=json' }],
    ['no tenant anywhere', 'https://wd2-impl-services1.workday.com', {}, 'ISU', { problem: expect.stringContaining('ISU_name@tenant') }],
    ['no host', undefined, {}, 'ISU@acme', { problem: expect.stringContaining('baseUrl') }],
  ])('%s', (_case, baseUrl, input, username, expected) => {
    expect(workdayTarget(baseUrl, settings(input), username)).toEqual(expected);
  });

  it.each([
    [{ api: 'raas' }],
    [{ api: 'raas', report: 'https://evil.example/ccx/service/customreport2/a/b/c' }],
    [{ api: 'raas', report: 'http://wd2-impl-services1.workday.com/ccx/service/customreport2/a/b/c' }],
    [{ pageSize: 1000 }],
    [{ version: '44' }],
    [{ columns: { nope: 'x' } }],
  ])('refuses %j', (input) => {
    expect(workdaySettingsSchema.safeParse(input).success).toBe(false);
  });
});
