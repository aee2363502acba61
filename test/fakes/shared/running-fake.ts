/**
 * One fake HR system serving a generated company, as the sync bench and `npm run fake-hr` start
 * it: what an admin would post to connect to it, and its request count.
 */
export interface RunningFake {
  /** What an admin posts to connect it (provider, baseUrl, credentials, settings). */
  connection: { provider: string; baseUrl: string; credentials: Record<string, unknown>; settings?: Record<string, unknown> };
  /** The fake company's "today" (YYYY-MM-DD). */
  today: string;
  /** Requests the fake has answered so far. */
  requests(): number;
  /**
   * The connector's own pacing for this system (requests a minute on the data endpoints), which
   * the bench lifts so that it measures Rollcall rather than the wait; undefined when it has none
   * that a single run reaches.
   */
  pacedPerMinute?: number;
  close(): Promise<void>;
}

export interface FakeEntry {
  /** e.g. `bamboohr`, `personio-v2`: one way to connect one HR system. */
  key: string;
  start(opts: { size: number; seed: number }): Promise<RunningFake>;
}
