import { asciiFold, departments, firstNames, jobTitles, lastNames, locations } from '../shared/names.js';
import { addDays, createRandom } from '../shared/random.js';
import { createCompany, defaultDomain, defaultToday, googleId, neverLoggedIn, type FakeGoogleCompany, type FakeGoogleUser } from './company.js';

export interface GenerateOptions {
  seed: number;
  size: number;
  today?: string;
  quirks?: boolean;
}

/** Employees live under this org unit; admin accounts elsewhere. */
export const staffOrgUnit = '/Staff';

export const buildings = locations.map((name) => name.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 3) + '-1');

/**
 * A deterministic account in shuffled order (about half of all managers come after their
 * reports). About 4 % suspended leavers (most with a last day in the custom schema), 1 %
 * archived, 0.5 % leaving in the future, 0.5 % starting in the future, 3 % with a second
 * organization, 10 % never logged in. Quirks: every 400th user has no organizations at all,
 * every 600th no employee id, every 900th a manager outside the domain. The last user is the IT
 * admin (org unit `/IT`) that the service account impersonates.
 */
export function generateUsers({ seed, size, quirks = true, today = defaultToday }: GenerateOptions): FakeGoogleUser[] {
  const rnd = createRandom(seed);
  const folded = { first: firstNames.map(asciiFold), last: lastNames.map(asciiFold) };
  const emailCounts = new Map<string, number>();
  const users: FakeGoogleUser[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const f = rnd.int(firstNames.length);
    const l = rnd.int(lastNames.length);
    const local = folded.first[f] && folded.last[l] ? `${folded.first[f]}.${folded.last[l]}` : `user${i + 1}`;
    const seen = emailCounts.get(local) ?? 0;
    emailCounts.set(local, seen + 1);
    const department = rnd.pick(departments);
    const roll = rnd.next();
    const offset = rnd.int(300);
    const start = addDays(today, -30 - rnd.int(3650));
    const user: FakeGoogleUser = {
      id: googleId(i + 1),
      // Primary emails are unique in a Workspace account.
      primaryEmail: `${local}${seen ? seen + 1 : ''}@${defaultDomain}`,
      givenName: firstNames[f]!,
      familyName: lastNames[l]!,
      suspended: false,
      archived: false,
      isAdmin: false,
      orgUnitPath: `${staffOrgUnit}/${department}`,
      employeeId: `E-${String(i + 1).padStart(5, '0')}`,
      managerId: i === 0 ? null : googleId(Math.floor((i - 1) / 7) + 1),
      title: rnd.pick(jobTitles),
      department,
      costCenter: `CC-${10 + rnd.int(40)}`,
      building: rnd.pick(buildings),
      floor: String(1 + rnd.int(6)),
      homeEmail: rnd.chance(0.6) ? `${local || 'someone'}${i}@home.test` : '',
      creationTime: `${start}T09:00:00.000Z`,
      lastLoginTime: rnd.chance(0.1) ? neverLoggedIn : `${addDays(today, -rnd.int(20))}T08:30:00.000Z`,
      startDate: rnd.chance(0.8) ? start : null,
      terminationDate: null,
    };
    if (i > 0) {
      if (roll > 0.96) {
        user.suspended = true;
        if (roll > 0.97) user.terminationDate = addDays(today, -1 - offset);
      } else if (roll > 0.95) user.archived = true;
      else if (roll > 0.945) user.terminationDate = addDays(today, 1 + offset);
      else if (roll > 0.94) user.startDate = addDays(today, 1 + offset);
      else if (roll > 0.91) user.secondOrganization = { title: 'Intern', department: rnd.pick(departments) };
    }
    if (quirks && i > 0) {
      if (i % 400 === 0) Object.assign(user, { title: '', department: '', costCenter: '' });
      if (i % 600 === 0) user.employeeId = '';
      if (i % 900 === 0) user.externalManagerEmail = 'advisor@partner.test';
    }
    users[i] = user;
  }
  // The IT admin the service account acts as lives outside the staff org unit, as it usually does.
  const admin: FakeGoogleUser = {
    id: googleId(size + 1), primaryEmail: `it.admin@${defaultDomain}`, givenName: 'IT', familyName: 'Admin', suspended: false, archived: false,
    isAdmin: true, orgUnitPath: '/IT', employeeId: '', managerId: null, title: '', department: '', costCenter: '', building: '', floor: '',
    homeEmail: '', creationTime: `${addDays(today, -4000)}T09:00:00.000Z`, lastLoginTime: `${today}T07:00:00.000Z`, startDate: null, terminationDate: null,
  };
  return [...rnd.shuffle(users), admin];
}

export function generateCompany(options: GenerateOptions): FakeGoogleCompany {
  return createCompany(generateUsers(options), { today: options.today ?? defaultToday });
}
