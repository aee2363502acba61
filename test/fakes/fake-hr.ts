/**
 * `npm run fake-hr`: every fake HR system on loopback, each serving a generated company, for
 * trying Rollcall without an HR account. A development tool: the fakes hold everything in
 * memory and accept only the credentials printed here.
 *
 *   FAKE_HR_SIZE=200 FAKE_HR_SEED=1 FAKE_HR_ONLY=bamboohr,hibob npm run fake-hr
 */
import { fakeCatalogue } from './catalogue.js';
import type { RunningFake } from './shared/running-fake.js';

const size = Number(process.env.FAKE_HR_SIZE ?? 200);
const seed = Number(process.env.FAKE_HR_SEED ?? 1);
const only = process.env.FAKE_HR_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
if (!Number.isInteger(size) || size < 1 || !Number.isInteger(seed)) {
  console.error('FAKE_HR_SIZE must be a positive whole number and FAKE_HR_SEED a whole number');
  process.exit(2);
}

const running: RunningFake[] = [];
console.log(`Fake HR systems (development only), ${size} generated people each. Connect one with the body shown,`);
console.log('e.g. POST /admin/v1/tenants/{slug}/connections, or `rollcall connection create --provider … --credentials …`.');
console.log(`Rollcall must allow their loopback base URLs: HR_ALLOWED_BASE_URLS=http://127.0.0.1 (operators only).\n`);
for (const entry of fakeCatalogue) {
  if (only && !only.includes(entry.key)) continue;
  const fake = await entry.start({ size, seed });
  running.push(fake);
  console.log(`${entry.key.padEnd(14)} ${fake.connection.baseUrl}   (today ${fake.today})`);
  console.log(`${''.padEnd(14)} ${JSON.stringify(fake.connection)}\n`);
}
console.log('Ctrl-C stops them.');

const stop = async () => {
  await Promise.all(running.map((f) => f.close()));
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
