// The admin's and script's transport: `attest <verb> ...` over the same dispatch as the app.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { contract } from '../../shared/contract';
import { CHANNEL_NAMES } from '../../shared/contract/names';
import { seed } from '../../db/seed';
import { openSession } from '../core/session';
import type { VerifyReport } from '../../shared/safety';
import { EXPORT_USAGE, runExportCli } from './export';
import { IMPORT_USAGE, runImportCli } from './import';
import { BUNDLE_USAGE, runBundleCli } from './bundle';
import { openExisting, type CliIo } from './open';
import { tipFilesIn } from '../../db/history/anchors';
import { defaultBackupFolder } from '../../db/backup';

export type { CliIo } from './open';

const USAGE = `usage:
  attest channels                                   every channel with its input and output (JSON Schema)
  attest init --db FILE                             create a new, empty database
  attest call <channel> '<json>' --db FILE          run one operation and print its JSON result
  attest seed --people N --incidents M [--seed S] --db FILE
                                                    fill a database with a deterministic, realistic data set
  attest search <words> [--limit N] --db FILE       full-text search of incidents (summary and own words)
${EXPORT_USAGE}
${IMPORT_USAGE}
${BUNDLE_USAGE}
  attest verify --db FILE [--against TIP]...        recompute the audit chain, record hashes and derived rows;
                                                    compare with recorded chain tips (backup folder, export
                                                    manifests, and each --against manifest or tip file);
                                                    read-only: works on a backup or a read-only drive
  attest backup --db FILE [--out DIR]               back up now (encrypted when the database is)
  attest sync export --db FILE --out DIR [--for DEVICE]
                                                    write one encrypted bundle of every version, audit row,
                                                    device key and signed chain tip (--for: only what that
                                                    laptop has not said it holds)
  attest sync import --db FILE --from BUNDLE        verify a bundle whole (refused whole if any row is bad),
                                                    then merge it in one transaction
  attest restore --db FILE --from BACKUP [--accept-loss] [--backup-passphrase-file FILE]
                                                    verify a backup, keep the current file aside, restore;
                                                    a backup with a shorter history needs --accept-loss;
                                                    one made before a passphrase change needs its own
                                                    passphrase, and is restored under the current one
options:
  --db FILE               the database (or ATTEST_DB)
  --user NAME             who is acting, recorded in history (or ATTEST_USER)
  --passphrase-file FILE  the database passphrase, first line of FILE (or ATTEST_PASSPHRASE)
  --no-encryption         init only: create the database unencrypted (not advised)
  --bundle-passphrase-file FILE  sync: the office's bundle passphrase, first line of FILE (or
                          ATTEST_BUNDLE_PASSPHRASE; else the database passphrase)
  --backup-passphrase-file FILE  restore: the backup's passphrase, first line of FILE (or
                          ATTEST_BACKUP_PASSPHRASE; else the database passphrase)`;

const NOT_ENCRYPTED = 'attest: warning: the database is NOT encrypted; anyone with the file can read it';


export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv[0] === 'export') return runExportCli(argv.slice(1), io, env);
  if (argv[0] === 'import') return runImportCli(argv.slice(1), io, env);
  if (argv[0] === 'bundle') return runBundleCli(argv.slice(1), io, env);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        user: { type: 'string' },
        'passphrase-file': { type: 'string' },
        'no-encryption': { type: 'boolean' },
        out: { type: 'string' },
        from: { type: 'string' },
        'accept-loss': { type: 'boolean' },
        for: { type: 'string' },
        'bundle-passphrase-file': { type: 'string' },
        'backup-passphrase-file': { type: 'string' },
        against: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        people: { type: 'string' },
        incidents: { type: 'string' },
        seed: { type: 'string' },
        limit: { type: 'string' },
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
  let key: string | null = env.ATTEST_PASSPHRASE ? env.ATTEST_PASSPHRASE : null;
  if (values['passphrase-file']) {
    try {
      key = readFileSync(values['passphrase-file'], 'utf8').split(/\r?\n/)[0] ?? '';
    } catch (e) {
      io.err(`attest: cannot read the passphrase file: ${(e as Error).message}`);
      return 2;
    }
    if (!key) return usageError(io, 'the passphrase file is empty');
  }

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
      if (key === null && !values['no-encryption']) {
        return usageError(io, 'init needs a passphrase (ATTEST_PASSPHRASE or --passphrase-file), or --no-encryption');
      }
      if (key !== null && key.length < 10) return usageError(io, 'the passphrase must be at least 10 characters');
      if (key === null) io.err(NOT_ENCRYPTED);
      const s = openSession(dbFile, { create: true, user, key });
      s.close();
      io.out(JSON.stringify({ ok: true, data: { created: dbFile, encrypted: key !== null } }));
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
      const session = openExisting(dbFile, user, io, key);
      if (!session) return 1;
      try {
        const result = await session.dispatch(channel, input);
        io.out(JSON.stringify(result, null, 2));
        return result.ok ? 0 : 1;
      } finally {
        session.close();
      }
    }
    case 'seed': {
      if (!dbFile) return usageError(io, 'seed needs --db FILE');
      const people = count(values.people, 'people', 1);
      const incidents = count(values.incidents, 'incidents', 0);
      const seedValue = count(values.seed ?? '1', 'seed', 0);
      for (const c of [people, incidents, seedValue]) if (typeof c === 'string') return usageError(io, c);
      let session;
      try {
        session = openSession(dbFile, { create: true, user, ...(key ? { key } : {}) });
      } catch (e) {
        io.err(`attest: ${(e as Error).message}`);
        return 1;
      }
      // As init does: records written into an unencrypted file are readable by anyone who has it.
      if (session.vault.encrypted === false) io.err(NOT_ENCRYPTED);
      try {
        const started = Date.now();
        const result = seed(session.ctx.db, {
          people: people as number,
          incidents: incidents as number,
          seed: seedValue as number,
          progress: (n) => io.err(`attest: ${n} incidents written…`),
        });
        io.out(JSON.stringify({ ok: true, data: { ...result, seconds: (Date.now() - started) / 1000 } }));
        return 0;
      } catch (e) {
        io.err(`attest: seed failed, nothing was written: ${(e as Error).message}`);
        return 1;
      } finally {
        session.close();
      }
    }
    case 'search': {
      if (!dbFile) return usageError(io, 'search needs --db FILE (or ATTEST_DB)');
      if (rest.length === 0) return usageError(io, 'search needs words to find');
      const limit = count(values.limit ?? '20', 'limit', 1);
      if (typeof limit === 'string') return usageError(io, limit);
      const session = openExisting(dbFile, user, io, key);
      if (!session) return 1;
      try {
        const result = await session.dispatch('incidents:search', { text: rest.join(' '), limit });
        if (!result.ok) {
          io.out(JSON.stringify(result, null, 2));
          return 1;
        }
        const data = result.data as { items: { id: string; occurredOn: string; filingCode: string; personName: string; summary: string }[]; total: number; totalExact: boolean };
        io.out(`${data.totalExact ? data.total : `more than ${data.total}`} incidents match; newest entered first:`);
        for (const i of data.items) io.out(`${i.occurredOn}  ${i.filingCode}  ${i.personName}  ${i.summary}  [${i.id}]`);
        return 0;
      } finally {
        session.close();
      }
    }
    case 'verify':
    case 'backup':
    case 'restore': {
      if (!dbFile) return usageError(io, `${verb} needs --db FILE (or ATTEST_DB)`);
      if (verb === 'restore' && !values.from) return usageError(io, 'restore needs --from BACKUP');
      // verify only reads: a backup, a read-only drive, a file another program has open.
      const session = openExisting(dbFile, user, io, key, verb === 'verify');
      if (!session) return 1;
      try {
        if (verb === 'verify') {
          // The tips beside the database itself too: a read-only drive is verified from a private copy elsewhere.
          const against = [...(values.against ?? []).map((f) => resolve(f)), ...tipFilesIn(defaultBackupFolder(resolve(dbFile)))];
          const r = await session.dispatch('audit:verify', { full: true, ...(against.length ? { against } : {}) });
          if (!r.ok) return failLine(io, r.error.message);
          const v = r.data as VerifyReport;
          if (v.ok) {
            const tips = v.recordedTips ? `; it reaches every chain tip recorded outside it (${v.recordedTips.checked} checked${v.recordedTips.superseded ? `, ${v.recordedTips.superseded} set aside by a confirmed restore` : ''})` : '';
            io.out(`verified: ${v.auditRows} audit rows and ${v.recordVersions} record versions; the chain is intact, every current record matches its last version and every derived row its record${tips}`);
            return 0;
          }
          const at = v.firstBroken?.table === 'recorded-tip' ? '' : v.firstBroken?.seq != null ? ` at audit row ${v.firstBroken.seq}` : '';
          io.out(`BROKEN${at}: ${v.firstBroken?.problem ?? ''}`);
          return 1;
        }
        if (verb === 'backup') {
          let folder: string | undefined;
          if (values.out) {
            folder = resolve(values.out);
            mkdirSync(folder, { recursive: true, mode: 0o700 });
          }
          const r = await session.dispatch('backup:create', folder ? { folder } : {});
          if (!r.ok) return failLine(io, r.error.message);
          io.out(`backed up to ${(r.data as { file: string }).file}`);
          return 0;
        }
        let backupKey = env.ATTEST_BACKUP_PASSPHRASE || undefined;
        if (values['backup-passphrase-file']) {
          try {
            backupKey = readFileSync(values['backup-passphrase-file'], 'utf8').split(/\r?\n/)[0] || undefined;
          } catch (e) {
            return failLine(io, `cannot read the backup passphrase file: ${(e as Error).message}`);
          }
          if (!backupKey) return failLine(io, 'the backup passphrase file is empty');
        }
        const r = await session.dispatch('backup:restore', {
          file: resolve(values.from!),
          ...(backupKey ? { passphrase: backupKey } : {}),
          ...(values['accept-loss'] ? { acceptLoss: true } : {}),
        });
        if (!r.ok) {
          if (r.error.code === 'NEEDS_CONFIRMATION') return failLine(io, `${r.error.message.replace(/ Confirm to restore anyway;.*$/, '')} Nothing was restored; run again with --accept-loss to restore anyway.`);
          if (r.error.code === 'WRONG_PASSPHRASE' && !backupKey) return failLine(io, `${r.error.message} (--backup-passphrase-file FILE or ATTEST_BACKUP_PASSPHRASE)`);
          return failLine(io, r.error.message);
        }
        const d = r.data as { restoredFrom: string; keptAside: string; auditRows: number; lost: { entries: number } | null; entriesSetAside?: number };
        const lost = d.lost ? `; ${d.lost.entries} history entries of the previous database are not in it` : '';
        io.out(`restored ${d.restoredFrom} (${d.auditRows} audit rows verified${lost}); the previous database is kept at ${d.keptAside}`);
        if (d.entriesSetAside) io.out(`${d.entriesSetAside} entries of the previous history were set aside; the restore is recorded in the history`);
        return 0;
      } finally {
        session.close();
      }
    }
    case 'sync': {
      const [what] = rest;
      if (what !== 'export' && what !== 'import') return usageError(io, 'sync needs export or import');
      if (!dbFile) return usageError(io, `sync ${what} needs --db FILE (or ATTEST_DB)`);
      if (what === 'export' && !values.out) return usageError(io, 'sync export needs --out DIR');
      if (what === 'import' && !values.from) return usageError(io, 'sync import needs --from BUNDLE');
      let passphrase = env.ATTEST_BUNDLE_PASSPHRASE || key;
      if (values['bundle-passphrase-file']) {
        try {
          passphrase = readFileSync(values['bundle-passphrase-file'], 'utf8').split(/\r?\n/)[0] || null;
        } catch (e) {
          return failLine(io, `cannot read the bundle passphrase file: ${(e as Error).message}`);
        }
      }
      if (!passphrase) return usageError(io, 'sync needs the bundle passphrase (ATTEST_BUNDLE_PASSPHRASE or --bundle-passphrase-file), or an encrypted database');
      const session = openExisting(dbFile, user, io, key);
      if (!session) return 1;
      try {
        if (what === 'export') {
          const folder = resolve(values.out!);
          mkdirSync(folder, { recursive: true, mode: 0o700 });
          const r = await session.dispatch('sync:export', { folder, passphrase, ...(values.for ? { forDevice: values.for } : {}) });
          if (!r.ok) return failLine(io, r.error.message);
          const d = r.data as { file: string; counts: { devices: number; versions: number } };
          io.out(`wrote ${d.file}: ${d.counts.versions} versions of ${d.counts.devices} devices`);
          return 0;
        }
        const r = await session.dispatch('sync:import', { file: resolve(values.from!), passphrase });
        if (!r.ok) return failLine(io, r.error.message);
        const d = r.data as { newRecords: number; newVersions: number; newConflicts: number; devices: { id: string; name: string | null; isNew: boolean; newVersions: number }[] };
        io.out(`imported: ${d.newRecords} new records, ${d.newVersions} new versions, ${d.newConflicts} new conflicts`);
        for (const dev of d.devices) io.out(`  ${dev.name ?? '(unnamed)'} ${dev.id}${dev.isNew ? ' (new device)' : ''}: ${dev.newVersions} new versions`);
        return 0;
      } finally {
        session.close();
      }
    }
    default:
      return usageError(io, `unknown command: ${verb}`);
  }
}

/** A non-negative whole number from an option, or the message saying what is wrong. */
function count(raw: string | undefined, name: string, min: number): number | string {
  if (raw === undefined) return `--${name} is required`;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > 100_000_000) return `--${name} must be a whole number from ${min} to 100000000`;
  return Number(raw);
}

function failLine(io: CliIo, message: string): number {
  message = message.replace(/^internal error in [a-z:-]+: /, '');
  io.err(`attest: ${message.split('\n')[0]}`);
  return 1;
}

function usageError(io: CliIo, message: string): number {
  io.err(`attest: ${message}\n${USAGE}`);
  return 2;
}
