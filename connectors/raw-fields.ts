/**
 * Helpers for `EmployeesOptions.rawFields`: dotted paths into `NormalisedEmployee.raw` that a
 * connection's mapping or scope rules read (custom HR fields among them). Connectors whose API
 * returns only the fields it is asked for turn these paths back into the API's field names.
 */

const unsafeSegments = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * The paths, trimmed, without empties or repeats, in the order given. A path with an empty
 * segment or one that names an object's prototype machinery is dropped: connectors write
 * along these paths, and must never write into a prototype.
 */
export function rawFieldPaths(rawFields: readonly string[] | undefined): string[] {
  const out = new Set<string>();
  for (const path of rawFields ?? []) {
    const trimmed = path.trim();
    if (trimmed && trimmed.split('.').every((s) => s !== '' && !unsafeSegments.has(s))) out.add(trimmed);
  }
  return [...out];
}

/** Each path's first segment (the record's own key), once: what a "name the fields" API is asked for. */
export function topLevelKeys(rawFields: readonly string[] | undefined): string[] {
  return [...new Set(rawFieldPaths(rawFields).map((p) => p.split('.')[0]!))];
}

/** The paths under one prefix (e.g. `customFields`), as the rest of the path after it. */
export function pathsUnder(rawFields: readonly string[] | undefined, prefix: string): string[] {
  const head = `${prefix}.`;
  return [...new Set(rawFieldPaths(rawFields).filter((p) => p.startsWith(head) && p.length > head.length).map((p) => p.slice(head.length)))];
}

/**
 * The value at a dotted path, or undefined. Own properties only, so a path can never reach
 * `__proto__` or `constructor` of the record.
 */
export function readRawPath(raw: unknown, path: string): unknown {
  let at: unknown = raw;
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.prototype.hasOwnProperty.call(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}
