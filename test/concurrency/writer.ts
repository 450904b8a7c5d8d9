// A writer for the concurrent-writers test: writes through dispatch for the given seconds, printing
// "ack <entity> <id>" after each committed write. Any refusal ends it with exit 3 and the reason.
import { openSession } from '../../electron/core/session';

const [file, migrationsDir, seconds] = process.argv.slice(2);
if (!file || !migrationsDir || !seconds) throw new Error('usage: writer FILE MIGRATIONS_DIR SECONDS');
const s = openSession(file, { migrationsDir, create: false, user: `writer-${process.pid}` });
const ack = (line: string) => process.stdout.write(`${line}\n`);

async function must(channel: string, input: unknown): Promise<{ id: string }> {
  const r = await s.dispatch(channel, input);
  if (!r.ok) {
    process.stderr.write(`refused ${channel}: ${r.error.code} ${r.error.message}\n`);
    process.exit(3);
  }
  return r.data as { id: string };
}

const until = Date.now() + Number(seconds) * 1000;
const tag = `${process.pid}`;
let n = 0;
for (let i = 0; Date.now() < until; i++) {
  const f = await must('facilities:create', { name: `Facility ${tag}-${i}`, city: 'Baldwin', state: 'MI', operator: 'PRIVATE', standard: 'PBNDS_2011' });
  ack(`ack facility ${f.id}`);
  // pid and counter make the A-number unique across the three writers
  const aNumber = `${String(process.pid % 100000).padStart(5, '0')}${String(i % 10000).padStart(4, '0')}`;
  const p = await must('people:create', { familyName: `Writer ${tag}`, givenName: String(i), aNumber });
  ack(`ack person ${p.id}`);
  const inc = await must('incidents:create', { personId: p.id, facilityId: f.id, occurredOn: '2026-06-18', categories: ['WATER'], summary: `Concurrent incident ${tag}-${i}` });
  ack(`ack incident ${inc.id}`);
  n += 3;
}
s.vault.closeQuietly();
process.stderr.write(`done ${n}\n`);
