import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Reply } from '../shared/server.js';

/**
 * The fake's side of SOAP: reading a request envelope (with the same well-kept parser a client
 * would use, never by pattern matching) and answering faults as Workday documents them — a
 * SOAP-ENV:Fault with faultcode and faultstring, Validation_Fault details, always HTTP 500.
 */
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, trimValues: true });

export type Node = Record<string, unknown>;

export interface SoapRequest {
  username?: string;
  password?: string;
  passwordType?: string;
  /** The body's first element, by local name, and its content. */
  operation?: string;
  body?: Node;
}

const obj = (v: unknown): Node | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Node) : undefined);
export const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'object' && v !== null && '#text' in v ? String((v as Node)['#text']) : undefined);

/** Undefined when the body is not a SOAP envelope at all. */
export function readEnvelope(xml: string): SoapRequest | undefined {
  if (XMLValidator.validate(xml) !== true) return undefined;
  const doc = parser.parse(xml) as Node;
  const envelope = obj(doc.Envelope);
  const body = obj(envelope?.Body);
  if (!envelope || !body) return undefined;
  const token = obj(obj(obj(envelope.Header)?.Security)?.UsernameToken);
  const password = token?.Password;
  const operation = Object.keys(body).find((k) => !k.startsWith('@'));
  return {
    ...(token ? { username: text(token.Username)?.trim() } : {}),
    ...(password !== undefined ? { password: text(password) ?? '', passwordType: obj(password)?.['@Type'] as string | undefined } : {}),
    ...(operation ? { operation, body: obj(body[operation]) ?? {} } : {}),
  };
}

const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function soapReply(bodyXml: string): Reply {
  return {
    status: 200,
    headers: { 'Content-Type': 'text/xml; charset=utf-8' },
    body: `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>${bodyXml}</env:Body></env:Envelope>`,
  };
}

export function soapFault(code: string, message: string, validation?: { message: string; detail?: string; xpath?: string }): Reply {
  const detail = validation
    ? `<detail><wd:Validation_Fault xmlns:wd="urn:com.workday/bsvc"><wd:Validation_Error><wd:Message>${esc(validation.message)}</wd:Message>${validation.detail ? `<wd:Detail_Message>${esc(validation.detail)}</wd:Detail_Message>` : ''}${validation.xpath ? `<wd:Xpath>${esc(validation.xpath)}</wd:Xpath>` : ''}</wd:Validation_Error></wd:Validation_Fault></detail>`
    : '';
  return {
    status: 500,
    headers: { 'Content-Type': 'text/xml; charset=utf-8' },
    body: `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault xmlns:wd="urn:com.workday/bsvc"><faultcode>${esc(code)}</faultcode><faultstring>${esc(message)}</faultstring>${detail}</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
  };
}

export const faultsOf = {
  authentication: () => soapFault('SOAP-ENV:Client.authenticationError', 'invalid username or password'),
  notAuthorized: () => soapFault('SOAP-ENV:Client.processingError', 'Processing error occurred. The task submitted is not authorized.'),
  validation: (message: string, xpath?: string) => soapFault('SOAP-ENV:Client.validationError', `Validation error occurred. ${message}`, { message, ...(xpath ? { xpath } : {}) }),
  processing: (message = 'Processing error occurred.') => soapFault('SOAP-ENV:Server.processingError', message),
};
