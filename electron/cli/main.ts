import { runCli } from './cli';
import { interruptJobs } from './open';

// `attest channels | head`: the reader may close the pipe before everything is written. That is
// not a failure of the command: stop writing and finish quietly, as other Unix tools do.
let closed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  closed = true;
});

// Ctrl+C: a job that can stop is cancelled (it removes what it was writing, the database is left
// as it was) and the command ends saying so; one that writes now (a transaction, a rename) finishes
// first. A second Ctrl+C ends at once: SQLite rolls back an unfinished transaction, and a
// passphrase change's unfinished copy is removed at the next open.
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  const r = interrupts === 1 ? interruptJobs() : 'none';
  if (r === 'cancelled') process.stderr.write('attest: cancelling: nothing is changed\n');
  else if (r === 'writing') process.stderr.write('attest: writing now, it will finish (Ctrl+C again stops at once; the database stays whole)\n');
  else process.exit(130);
});

runCli(process.argv.slice(2), {
  out: (s) => {
    if (!closed) process.stdout.write(s + '\n');
  },
  err: (s) => process.stderr.write(s + '\n'),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`attest: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
