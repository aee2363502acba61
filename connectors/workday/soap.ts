import { escapeXml, children, child, parseXml, textAt, textOf, type XmlNode } from './xml.js';

export const soapEnvelopeNs = 'http://schemas.xmlsoap.org/soap/envelope/';
export const wsseNs = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const passwordTextType = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
export const workdayNs = 'urn:com.workday/bsvc';

export interface GetWorkersRequest {
  username: string;
  password: string;
  version: string;
  /** 1-based. */
  page: number;
  count: number;
  /** YYYY-MM-DD: the date the data is read as of (Workday's default is today). */
  asOfEffectiveDate: string;
  /** Fixed for every page of a run, so the result set cannot shift between pages. */
  asOfEntryDateTime: string;
  /** Only workers with a transaction entered in this window (the transaction log). */
  updated?: { from: string; through: string } | undefined;
  excludeContingentWorkers: boolean;
}

const el = (name: string, value: string | number | boolean) => `<wd:${name}>${escapeXml(String(value))}</wd:${name}>`;

/**
 * A Get_Workers request in Workday's element order (Request_Criteria, Response_Filter,
 * Response_Group), signed with a WS-Security UsernameToken (PasswordText): the ISU's password
 * travels in the body over TLS, as Workday's password-authenticated web services expect.
 * Inactive (terminated) workers are always asked for: a leaver must be seen to leave.
 */
export function getWorkersEnvelope(r: GetWorkersRequest): string {
  const log = r.updated
    ? `<wd:Transaction_Log_Criteria_Data><wd:Transaction_Date_Range_Data>${el('Updated_From', r.updated.from)}${el('Updated_Through', r.updated.through)}</wd:Transaction_Date_Range_Data></wd:Transaction_Log_Criteria_Data>`
    : '';
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<env:Envelope xmlns:env="${soapEnvelopeNs}" xmlns:wsse="${wsseNs}" xmlns:wd="${workdayNs}">`,
    `<env:Header><wsse:Security env:mustUnderstand="1"><wsse:UsernameToken>`,
    `<wsse:Username>${escapeXml(r.username)}</wsse:Username>`,
    `<wsse:Password Type="${passwordTextType}">${escapeXml(r.password)}</wsse:Password>`,
    `</wsse:UsernameToken></wsse:Security></env:Header>`,
    `<env:Body><wd:Get_Workers_Request wd:version="${escapeXml(r.version)}">`,
    `<wd:Request_Criteria>${log}${el('Exclude_Inactive_Workers', false)}${el('Exclude_Employees', false)}${el('Exclude_Contingent_Workers', r.excludeContingentWorkers)}</wd:Request_Criteria>`,
    `<wd:Response_Filter>${el('As_Of_Effective_Date', r.asOfEffectiveDate)}${el('As_Of_Entry_DateTime', r.asOfEntryDateTime)}${el('Page', r.page)}${el('Count', r.count)}</wd:Response_Filter>`,
    `<wd:Response_Group>`,
    ['Include_Reference', 'Include_Personal_Information', 'Include_Employment_Information', 'Include_Organizations', 'Include_Management_Chain_Data'].map((n) => el(n, true)).join(''),
    ['Include_Compensation', 'Include_Roles', 'Include_Worker_Documents', 'Include_Photo'].map((n) => el(n, false)).join(''),
    `</wd:Response_Group>`,
    `</wd:Get_Workers_Request></env:Body></env:Envelope>`,
  ].join('');
}

export interface SoapFault {
  /** e.g. `SOAP-ENV:Client.authenticationError`, `SOAP-ENV:Client.validationError`. */
  code: string;
  message: string;
  /** The first Validation_Error's Message / Detail_Message, when Workday sends them. */
  detail?: string;
}

/** The Fault in a parsed envelope's Body, if it is one. */
export function faultIn(doc: XmlNode): SoapFault | undefined {
  const fault = child(doc, 'Envelope', 'Body', 'Fault');
  if (!fault) return undefined;
  const code = textAt(fault, 'faultcode') ?? '';
  const message = textAt(fault, 'faultstring') ?? '';
  const detailNode = child(fault, 'detail');
  let detail: string | undefined;
  for (const kind of ['Validation_Fault', 'Processing_Fault']) {
    const errors = children(child(detailNode, kind), 'Validation_Error');
    const first = errors[0] ?? child(detailNode, kind);
    const text = textAt(first, 'Detail_Message') ?? textAt(first, 'Message') ?? textOf(child(detailNode, kind)?.['Detail_Message']);
    if (text) {
      detail = text;
      break;
    }
  }
  return { code: code.trim(), message: message.trim(), ...(detail ? { detail: detail.trim() } : {}) };
}

/** A body's fault, or undefined when it is not a SOAP envelope with one (a proxy's page, plain text). */
export function faultInText(body: string): SoapFault | undefined {
  if (!body.trimStart().startsWith('<')) return undefined;
  try {
    return faultIn(parseXml(body, 'Workday fault'));
  } catch {
    return undefined;
  }
}

/**
 * The HTTP status a fault stands for. Workday answers every fault with 500; the fault code and
 * text say what happened: bad credentials (`Client.authenticationError`, "invalid username or
 * password"), a security group without the domain ("The task submitted is not authorized"), a
 * request Workday refused (`Client.validationError`), or its own processing error (a 500 still).
 */
export function statusForFault(fault: SoapFault): number {
  const code = fault.code.toLowerCase();
  const text = `${fault.message} ${fault.detail ?? ''}`.toLowerCase();
  if (code.includes('authenticationerror') || text.includes('invalid username or password')) return 401;
  if (code.includes('authorizationerror') || text.includes('not authorized') || text.includes('permission')) return 403;
  if (code.includes('validationerror')) return 400;
  return 500;
}

/** Workday's own words for a failure: `faultstring (detail)`, or a short plain-text body. */
export function describeWorkdayFailure(_status: number, _headers: Headers, body: string): string | undefined {
  const fault = faultInText(body);
  if (fault) return [fault.message, fault.detail].filter(Boolean).join(': ').slice(0, 300) || fault.code || undefined;
  const text = body.trim();
  if (text === '' || text.startsWith('<')) return undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const said = json.error_description ?? json.error ?? json.message;
    return typeof said === 'string' ? said.slice(0, 300) : undefined;
  } catch {
    return text.slice(0, 200);
  }
}

/** Gives the HTTP client the status a SOAP fault stands for, so it maps to the usual failure kinds. */
export function withSoapFaultStatus(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await fetchImpl(input, init);
    // A 200 page is checked for a fault where it is parsed anyway (get-workers.ts).
    if (res.status !== 500) return res;
    const text = await res.text();
    const fault = faultInText(text);
    const status = fault ? statusForFault(fault) : res.status;
    return new Response(text, { status, statusText: res.statusText, headers: res.headers });
  };
}
