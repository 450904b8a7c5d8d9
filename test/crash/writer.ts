// A writer for the crash test: once told "go" on stdin it opens the database, then writes through
// dispatch as fast as it can, printing "ack <entity> <id>" after each committed write, until killed.
// It loads first and waits for "go", so the test can start the next writer while checking the last.
import { once } from 'node:events';
import { openSession } from '../../electron/core/session';

const [file, migrationsDir] = process.argv.slice(2);
if (!file || !migrationsDir) throw new Error('usage: writer FILE MIGRATIONS_DIR');
const ack = (line: string) => process.stdout.write(`${line}\n`);
ack('loaded');
await once(process.stdin, 'data');
// An encrypted run passes the passphrase in the environment, as the CLI's ATTEST_PASSPHRASE does.
const s = openSession(file, { migrationsDir, user: 'crash-writer', key: process.env.ATTEST_CRASH_KEY ?? null });

async function must(channel: string, input: unknown): Promise<{ id: string }> {
  const r = await s.dispatch(channel, input);
  if (!r.ok) {
    process.stderr.write(`${channel} failed: ${r.error.message}\n`);
    process.exit(3);
  }
  return r.data as { id: string };
}

ack('ready');
const tag = `${process.pid}-${Date.now().toString(36)}`;
for (let i = 0; ; i++) {
  const f = await must('facilities:create', {
    name: `Facility ${tag}-${i}`,
    city: 'Baldwin',
    state: 'MI',
    operator: 'PRIVATE',
    standard: 'PBNDS_2011',
  });
  ack(`ack facility ${f.id}`);
  const aNumber = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
  const p = await s.dispatch('people:create', { familyName: `Writer ${tag}`, givenName: String(i), aNumber });
  if (p.ok) ack(`ack person ${(p.data as { id: string }).id}`);
  else continue; // a random A-number can collide with an earlier one: refused, nothing written
  const inc = await must('incidents:create', {
    personId: (p.data as { id: string }).id,
    facilityId: f.id,
    occurredOn: '2026-06-18',
    categories: ['WATER', 'RESTROOM'],
    summary: `Crash-test incident ${i} `.repeat(20),
  });
  ack(`ack incident ${inc.id}`);
}
