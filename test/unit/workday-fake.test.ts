import { describe, expect, it } from 'vitest';
import { generateCompany } from '../fakes/workday/generate.js';

describe('the Workday fake tenant', () => {
  const company = generateCompany({ seed: 11, size: 5000 });
  const workers = company.list();
  const position = new Map(workers.map((w, i) => [w.wid, i]));
  const managerOf = (wid: string) => company.primary(company.get(wid)!).managerId;

  it('is the same for the same seed, with 32-hex WIDs that are all different', () => {
    expect(generateCompany({ seed: 11, size: 5000 }).list()).toEqual(workers);
    expect(workers.every((w) => /^[0-9a-f]{32}$/.test(w.wid))).toBe(true);
    expect(new Set(workers.map((w) => w.wid)).size).toBe(workers.length);
  });

  it('lists many managers after their reports; one worker leads the organisation', () => {
    const late = workers.filter((w) => managerOf(w.wid) && position.get(managerOf(w.wid)!)! > position.get(w.wid)!);
    expect(late.length).toBeGreaterThan(workers.length / 4);
    expect(workers.filter((w) => managerOf(w.wid) === null)).toHaveLength(1);
  });

  it('has leavers, future leavers, future starters, people on leave, contingent workers and several positions', () => {
    const today = company.today;
    expect(workers.filter((w) => w.terminationDate !== null && w.terminationDate < today).length).toBeGreaterThan(150);
    expect(workers.filter((w) => w.terminationDate !== null && w.terminationDate > today).length).toBeGreaterThan(5);
    expect(workers.filter((w) => w.hireDate > today).length).toBeGreaterThan(5);
    expect(workers.filter((w) => w.onLeave).length).toBeGreaterThan(20);
    expect(workers.filter((w) => w.contingent).length).toBeGreaterThan(10);
    const multi = workers.filter((w) => w.positions.length > 1);
    expect(multi.length).toBeGreaterThan(50);
    expect(multi.every((w) => w.positions[0]!.primary && w.positions[1]!.managerId !== w.positions[0]!.managerId)).toBe(true);
  });

  it('has names with diacritics and in non-Latin scripts, workers without a work email and shared ones', () => {
    expect(workers.some((w) => /[À-ɏ]/.test(w.firstName + w.lastName))).toBe(true);
    expect(workers.some((w) => /[\u0400-\u04ff\u3040-\u9fff]/.test(w.firstName + w.lastName))).toBe(true);
    expect(workers.filter((w) => w.workEmail === '').length).toBeGreaterThan(0);
    const emails = workers.map((w) => w.workEmail).filter(Boolean);
    expect(new Set(emails).size).toBeLessThan(emails.length);
  });
});
