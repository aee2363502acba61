/** Small helpers over parsed JSON values; documents are plain data, so structural clone and equality suffice. */

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A deep copy of a JSON value. structuredClone goes through V8's serializer and costs some 6 µs on a
 * user document, this about 1 µs, and a PATCH copies the document and its values several times.
 * Anything that is not plain data (a Date, a Map) is left to structuredClone.
 */
export function clone<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = clone(v[i]);
    return out as T;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
  for (const key of Object.keys(v)) {
    const value = clone((v as Record<string, unknown>)[key]);
    // JSON.parse makes "__proto__" an own key; assigning it would set the copy's prototype instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out as T;
}

/** Structural equality; object key order is irrelevant, array order is not. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

/** Finds a key case-insensitively (RFC 7644 §3.10: attribute names and URNs are case-insensitive). */
export const findKey = (obj: Record<string, unknown>, name: string): string | undefined =>
  Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());

/**
 * RFC 7643 §2.5: null and empty arrays mean "unassigned". Empty objects carry nothing either.
 * Returns undefined when nothing is left.
 */
export function prune(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    const items = v.map(prune).filter((x) => x !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return v;
}
