import type { Projection } from '../projection.js';
import { project, withheldNames } from '../projection.js';
import { URN } from '../schemas/urns.js';
import type { ResourceTypeDef } from '../schemas/types.js';
import type { StoredResource } from '../store-port.js';
import { metaOf, scimGroups, toScim } from './format.js';

/**
 * Names that, anywhere in a document's text, mean the answer is not the document as stored: a
 * withheld attribute to take out, a reference that gets a `$ref` (the enterprise manager, the team
 * extension), a name the server sets itself, or `__proto__` (which toScim's copy would not keep as
 * a key). Matched on the quoted name, case-insensitively as the projection matches, so a value that
 * merely reads the same only costs the slower path.
 */
const REWRITTEN = ['id', 'meta', 'groups', 'members', 'manager', URN.teamGroup, '__proto__'];
const rewrittenByType = new WeakMap<ResourceTypeDef, RegExp>();

function rewritten(rt: ResourceTypeDef): RegExp {
  let pattern = rewrittenByType.get(rt);
  if (!pattern) {
    const names = [...new Set([...REWRITTEN, ...withheldNames(rt)])].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    rewrittenByType.set(rt, (pattern = new RegExp(`"(?:${names.join('|')})"`, 'i')));
  }
  return pattern;
}

/**
 * A resource's SCIM representation as JSON text. When the store read the document as text and the
 * answer shows it whole (no `attributes` or `excludedAttributes`, nothing withheld or rewritten in
 * it), the text is spliced between the id and the server's attributes: a page of 100 users is
 * then neither parsed nor serialised, which was most of the server's work on it. Anything else
 * goes through toScim and project, and both ways give the same JSON value.
 */
export function resourceJson(rt: ResourceTypeDef, stored: StoredResource, baseUrl: string, projection: Projection): string {
  const text = stored.docText;
  if (text === undefined || projection.attributes || projection.excludedAttributes || !isObjectText(text) || rewritten(rt).test(text)) {
    return JSON.stringify(project(rt, toScim(rt, stored, baseUrl), projection));
  }
  const groups = stored.groups ? `,"groups":${JSON.stringify(scimGroups(stored.groups, baseUrl))}` : '';
  const meta = JSON.stringify(metaOf(rt, stored, `${baseUrl}${rt.endpoint}/${stored.id}`));
  return `{"id":${JSON.stringify(stored.id)},${text.slice(1, -1)}${groups},"meta":${meta}}`;
}

/** A non-empty JSON object's text as PostgreSQL prints it: its members lie between the outer braces. */
const isObjectText = (text: string) => text.length > 2 && text.charCodeAt(0) === 0x7b && text.charCodeAt(text.length - 1) === 0x7d;

/** A list response's text from its head (`schemas`, `totalResults`, ...) and its resources' texts. */
export const listJson = (head: Record<string, unknown>, resources: string[]): string =>
  `${JSON.stringify(head).slice(0, -1)},"Resources":[${resources.join(',')}]}`;
