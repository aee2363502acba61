import { bambooHrFake } from './bamboohr/dev.js';
import { factorialFake } from './factorial/dev.js';
import { deelFake } from './deel/dev.js';
import { googleFake } from './google/dev.js';
import { hibobFake } from './hibob/dev.js';
import { humaansFake } from './humaans/dev.js';
import { payfitFake } from './payfit/dev.js';
import { luccaLegacyFake, luccaV5Fake } from './lucca/dev.js';
import { personioV1Fake, personioV2Fake } from './personio/dev.js';
import { remoteFake } from './remote/dev.js';
import { workdayFake, workdayRaasFake } from './workday/dev.js';
import type { FakeEntry } from './shared/running-fake.js';

/** Every fake HR system, one line each: the sync bench and `npm run fake-hr` start them from here. */
export const fakeCatalogue = [
  bambooHrFake,
  factorialFake,
  deelFake,
  googleFake,
  hibobFake,
  humaansFake,
  payfitFake,
  luccaLegacyFake,
  luccaV5Fake,
  personioV1Fake,
  personioV2Fake,
  remoteFake,
  workdayFake,
  workdayRaasFake,
] as const satisfies readonly FakeEntry[];

export type FakeKey = (typeof fakeCatalogue)[number]['key'];
export const fakeKeys = fakeCatalogue.map((f) => f.key);

export function fakeEntry(key: string): FakeEntry {
  const entry = fakeCatalogue.find((f) => f.key === key);
  if (!entry) throw new Error(`no fake HR system "${key}" (known: ${fakeKeys.join(', ')})`);
  return entry;
}
