/**
 * The custom HR fields every fake company has, derived from the person's id rather than drawn
 * from the seeded random stream, so adding them left every generated company as it was.
 *
 * - `badge`: unique per person; every 9th person has none (HR left it empty).
 * - `costCode`: one of seven codes, so a filter on it finds a group of people.
 */
export interface FakeCustomFields {
  badge: string | null;
  costCode: string;
}

export const fakeCostCodes = ['CC-10', 'CC-11', 'CC-12', 'CC-13', 'CC-14', 'CC-15', 'CC-16'] as const;

/** FNV-1a: ids are numbers in some fakes and UUIDs or opaque strings in others. */
function hashOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function customFieldsOf(id: string | number): FakeCustomFields {
  const key = String(id);
  const h = hashOf(key);
  return {
    badge: h % 9 === 0 ? null : `B-${key.replace(/[^A-Za-z0-9]/g, '').slice(-8).toUpperCase()}`,
    costCode: fakeCostCodes[h % fakeCostCodes.length]!,
  };
}
