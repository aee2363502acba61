import { describe, expect, it } from 'vitest';
import { generateCompany, generatePeople } from '../fakes/payfit/generate.js';

describe('the PayFit fake company', () => {
  const company = generateCompany({ seed: 11, size: 5000 });
  const people = company.list();
  const position = new Map(people.map((p, i) => [p.id, i]));

  it('is the same for the same seed', () => {
    expect(generatePeople({ seed: 11, size: 300 })).toEqual(generatePeople({ seed: 11, size: 300 }));
  });

  it('lists many managers after their reports, and one manager who does not exist', () => {
    const late = people.filter((p) => p.managerId && (position.get(p.managerId) ?? -1) > position.get(p.id)!);
    expect(late.length).toBeGreaterThan(people.length / 4);
    expect(people.filter((p) => p.managerId && !position.has(p.managerId))).toHaveLength(1);
  });

  it('has leavers, future leavers, future starters, several contracts, contracts in creation and admin-only accounts', () => {
    const today = company.today;
    expect(people.filter((p) => !company.employed(p) && p.contracts.length > 0).length).toBeGreaterThan(100);
    expect(people.filter((p) => p.terminationDate !== null && p.terminationDate >= today).length).toBeGreaterThan(5);
    expect(people.filter((p) => p.contracts.length === 1 && p.contracts[0]!.startDate > today).length).toBeGreaterThan(5);
    expect(people.filter((p) => p.contracts.filter((c) => !c.inCreation).length > 1).length).toBeGreaterThan(50);
    expect(people.filter((p) => p.contracts.some((c) => c.inCreation)).length).toBeGreaterThan(10);
    expect(people.filter((p) => p.contracts.length === 0).length).toBeGreaterThan(0);
  });

  it('has names with diacritics and in non-Latin scripts, people without a professional email and shared ones', () => {
    expect(people.some((p) => /[À-ɏ]/.test(p.firstName + p.lastName))).toBe(true);
    expect(people.some((p) => /[\u0400-\u04ff\u3040-\u9fff]/.test(p.firstName + p.lastName))).toBe(true);
    expect(people.filter((p) => p.professionalEmail === '').length).toBeGreaterThan(5);
    const emails = people.map((p) => p.professionalEmail).filter(Boolean);
    expect(new Set(emails).size).toBeLessThan(emails.length);
  });

  it('a termination entered 20 days ahead keeps the person employed until that day', () => {
    const c = generateCompany({ seed: 2, size: 50 });
    const p = c.list().find((x) => c.employed(x) && x.contracts.length === 1)!;
    c.terminate(p.id, '2026-03-22');
    expect(c.employed(p)).toBe(true);
    c.terminate(p.id, '2026-03-01');
    expect(c.employed(p)).toBe(false);
    c.rehire(p.id, '2026-03-02');
    expect(c.employed(p)).toBe(true);
  });
});
