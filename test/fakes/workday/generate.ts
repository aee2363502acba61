import { asciiFold, departments, firstNames, jobTitles, lastNames, locations as cityNames } from '../shared/names.js';
import { addDays, createRandom } from '../shared/random.js';
import { createCompany, defaultToday, widOf, type FakePosition, type FakeRef, type FakeWorkdayCompany, type FakeWorker } from './company.js';

export interface GenerateOptions {
  seed: number;
  size: number;
  today?: string;
  tenant?: string;
  /** Sprinkle the awkward cases real tenants have (default true). */
  quirks?: boolean;
}

export const fakeLocations: FakeRef[] = cityNames.filter((c) => c !== 'Remote').map((name, i) => ({ id: `LOC-${i + 1}`, name }));
export const fakeCostCenters: FakeRef[] = departments.map((d, i) => ({ id: `CC-${(i + 1) * 100}`, name: `${(i + 1) * 100} ${d}` }));

/**
 * A deterministic tenant in shuffled order, so about half of all managers come after their
 * reports. About 5 % left (termination date passed), 0.5 % leave within the next 60 days, 0.5 %
 * start within the next 60 days, 2 % are on leave, 3 % hold a second position (another title,
 * location and manager; the primary stays the first listed), 1 % are contingent workers.
 * Quirks: every 500th worker has no work email, every 700th the previous worker's.
 */
export function generateCompany({ seed, size, quirks = true, today = defaultToday, tenant }: GenerateOptions): FakeWorkdayCompany {
  const rnd = createRandom(seed);
  const widAt = (i: number) => widOf(i + 1);
  const folded = { first: firstNames.map(asciiFold), last: lastNames.map(asciiFold) };
  const emailCounts = new Map<string, number>();
  const workers: FakeWorker[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const f = rnd.int(firstNames.length);
    const l = rnd.int(lastNames.length);
    const local = folded.first[f] && folded.last[l] ? `${folded.first[f]}.${folded.last[l]}` : `worker${i + 1}`;
    const seen = emailCounts.get(local) ?? 0;
    emailCounts.set(local, seen + 1);
    const roll = rnd.next();
    const offset = rnd.int(60);
    let hire = addDays(today, -30 - rnd.int(3650));
    let end: string | null = null;
    if (i > 0) {
      if (roll > 0.95) end = addDays(today, -1 - rnd.int(300));
      else if (roll > 0.945) end = addDays(today, 1 + offset);
      else if (roll > 0.94) hire = addDays(today, 1 + offset);
    }
    const contingent = i > 0 && rnd.chance(0.01);
    const n = i + 1;
    // A tree with spans of about seven; the first worker leads the organisation.
    const managerId = i === 0 ? null : widAt(Math.floor((i - 1) / 7));
    const primary: FakePosition = {
      positionId: `P-${String(n).padStart(5, '0')}`,
      title: i === 0 ? 'Chief Executive Officer' : rnd.pick(jobTitles),
      jobProfile: rnd.pick(jobTitles),
      location: rnd.pick(fakeLocations),
      costCenter: rnd.pick(fakeCostCenters),
      managerId,
      primary: true,
    };
    const positions = [primary];
    const boss = Math.floor((i - 1) / 7);
    if (i > 1 && roll > 0.9 && roll <= 0.93) {
      // A second, part-time position under another manager: never the one Rollcall should read.
      positions.push({
        positionId: `P-${String(n).padStart(5, '0')}-2`, title: 'Interim Coordinator', jobProfile: 'Coordinator', primary: false,
        location: rnd.pick(fakeLocations), costCenter: rnd.pick(fakeCostCenters), managerId: widAt(boss > 0 ? boss - 1 : 1),
      });
    }
    workers[i] = {
      wid: widAt(i),
      employeeId: contingent ? `C${String(n).padStart(5, '0')}` : String(21000 + n),
      contingent,
      firstName: firstNames[f]!,
      lastName: lastNames[l]!,
      preferredFirstName: rnd.chance(0.05) ? rnd.pick(firstNames) : null,
      workEmail: `${local}${seen ? seen + 1 : ''}@acme.test`,
      homeEmail: `${local || 'someone'}${i}@home.test`,
      hireDate: hire,
      originalHireDate: hire,
      terminationDate: end,
      onLeave: end === null && i > 0 && roll < 0.02,
      positions,
      updatedAt: `${addDays(today, -1 - rnd.int(400))}T08:00:00.000Z`,
    };
  }
  if (quirks) {
    for (let i = 1; i < size; i++) {
      if (i % 500 === 0) workers[i]!.workEmail = '';
      else if (i % 700 === 0) workers[i]!.workEmail = workers[i - 1]!.workEmail;
    }
  }
  return createCompany(rnd.shuffle(workers), { today, ...(tenant ? { tenant } : {}) });
}
