import { SaxesParser } from 'saxes';
import { HttpError } from '../http/errors.js';

/** A parsed XML element: attributes as `@name`, text as `#text` when it has attributes too. */
export type XmlNode = Record<string, unknown>;

/**
 * Elements Workday may repeat. A repeated element is always an array, also when the response
 * holds one (a single worker comes back as one element, not a one-element list).
 */
const repeated = new Set([
  'Worker', 'ID', 'Email_Address_Data', 'Type_Data', 'Worker_Job_Data', 'Position_Organization_Data', 'Worker_Organization_Data',
  'Management_Chain_Data', 'Manager_Reference', 'Manager', 'Leave_Status_Data', 'Validation_Error',
]);

// Namespace prefixes differ between clients and versions (wd:, bsvc:, env:, SOAP-ENV:): names are read without them.
const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

/**
 * A copy of `s` that does not keep the page alive. Parsed text is a slice of the string written to
 * the parser (a whole page, or a chunk of one as it arrives), and V8 keeps that string for as long
 * as any slice of it lives: one worker id held in a set across the read kept every page there was.
 * Prefixing makes a rope, which slicing flattens
 * into a new string of its own (substrings under 13 characters are copied anyway).
 */
const detach = (s: string): string => (s.length < 13 ? s : (' ' + s).slice(1));

interface Open {
  name: string;
  node: XmlNode;
  text: string;
}

/**
 * An element handed over as it closes instead of joining the tree: `path` names it and its
 * ancestors from the root element down, by local name. Get_Workers hands over each Worker, so a
 * page is mapped while it is parsed (and while it arrives) and no tree of the whole page is built.
 */
export interface XmlStream {
  path: readonly string[];
  take: (node: unknown) => void;
}

/**
 * One response as a tree, except the `stream` elements, which go to its `take` as they close.
 * saxes is a strict parser: a body that is not well-formed XML fails the parse (Workday's bug or a
 * proxy's page: retrying returns the same bytes, so it is a non-retryable `invalid_response`). It
 * also reads a 2.6 MB page of 500 workers three times as fast as a lenient parser plus a separate
 * well-formedness pass. A DOCTYPE is refused outright: Workday never sends one, and entity
 * declarations are how XML bodies blow up parsers.
 *
 * The tree: an element with text only is its trimmed text (`''` when empty); one with attributes
 * or children is an object with `@attr` keys and its children by local name (a name seen twice,
 * or listed above, becomes an array), and `#text` when it has text too.
 */
export function parseXml(text: string, what: string, stream?: XmlStream): XmlNode {
  const reader = createXmlReader(what, stream);
  reader.write(text);
  return reader.close();
}

/** A document fed in pieces as they arrive (`write`), whose tree `close` returns; both throw as `parseXml` does. */
export interface XmlReader {
  write(chunk: string): void;
  close(): XmlNode;
}

export function createXmlReader(what: string, stream?: XmlStream): XmlReader {
  let head = '';
  const invalid = (why: string) =>
    new HttpError({ kind: 'invalid_response', message: `${what} is not well-formed XML (${why}; starts with ${JSON.stringify(head.slice(0, 40).replace(/\s+/g, ' '))})`, retryable: false });
  const root: XmlNode = {};
  const stack: Open[] = [{ name: '', node: root, text: '' }];
  // An error of `take` (the mapping's) is its own, not a verdict on the XML.
  let taking: { error: unknown } | undefined;
  const parser = new SaxesParser();
  parser.on('doctype', () => {
    throw invalid('it declares a DOCTYPE');
  });
  parser.on('opentag', (tag) => {
    const node: XmlNode = {};
    for (const name in tag.attributes) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      node[`@${localName(name)}`] = detach(tag.attributes[name]!);
    }
    stack.push({ name: localName(tag.name), node, text: '' });
  });
  parser.on('text', (chunk) => {
    stack[stack.length - 1]!.text += chunk;
  });
  parser.on('cdata', (chunk) => {
    stack[stack.length - 1]!.text += chunk;
  });
  parser.on('closetag', () => {
    const done = stack.pop()!;
    const value = valueOf(done);
    if (stream && isAt(stream.path, stack, done.name)) {
      try {
        stream.take(value);
      } catch (error) {
        taking = { error };
        throw error;
      }
    } else attach(stack[stack.length - 1]!.node, done.name, value);
  });
  const run = (step: () => void) => {
    try {
      step();
    } catch (err) {
      if (taking) throw taking.error;
      if (err instanceof HttpError) throw err;
      throw invalid(err instanceof Error ? err.message : String(err));
    }
  };
  return {
    write(chunk) {
      if (head.length < 40) head += chunk.slice(0, 40);
      run(() => parser.write(chunk));
    },
    close() {
      run(() => parser.close());
      return root;
    },
  };
}

/** Whether an element named `name`, closing with `open` still open above it, is the one at `path`. */
function isAt(path: readonly string[], open: Open[], name: string): boolean {
  if (name !== path[path.length - 1] || open.length !== path.length) return false;
  for (let i = 1; i < open.length; i++) if (open[i]!.name !== path[i - 1]) return false;
  return true;
}

function valueOf(done: Open): unknown {
  const content = detach(done.text.trim());
  for (const _ in done.node) {
    if (content) done.node['#text'] = content;
    return done.node;
  }
  return content;
}

function attach(parent: XmlNode, name: string, value: unknown): void {
  const before = parent[name];
  if (repeated.has(name)) {
    if (Array.isArray(before)) before.push(value);
    else parent[name] = [value];
  } else if (before === undefined) parent[name] = value;
  else if (Array.isArray(before)) before.push(value);
  else parent[name] = [before, value];
}

/** The child element `name`, as an object (the first one if repeated). */
export function child(node: unknown, ...path: string[]): XmlNode | undefined {
  let at: unknown = node;
  for (const name of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    let next = (at as XmlNode)[name];
    if (Array.isArray(next)) next = next[0];
    at = next;
  }
  return typeof at === 'object' && at !== null ? (at as XmlNode) : undefined;
}

/** Every `name` child, as a list (empty when absent). */
export function children(node: unknown, name: string): unknown[] {
  if (typeof node !== 'object' || node === null) return [];
  const value = (node as XmlNode)[name];
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** An element's text, whether it is plain text or an element with attributes and text. */
export function textOf(value: unknown): string | undefined {
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null && '#text' in value) return textOf((value as XmlNode)['#text']);
  return undefined;
}

/** The text at a path of child elements. */
export function textAt(node: unknown, ...path: string[]): string | undefined {
  if (path.length === 0) return textOf(node);
  const parent = path.length > 1 ? child(node, ...path.slice(0, -1)) : node;
  if (typeof parent !== 'object' || parent === null) return undefined;
  return textOf((parent as XmlNode)[path.at(-1)!]);
}

export function attr(node: unknown, name: string): string | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  return textOf((node as XmlNode)[`@${name}`]);
}

/** Workday's booleans: `1`/`0` in responses, `true`/`false` in some clients' echoes. */
export function isTrue(value: unknown): boolean {
  const text = textOf(value)?.trim().toLowerCase();
  return text === '1' || text === 'true';
}

/** A reference's ids by type: `<ID type="WID">…</ID><ID type="Employee_ID">…</ID>`. */
export function idsOf(reference: unknown): Map<string, string> {
  const ids = new Map<string, string>();
  for (const id of children(reference, 'ID')) {
    const type = attr(id, 'type');
    const value = textOf(id)?.trim();
    if (type && value && !ids.has(type)) ids.set(type, value);
  }
  return ids;
}

/** Escapes text for an element's content or an attribute value in a request we write. */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
