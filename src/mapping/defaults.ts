import { URN } from '../../scim/schemas/urns.js';
import type { Mapping, MappingEntry } from './mapping.js';

/**
 * What every connection filled in before mappings existed, written as a mapping. A connector's
 * descriptor may add entries for fields only its HR system has (`defaultMapping`).
 */
export const BASE_MAPPING: MappingEntry[] = [
  { attribute: 'name.givenName', source: { kind: 'field', field: 'firstName' } },
  { attribute: 'name.familyName', source: { kind: 'field', field: 'lastName' } },
  { attribute: 'displayName', source: { kind: 'field', field: 'displayName' } },
  { attribute: 'title', source: { kind: 'field', field: 'jobTitle' } },
  { attribute: `${URN.enterpriseUser}:employeeNumber`, source: { kind: 'field', field: 'employeeNumber' } },
  { attribute: `${URN.enterpriseUser}:costCenter`, source: { kind: 'field', field: 'costCenters.name' } },
  { attribute: `${URN.enterpriseUser}:department`, source: { kind: 'field', field: 'department.name' } },
];

/** The connection's mapping when none was saved: the base, then the connector's additions (which win). */
export function defaultMapping(additions: readonly MappingEntry[] = []): Mapping {
  const added = new Set(additions.map((a) => a.attribute.toLowerCase()));
  return { attributes: [...BASE_MAPPING.filter((e) => !added.has(e.attribute.toLowerCase())), ...additions] };
}
