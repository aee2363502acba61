/**
 * The ten-attribute mapping the sync bench runs with `BENCH_SYNC_MAPPING=ten`: the seven attributes
 * of the default mapping (fields), one raw HR field and three expressions, so every kind of
 * source an admin would use is on the path, expressions included.
 */
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export const TEN_ATTRIBUTE_MAPPING = {
  attributes: [
    { attribute: 'name.givenName', source: { kind: 'field', field: 'firstName' } },
    { attribute: 'name.familyName', source: { kind: 'field', field: 'lastName' } },
    { attribute: 'displayName', source: { kind: 'expression', expression: 'firstName & " " & lastName' } },
    { attribute: 'title', source: { kind: 'field', field: 'jobTitle' } },
    { attribute: 'nickName', source: { kind: 'expression', expression: '$lowercase(firstName)' } },
    { attribute: `${ENT}:employeeNumber`, source: { kind: 'field', field: 'employeeNumber' } },
    { attribute: `${ENT}:costCenter`, source: { kind: 'field', field: 'costCenters.name' } },
    { attribute: `${ENT}:department`, source: { kind: 'field', field: 'department.name' } },
    { attribute: `${ENT}:division`, source: { kind: 'raw', path: 'division' } },
    { attribute: `${ENT}:organization`, source: { kind: 'expression', expression: '$lookup({"Engineering": "R&D", "Sales": "Go to market"}, department.name) ?: "Operations"' } },
  ],
} as const;

export const benchMappings = { ten: TEN_ATTRIBUTE_MAPPING } as const;
export type BenchMappingName = keyof typeof benchMappings;
