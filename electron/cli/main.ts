import { runCli } from './cli';

runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s + '\n'),
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
