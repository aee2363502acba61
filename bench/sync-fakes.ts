import { fakeEntry, fakeKeys } from '../test/fakes/catalogue.js';
import type { RunningFake } from '../test/fakes/shared/running-fake.js';

/** Every fake HR system in the catalogue is a sync bench provider. */
export const syncProviders = fakeKeys;
export type SyncProvider = string;

/** A fake HR system serving a generated company, as the sync bench needs it. */
export type BenchFake = RunningFake;

export const startBenchFake = (provider: SyncProvider, size: number): Promise<BenchFake> => fakeEntry(provider).start({ seed: 50_000, size });
