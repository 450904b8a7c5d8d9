// The vault holds the database connection: nothing reads or writes until it is unlocked. It also
// owns what needs the key or a closed file: changing the passphrase, backups and restore.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { AuditTip } from '../../db/history/audit';
import { verifyRecords } from '../../db/history/verify';
import { fillDerivedColumns } from '../../db/history/derived';
import {
  BackupCheckError,
  checkBackupCopy,
  createBackup,
  defaultBackupFolder,
  listBackups,
  readBackupSettings,
  swapInRestore,
  writeBackupSettings,
  type BackupFile,
  type BackupSettings,
} from '../../db/backup';
import {
  PassphraseRequiredError,
  WrongPassphraseError,
  fileKind,
  openDatabase,
  rekeyDatabase,
  type Db,
  type OpenOptions,
} from '../../db/connect';
import type { VaultStatus, VerifyReport } from '../../shared/safety';
import { AppError } from '../../shared/errors';

export type VaultOptions = Pick<OpenOptions, 'check' | 'nativeBinding' | 'migrationsDir' | 'create' | 'readonly'> & {
  now?: () => Date;
};

export class Vault {
  private handle: Db | undefined;
  private key: string | null = null;
  private seqAtLastBackup = 0;
  private lastBackupTime: Date | null = null;
  private lastBackupError: string | null = null;
  /** The last check that found the history intact, on this connection. */
  private verified: { db: Db; tip: AuditTip; dataVersion: number; wholeAt: string } | null = null;
  /** The last check that found it broken, on this connection. */
  private broken: { db: Db; dataVersion: number; report: VerifyReport } | null = null;
  private readonly now: () => Date;

  constructor(
    readonly file: string,
    private readonly options: VaultOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  get isOpen(): boolean {
    return this.handle !== undefined;
  }

  /** The open database; LOCKED until the vault is unlocked. */
  db(): Db {
    if (!this.handle) throw new AppError('LOCKED', 'the database is locked: unlock it with its passphrase first');
    return this.handle;
  }

  get encrypted(): boolean | null {
    if (this.handle) return this.key !== null;
    const kind = fileKind(this.file);
    return kind === 'plain' ? false : kind === 'encrypted' ? true : null;
  }

  status(): VaultStatus {
    const kind = fileKind(this.file);
    const state = this.handle ? 'unlocked' : kind === 'missing' || kind === 'empty' ? 'new' : 'locked';
    return { state, encrypted: this.encrypted, file: this.file };
  }

  /** Opens with a key (or none); throws the driver's named errors. Used by tests and the CLI. */
  open(key: string | null): Db {
    if (this.handle) return this.handle;
    const { now: _now, ...open } = this.options;
    this.handle = openDatabase(this.file, { ...open, key });
    fillDerivedColumns(this.handle);
    this.key = key;
    this.seqAtLastBackup = this.headSeq();
    this.lastBackupTime = this.now();
    return this.handle;
  }

  /** At start: an unencrypted database needs no passphrase, so it opens straight away. */
  openIfPlain(): void {
    if (fileKind(this.file) === 'plain') this.open(null);
  }

  setup(passphrase: string | null): VaultStatus {
    if (this.status().state !== 'new') {
      throw new AppError('CONFLICT', 'this database is already set up; unlock it instead');
    }
    this.open(passphrase);
    return this.status();
  }

  unlock(passphrase: string): VaultStatus {
    if (this.handle) return this.status();
    const kind = fileKind(this.file);
    if (kind === 'missing' || kind === 'empty') throw new AppError('NOT_FOUND', 'there is no database yet: set one up first');
    try {
      this.open(passphrase);
    } catch (e) {
      if (e instanceof WrongPassphraseError) {
        throw new AppError('WRONG_PASSPHRASE', 'That passphrase does not unlock this database. Check it and try again.', [
          { path: ['passphrase'], message: 'wrong passphrase' },
        ]);
      }
      throw new AppError('DATABASE', (e as Error).message);
    }
    return this.status();
  }

  rekey(current: string | undefined, next: string): VaultStatus {
    const db = this.db();
    if (this.key !== null && current !== this.key) {
      throw new AppError('WRONG_PASSPHRASE', 'the current passphrase is wrong; the passphrase was not changed', [
        { path: ['current'], message: 'wrong passphrase' },
      ]);
    }
    rekeyDatabase(db, next);
    this.key = next;
    return this.status();
  }

  /**
   * Checks the history. The whole of it the first time on a connection, when asked (`full`), and
   * whenever another connection has written to the file since the last check (SQLite's
   * data_version: a SQLite tool, a script, the CLI). Otherwise this connection alone wrote since,
   * through the app, and only what came after the last check is read: the header checks every
   * 30 seconds, and reading 30,000 records each time would stall the app for seconds. A history
   * found broken stays so, as found, until it is checked whole again or another connection writes:
   * the app's own writes cannot mend it, and the alarm is showing already.
   */
  verify(opts: { full?: boolean } = {}): VerifyReport {
    const plan = this.planVerify(opts);
    return 'report' in plan ? plan.report : this.recordVerify(plan, verifyRecords(plan.db, plan.since?.tip));
  }

  /** The same check, with the reading done by `read` (a reader thread on its own connection). */
  async verifyWith(opts: { full?: boolean }, read: (since: AuditTip | undefined) => Promise<ReturnType<typeof verifyRecords>>): Promise<VerifyReport> {
    const plan = this.planVerify(opts);
    return 'report' in plan ? plan.report : this.recordVerify(plan, await read(plan.since?.tip));
  }

  /** What a check must read: nothing (the history was found broken as it is), all, or the rest. */
  private planVerify(opts: { full?: boolean }) {
    const db = this.db();
    const dataVersion = db.pragma('data_version', { simple: true }) as number;
    const unchanged = (x: { db: Db; dataVersion: number } | null) => !opts.full && x !== null && x.db === db && x.dataVersion === dataVersion;
    if (unchanged(this.broken)) return { report: this.broken!.report };
    return { db, dataVersion, since: unchanged(this.verified) ? this.verified : null };
  }

  private recordVerify(plan: { db: Db; dataVersion: number; since: { tip: AuditTip; wholeAt: string } | null }, result: ReturnType<typeof verifyRecords>): VerifyReport {
    const { db, dataVersion, since } = plan;
    const { tip, ...found } = result;
    const checkedAt = this.now().toISOString();
    const report = { ...found, checkedAt, wholeHistoryCheckedAt: since ? since.wholeAt : checkedAt };
    this.verified = report.ok && tip ? { db, tip, dataVersion, wholeAt: report.wholeHistoryCheckedAt } : null;
    this.broken = report.ok ? null : { db, dataVersion, report };
    return report;
  }

  /** How a reader thread opens its own read-only connection to this database. */
  readerOpen(): { file: string; key: string | null; nativeBinding?: string } {
    this.db();
    return { file: this.file, key: this.key, ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}) };
  }

  // ---- backups -------------------------------------------------------------------------------

  backupSettings(): BackupSettings & { folderInUse: string } {
    const s = readBackupSettings(this.db());
    return { ...s, folderInUse: s.folder ?? defaultBackupFolder(this.file) };
  }

  configureBackups(change: Partial<BackupSettings>): BackupSettings & { folderInUse: string } {
    if (change.folder) {
      if (!existsSync(change.folder) || !statSync(change.folder).isDirectory()) {
        throw new AppError('INVALID_INPUT', `folder: ${change.folder} is not an existing folder`, [
          { path: ['folder'], message: 'not an existing folder' },
        ]);
      }
    }
    const next = { ...readBackupSettings(this.db()), ...change };
    writeBackupSettings(this.db(), next);
    return this.backupSettings();
  }

  backupNow(folder?: string): BackupFile {
    const settings = this.backupSettings();
    if (folder !== undefined && (!existsSync(folder) || !statSync(folder).isDirectory())) {
      throw new AppError('INVALID_INPUT', `folder: ${folder} is not an existing folder`, [
        { path: ['folder'], message: 'not an existing folder' },
      ]);
    }
    const b = createBackup(this.db(), folder ?? settings.folderInUse, this.now(), folder ? undefined : settings.keep);
    this.seqAtLastBackup = this.headSeq();
    this.lastBackupTime = this.now();
    this.lastBackupError = null;
    return b;
  }

  listBackups() {
    const folder = this.backupSettings().folderInUse;
    return {
      folder,
      items: listBackups(folder),
      lastBackupAt: this.lastBackupTime?.toISOString() ?? null,
      lastError: this.lastBackupError,
    };
  }

  /** After each successful call: back up when enough writes or minutes have gone by. Never throws. */
  maybeAutoBackup(): void {
    if (!this.handle) return;
    try {
      const s = readBackupSettings(this.handle);
      const writes = this.headSeq() - this.seqAtLastBackup;
      if (writes <= 0) return;
      const minutes = (this.now().getTime() - (this.lastBackupTime?.getTime() ?? 0)) / 60_000;
      if ((s.everyWrites > 0 && writes >= s.everyWrites) || (s.everyMinutes > 0 && minutes >= s.everyMinutes)) {
        this.backupNow();
      }
    } catch (e) {
      this.lastBackupError = `automatic backup failed: ${(e as Error).message}`;
    }
  }

  restore(file: string, passphrase?: string) {
    const db = this.db();
    const from = isAbsolute(file) ? file : join(this.backupSettings().folderInUse, file);
    const key = passphrase ?? this.key;
    let checked;
    try {
      checked = checkBackupCopy(from, this.file, {
        key,
        ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
      });
    } catch (e) {
      if (e instanceof BackupCheckError) {
        const wrongKey = /passphrase|not a database/.test(e.message);
        throw new AppError(wrongKey ? 'WRONG_PASSPHRASE' : 'INVALID_INPUT', e.message, [
          { path: [wrongKey ? 'passphrase' : 'file'], message: e.message },
        ]);
      }
      throw e;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    this.handle = undefined;
    const keptAside = swapInRestore(checked.copy, this.file, this.now());
    this.open(key);
    return { restoredFrom: from, keptAside, auditRows: checked.report.auditRows };
  }

  /** Closes the database, backing it up first when anything was written and the plan says so. */
  close(): void {
    if (!this.handle) return;
    try {
      const s = readBackupSettings(this.handle);
      if (s.onClose && this.headSeq() > this.seqAtLastBackup) this.backupNow();
    } catch (e) {
      this.lastBackupError = `backup on close failed: ${(e as Error).message}`;
    }
    this.handle.close();
    this.handle = undefined;
    this.key = null;
  }

  /** Closes without the on-close backup (tests of crashes and of raw files). */
  closeQuietly(): void {
    this.handle?.close();
    this.handle = undefined;
    this.key = null;
  }

  private headSeq(): number {
    return (this.handle?.prepare('SELECT coalesce(max(seq), 0) FROM audit_log').pluck().get() as number) ?? 0;
  }
}

export { PassphraseRequiredError, WrongPassphraseError };
