import { runCli } from './cli';

// `attest channels | head`: the reader may close the pipe before everything is written. That is
// not a failure of the command: stop writing and finish quietly, as other Unix tools do.
let closed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  closed = true;
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
