// The slice of newman's Node API the validator test uses; newman ships no types and @types/newman is not needed for this much.
declare module 'newman' {
  import type { EventEmitter } from 'node:events';

  export interface NewmanItem {
    name: string;
    parent?(): { name?: string } | undefined;
  }

  export interface NewmanRunOptions {
    collection: string | object;
    folder?: string | string[];
    envVar?: { key: string; value: string }[];
    reporters?: string | string[];
    timeoutRequest?: number;
    bail?: boolean | string[];
  }

  export interface NewmanRunSummary {
    run: {
      stats: Record<'requests' | 'assertions' | 'testScripts', { total: number; failed: number; pending: number }>;
      failures: { error: { name: string; message: string; test?: string }; at: string; source?: NewmanItem }[];
    };
  }

  const newman: {
    run(options: NewmanRunOptions, callback?: (error: Error | null, summary: NewmanRunSummary) => void): EventEmitter;
  };
  export default newman;
}
