import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Summarises `node --cpu-prof` output (BENCH_PROFILE=dir npm run bench writes one per server):
 * self time by function and by package or source folder, the view that says where a request's
 * CPU goes. Usage: `npx tsx bench/profile-summary.ts <file.cpuprofile | dir> [top]`.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function bucketOf(url: string): string {
  if (!url) return '(native/idle)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith('node:')) return path.split('/')[0]!;
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel.split('/').slice(0, 2).join('/');
}

function summarise(file: string, top: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const buckets = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url ? `${bucketOf(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    fns.set(name, (fns.get(name) ?? 0) + us);
    const bucket = frame.functionName === '(idle)' ? '(idle)' : frame.functionName === '(garbage collector)' ? '(gc)' : bucketOf(frame.url);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
  }
  const idle = buckets.get('(idle)') ?? 0;
  // --import tsx adds a loader thread with its own, nearly idle, profile.
  if (idle / total > 0.95) {
    console.log(`${file}: ${((idle / total) * 100).toFixed(0)}% idle, skipped`);
    return;
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const show = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  };
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
  show('by package / folder (self time)', buckets);
  show('by function (self time)', fns);
}

const [target = '.', top = '30'] = process.argv.slice(2);
const files = statSync(target).isDirectory()
  ? readdirSync(target, { recursive: true }).map(String).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f))
  : [target];
for (const f of files) summarise(f, Number(top));
