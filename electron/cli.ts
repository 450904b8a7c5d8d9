// The admin's and script's transport: `attest <verb> ...` over the same dispatch as the app.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { contract } from '../shared/contract';
import { CHANNEL_NAMES } from '../shared/channels';
import { openSession } from './app-context';
import { EXPORT_USAGE, runExportCli } from './cli-export';

const USAGE = `usage:
  attest channels                                   every channel with its input and output (JSON Schema)
  attest init --db FILE                             create a new, empty database
  attest call <channel> '<json>' --db FILE          run one operation and print its JSON result
${EXPORT_USAGE}
options:
  --db FILE      the database (or ATTEST_DB)
  --user NAME    who is acting, recorded in history (or ATTEST_USER)`;

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv[0] === 'export') return runExportCli(argv.slice(1), io, env);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        user: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`attest: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [verb, ...rest] = positionals;
  if (values.help || !verb) {
    io.out(USAGE);
    return verb || values.help ? 0 : 2;
  }
  const dbFile = values.db ?? env.ATTEST_DB;
  const user = values.user ?? env.ATTEST_USER ?? null;

  switch (verb) {
    case 'channels': {
      const list = CHANNEL_NAMES.map((name) => ({
        channel: name,
        summary: contract[name].summary,
        input: z.toJSONSchema(contract[name].input, { io: 'input', unrepresentable: 'any' }),
        output: z.toJSONSchema(contract[name].output, { io: 'output', unrepresentable: 'any' }),
      }));
      io.out(JSON.stringify(list, null, 2));
      return 0;
    }
    case 'init': {
      if (!dbFile) return usageError(io, 'init needs --db FILE');
      if (existsSync(dbFile)) return usageError(io, `${dbFile} already exists`);
      const s = openSession(dbFile, { create: true, user });
      s.close();
      io.out(JSON.stringify({ ok: true, data: { created: dbFile } }));
      return 0;
    }
    case 'call': {
      const [channel, json = '{}'] = rest;
      if (!channel) return usageError(io, 'call needs a channel');
      if (!dbFile) return usageError(io, 'call needs --db FILE (or ATTEST_DB)');
      let input: unknown;
      try {
        input = JSON.parse(json);
      } catch (e) {
        io.err(`attest: the input is not valid JSON: ${(e as Error).message}`);
        return 2;
      }
      const session = openExisting(dbFile, user, io);
      if (!session) return 1;
      try {
        const result = await session.dispatch(channel, input);
        io.out(JSON.stringify(result, null, 2));
        return result.ok ? 0 : 1;
      } finally {
        session.close();
      }
    }
    default:
      return usageError(io, `unknown command: ${verb}`);
  }
}

function usageError(io: CliIo, message: string): number {
  io.err(`attest: ${message}\n${USAGE}`);
  return 2;
}

/** Opens a database that must already exist, answering a bad path with one clear line. */
export function openExisting(dbFile: string, user: string | null, io: CliIo) {
  if (!existsSync(dbFile)) {
    io.err(`attest: no database at ${dbFile} (create one with: attest init --db ${dbFile})`);
    return undefined;
  }
  if (statSync(dbFile).isDirectory()) {
    io.err(`attest: ${dbFile} is a directory, not a database file`);
    return undefined;
  }
  try {
    return openSession(dbFile, { create: false, user });
  } catch (e) {
    io.err(`attest: ${(e as Error).message}`);
    return undefined;
  }
}
