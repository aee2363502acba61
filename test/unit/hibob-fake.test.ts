import { describe, expect, it } from 'vitest';
import { generatePeople } from '../fakes/hibob/generate.js';

describe('fake HiBob company generator', () => {
  it('builds 50,000 people from a seed, the same every time', () => {
    const a = generatePeople({ seed: 7, size: 50_000 });
    const b = generatePeople({ seed: 7, size: 50_000 });
    expect(JSON.stringify(a.slice(-200))).toBe(JSON.stringify(b.slice(-200)));
    expect(new Set(a.map((p) => p.id)).size).toBe(50_000);
  });

  it('has every awkward case the connector must survive', () => {
    const people = generatePeople({ seed: 7, size: 5000 });
    const position = new Map(people.map((p, i) => [p.id, i]));
    const emails = people.map((p) => p.email).filter(Boolean);
    expect(people.filter((p, i) => p.managerId !== null && (position.get(p.managerId) ?? -1) > i).length).toBeGreaterThan(1000);
    expect(people.filter((p) => p.managerId === '9999999999999999999')).toHaveLength(1);
    expect(people.filter((p) => p.email === '').length).toBeGreaterThan(5);
    expect(emails.length - new Set(emails).size).toBeGreaterThan(3);
    expect(people.filter((p) => /[^\x00-\x7f]/.test(p.firstName + p.surname)).length).toBeGreaterThan(500);
    const lifecycles = new Set(people.map((p) => p.lifecycleStatus));
    expect(lifecycles).toEqual(new Set(['employed', 'hired', 'terminated', 'garden leave', 'parental leave']));
    expect(people.filter((p) => p.lifecycleStatus === 'employed' && p.terminationDate !== null).length).toBeGreaterThan(5);
  });
});
