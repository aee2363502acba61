import type { ResourceTypeDef } from '../schemas/types.js';
import type { ResourceDoc } from './document.js';
import { isObject } from './json.js';

/**
 * RFC 7643 §2.2: readOnly attributes belong to the service provider. A client's document never holds
 * them (they are ignored on input), but a stored one may: the server writes some itself (Rollcall's HR
 * extension). A replacement or patched document therefore takes them from the current one, so a PUT of
 * a whole user without them (Okta's way) keeps them, and nothing a client sent can set them.
 */
export function keepServerOwned(rt: ResourceTypeDef, current: ResourceDoc, next: ResourceDoc): ResourceDoc {
  const out: ResourceDoc = { ...next, schemas: [...next.schemas] };
  for (const a of rt.schema.attributes) {
    if (a.mutability !== 'readOnly') continue;
    if (current[a.name] === undefined) delete out[a.name];
    else out[a.name] = current[a.name];
  }
  for (const { schema } of rt.extensions) {
    const owned = schema.attributes.filter((a) => a.mutability === 'readOnly');
    if (owned.length === 0) continue;
    const from = isObject(current[schema.id]) ? (current[schema.id] as Record<string, unknown>) : {};
    const holder: Record<string, unknown> = isObject(out[schema.id]) ? { ...(out[schema.id] as Record<string, unknown>) } : {};
    for (const a of owned) {
      if (from[a.name] === undefined) delete holder[a.name];
      else holder[a.name] = from[a.name];
    }
    const listed = out.schemas.includes(schema.id);
    if (Object.keys(holder).length === 0) {
      delete out[schema.id];
      if (listed) out.schemas = out.schemas.filter((s) => s !== schema.id);
    } else {
      out[schema.id] = holder;
      if (!listed) out.schemas.push(schema.id);
    }
  }
  return out;
}
