import { describe, expect, it } from 'vitest';
import { generatePeople } from '../fakes/personio/generate.js';

describe('fake Personio company generator', () => {
  it('builds 50,000 people from a seed, the same every time', () => {
    const a = generatePeople({ seed: 42, size: 50_000 });
    const b = generatePeople({ seed: 42, size: 50_000 });
    expect(a).toHaveLength(50_000);
    expect(JSON.stringify(a.slice(0, 200))).toBe(JSON.stringify(b.slice(0, 200)));
    expect(a.map((p) => p.id)).toEqual(b.map((p) => p.id));
    expect(new Set(a.map((p) => p.id)).size).toBe(50_000);
    expect(JSON.stringify(generatePeople({ seed: 43, size: 100 }))).not.toBe(JSON.stringify(generatePeople({ seed: 42, size: 100 })));
  });

  it('has every awkward case the connector must survive', () => {
    const people = generatePeople({ seed: 42, size: 5000 });
    const position = new Map(people.map((p, i) => [p.id, i]));
    const current = people.map((p) => p.employments[0]!);
    const emails = people.map((p) => p.email).filter(Boolean);
    const managerAfter = people.filter((p, i) => {
      const m = p.employments[0]!.supervisorId;
      return m !== null && (position.get(m) ?? -1) > i;
    });
    expect(managerAfter.length).toBeGreaterThan(1000);
    // v2 lists by id: managers with a higher id than their report come after them there too.
    expect(people.filter((p) => (p.employments[0]!.supervisorId ?? 0) > p.id).length).toBeGreaterThan(1000);
    expect(current.filter((e) => e.supervisorId === 999_999_999)).toHaveLength(1);
    expect(people.filter((p) => p.email === '').length).toBeGreaterThan(5);
    expect(emails.length - new Set(emails).size).toBeGreaterThan(3);
    expect(people.filter((p) => /[^\x00-\x7f]/.test(p.firstName + p.lastName)).length).toBeGreaterThan(500);
    expect(current.filter((e) => e.status === 'INACTIVE' && e.terminationDate! < '2026-03-02').length).toBeGreaterThan(50);
    expect(current.filter((e) => e.status === 'ACTIVE' && e.terminationDate !== null && e.terminationDate > '2026-03-02').length).toBeGreaterThan(5);
    expect(current.filter((e) => e.status === 'ONBOARDING' && e.startDate > '2026-03-02').length).toBeGreaterThan(5);
    expect(current.filter((e) => e.status === 'LEAVE').length).toBeGreaterThan(5);
    expect(people.filter((p) => p.employments.length === 2).length).toBeGreaterThan(20);
  });
});
