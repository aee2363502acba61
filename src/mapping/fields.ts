/**
 * The normalised employee fields a `field` source may name (connectors/contract.ts), with the kind
 * of value each holds, for type checks on save. The bank account is not among them: it is a secret,
 * kept sealed in the HR extension and never copied into another attribute.
 */
export type FieldKind = 'string' | 'date' | 'number';

const UNIT = { name: 'string', remoteId: 'string' } as const;

export const EMPLOYEE_FIELDS: Record<string, FieldKind | Record<string, FieldKind>> = {
  remoteId: 'string',
  employeeNumber: 'string',
  workEmail: 'string',
  personalEmail: 'string',
  firstName: 'string',
  lastName: 'string',
  preferredName: 'string',
  displayName: 'string',
  status: 'string',
  rawStatus: 'string',
  startDate: 'date',
  terminationDate: 'date',
  managerRemoteId: 'string',
  department: UNIT,
  team: UNIT,
  workLocation: UNIT,
  jobTitle: 'string',
  /** A list: `costCenters.name` is every name (joined with ", " into a single-valued attribute). */
  costCenters: { name: 'string', remoteId: 'string', weight: 'number' },
  updatedAt: 'date',
};

/** Fields that hold a list, so a single-valued attribute gets them joined. */
export const LIST_FIELDS = new Set(['costCenters']);

/** The kind of a field path, or an error message naming what is wrong with it. */
export function fieldKind(path: string): { kind: FieldKind; list: boolean } | { error: string } {
  const [head, sub, ...rest] = path.split('.');
  const entry = head ? EMPLOYEE_FIELDS[head] : undefined;
  if (!entry) return { error: `unknown employee field '${path}' (one of ${Object.keys(EMPLOYEE_FIELDS).join(', ')}; use a raw source for the HR record's own fields)` };
  if (typeof entry === 'string') return sub === undefined ? { kind: entry, list: false } : { error: `employee field '${head}' has no part '${sub}'` };
  if (sub === undefined || rest.length > 0 || !entry[sub]) return { error: `employee field '${head}' needs one of ${Object.keys(entry).map((k) => `${head}.${k}`).join(', ')}` };
  return { kind: entry[sub], list: LIST_FIELDS.has(head!) };
}

/** Reads a dotted path, mapping over lists; only own properties (never a prototype's). */
export function readPath(value: unknown, path: readonly string[]): unknown {
  let current: unknown = value;
  for (let i = 0; i < path.length; i++) {
    if (current === null || current === undefined) return null;
    if (Array.isArray(current)) {
      const rest = path.slice(i);
      return current.map((item) => readPath(item, rest)).filter((v) => v !== null && v !== undefined);
    }
    if (typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, path[i]!)) return null;
    current = (current as Record<string, unknown>)[path[i]!];
  }
  return current ?? null;
}
