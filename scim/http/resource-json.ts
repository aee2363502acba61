import type { Projection } from '../projection.js';
import { project, withheldNames } from '../projection.js';
import { URN } from '../schemas/urns.js';
import type { ResourceTypeDef } from '../schemas/types.js';
import type { StoredResource } from '../store-port.js';
import { metaOf, scimGroups, toScim } from './format.js';

/**
 * Names that, anywhere in a document's text, mean the answer is not the document as stored: a
 * withheld attribute to take out, a reference that gets a `$ref` (the team extension; the
 * enterprise manager, below), a name the server sets itself, or `__proto__` (which toScim's copy
 * would not keep as a key). Matched on the quoted name, case-insensitively as the projection
 * matches, so a value that merely reads the same only costs the slower path.
 */
const REWRITTEN = ['id', 'meta', 'groups', 'members', URN.teamGroup, '__proto__'];
const rewrittenByType = new WeakMap<ResourceTypeDef, RegExp>();

function rewritten(rt: ResourceTypeDef): RegExp {
  let pattern = rewrittenByType.get(rt);
  if (!pattern) {
    const names = [...new Set([...REWRITTEN, ...withheldNames(rt)])].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    rewrittenByType.set(rt, (pattern = new RegExp(`"(?:${names.join('|')})"`, 'i')));
  }
  return pattern;
}

const MANAGER = /"manager"/gi;
const MANAGER_OBJECT = /^"manager":\s*\{/;

/**
 * The document's text with the enterprise manager's `$ref` added as toScim adds it, or undefined
 * when that cannot be done on the text. The store read the manager's `value` beside the text
 * (`docTextManager`), so the document has that key; when `"manager"` is quoted nowhere else in the
 * text, that one place is the manager's key, and the `$ref` goes first in its object. Not when the
 * text holds a `$ref` key already: toScim replaces a stored one, and a second key would not.
 */
function withManagerRef(text: string, stored: StoredResource, baseUrl: string): string | undefined {
  const found = [...text.matchAll(MANAGER)];
  if (found.length === 0) return stored.docTextManager === undefined ? text : undefined;
  if (found.length > 1 || stored.docTextManager === undefined || text.includes('"$ref"')) return undefined;
  const at = found[0]!.index;
  const object = MANAGER_OBJECT.exec(text.slice(at, at + 32));
  if (!object) return undefined;
  const open = at + object[0].length;
  return `${text.slice(0, open)}"$ref":${JSON.stringify(`${baseUrl}/Users/${stored.docTextManager}`)},${text.slice(open)}`;
}

/**
 * A resource's SCIM representation as JSON text. When the store read the document as text and the
 * answer shows it whole (no `attributes` or `excludedAttributes`, nothing withheld or rewritten in
 * it but the enterprise manager's `$ref`), the text is spliced between the id and the server's
 * attributes: a page of 100 users is then neither parsed nor serialised, which was most of the
 * server's work on it. Anything else goes through toScim and project, and both ways give the same
 * JSON value.
 */
export function resourceJson(rt: ResourceTypeDef, stored: StoredResource, baseUrl: string, projection: Projection): string {
  const stated = stored.docText;
  const text =
    stated === undefined || projection.attributes || projection.excludedAttributes || !isObjectText(stated) || rewritten(rt).test(stated)
      ? undefined
      : withManagerRef(stated, stored, baseUrl);
  if (text === undefined) return JSON.stringify(project(rt, toScim(rt, stored, baseUrl), projection));
  const groups = stored.groups ? `,"groups":${JSON.stringify(scimGroups(stored.groups, baseUrl))}` : '';
  const meta = JSON.stringify(metaOf(rt, stored, `${baseUrl}${rt.endpoint}/${stored.id}`));
  return `{"id":${JSON.stringify(stored.id)},${text.slice(1, -1)}${groups},"meta":${meta}}`;
}

/** A non-empty JSON object's text as PostgreSQL prints it: its members lie between the outer braces. */
const isObjectText = (text: string) => text.length > 2 && text.charCodeAt(0) === 0x7b && text.charCodeAt(text.length - 1) === 0x7d;

/** A list response's text from its head (`schemas`, `totalResults`, ...) and its resources' texts. */
export const listJson = (head: Record<string, unknown>, resources: string[]): string =>
  `${JSON.stringify(head).slice(0, -1)},"Resources":[${resources.join(',')}]}`;
