// The vault holds the database connection: nothing reads or writes until it is unlocked. It also
// owns what needs the key or a closed file: changing the passphrase, backups and restore.
import { existsSync, rmSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { AuditTip } from '../../db/history/audit';
import { verifyRecords } from '../../db/history/verify';
import { fillDerivedColumns } from '../../db/history/derived';
import { backupAgainstItsTip, checkFolders, headTip, planTipFile, setsAside, loggedManifests, highestRecordedTip, recordBackupTip, recordRestore, updateTipFile, type TipCheck } from '../../db/history/anchors';
import {
  BackupCheckError,
  backupProblem,
  checkBackupCopy,
  rekeyRestoreCopy,
  summarize,
  type BackupSummary,
  type SummaryRead,
  createBackup,
  defaultBackupFolder,
  historyLoss,
  holdsTip,
  listBackups,
  recoverRestoreLeftovers,
  readBackupSettings,
  swapInRestore,
  writeBackupSettings,
  type BackupFile,
  type BackupSettings,
  type HistoryLoss,
} from '../../db/backup';
import {
  PassphraseRequiredError,
  WrongPassphraseError,
  fileKind,
  openDatabase,
  opensWithKey,
  writeKeyCheckFile,
  type Db,
  type OpenOptions,
} from '../../db/connect';
import type { VaultStatus, VerifyReport } from '../../shared/safety';
import { AppError } from '../../shared/errors';
import { renameDurably } from '../../db/durable';
import { explainOpenFailure } from './fs-errors';
import { finishLoggedExports } from './report-export';
import { checkRekeyed, copyRekeyed, type CheckedBackup, type RekeyRequest, type Stoppable, type WrittenBackup } from './long-reads';
import type { Job } from './jobs';

export type VaultOptions = Pick<OpenOptions, 'check' | 'nativeBinding' | 'migrationsDir' | 'create' | 'readonly'> & {
  now?: () => Date;
};

export class Vault {
  private handle: Db | undefined;
  private key: string | null = null;
  private seqAtLastBackup = 0;
  private lastBackupTime: Date | null = null;
  private lastBackupError: string | null = null;
  /** A backup another thread is writing (backupWith). */
  private backupRunning: Promise<BackupFile> | null = null;
  /** The last check that found the history intact, on this connection. */
  private verified: { db: Db; tip: AuditTip; dataVersion: number; wholeAt: string } | null = null;
  /** The last check that found it broken, on this connection. */
  private broken: { db: Db; dataVersion: number; report: VerifyReport } | null = null;
  private readonly now: () => Date;
  /** What was repaired beside the file before it was opened (an interrupted restore or rekey). */
  // Stryker disable next-line ArrayDeclaration: the constructor sets it on every path; this start value is never read
  private notices: string[] = [];
  /** The file this connection opened (device and inode), to notice it being replaced. */
  private identity: { dev: number; ino: number } | null = null;
  /** The last audit row this connection saw: a file rolled back underneath no longer holds it. */
  private seenTip: AuditTip | null = null;
  /** Why writing stopped: the file was replaced or changed underneath. */
  private replaced: string | null = null;
  /** Locked by the user (not closed): the next unlock keeps the automatic backup's counters. */
  private lockedWithWork = false;
  /** A passphrase change is running (its copy has one name beside the file). */
  private rekeyRunning = false;
  /** What was read from backups (device, counts), by file, size and time: listing stays quick. */
  private readonly summaries = new Map<string, { stamp: string; summary: BackupSummary }>();

  constructor(
    readonly file: string,
    private readonly options: VaultOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    // A read-only look (attest verify) repairs nothing: it must work on a read-only drive.
    this.notices = options.readonly ? [] : recoverRestoreLeftovers(file);
  }

  /** A restore or rekey interrupted earlier, as found (and repaired) before opening. */
  get recovered(): readonly string[] {
    return this.notices;
  }

  /** Where a passphrase change writes its re-keyed copy before renaming it into place. */
  get rekeyingFile(): string {
    return `${this.file}.rekeying`;
  }

  /** A tiny file encrypted with the passphrase in use before the last change: the unlock screen recognises it. */
  get previousKeyFile(): string {
    return `${this.file}.previous-passphrase`;
  }

  get isOpen(): boolean {
    return this.handle !== undefined;
  }

  /** The open database; LOCKED until the vault is unlocked. */
  db(): Db {
    if (this.replaced) throw new AppError('FILE_REPLACED', this.replaced);
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
    return { state, encrypted: this.encrypted, file: this.file, notices: [...this.notices], problem: this.replaced };
  }

  /**
   * Stops everything when the open file is no longer the one opened (renamed over, deleted) or was
   * rolled back underneath (an older copy written over it: the last entry this connection saw is
   * gone). Called before every operation (the file's identity, and the tip as far as the page cache
   * holds it) and, `deep`, by the periodic check, which first drops the page cache so the tip is read
   * from the disk: bytes copied over the open file are invisible to a cached page.
   */
  checkFile(opts: { deep?: boolean } = {}): void {
    if (!this.handle || this.replaced) {
      if (this.replaced) throw new AppError('FILE_REPLACED', this.replaced);
      return;
    }
    let problem: string | null = null;
    try {
      const st = statSync(this.file);
      if (this.identity && (st.ino !== this.identity.ino || st.dev !== this.identity.dev)) {
        problem = `the database file ${this.file} was replaced by another file while Attest had it open`;
      }
    } catch {
      problem = `the database file ${this.file} was moved or deleted while Attest had it open`;
    }
    if (!problem && this.seenTip) {
      try {
        if (opts.deep) this.handle.pragma('shrink_memory');
        if (!holdsTip(this.handle, this.seenTip)) problem = `the database file ${this.file} was changed underneath Attest: its history no longer holds entry ${this.seenTip.seq}, the last one Attest saw (an older copy put over it?)`;
      } catch (e) {
        problem = `the database file ${this.file} was changed underneath Attest and no longer reads as a database (${(e as Error).message})`;
      }
    }
    if (problem) {
      this.replaced = `${problem}. Attest stopped writing to it. Close Attest, check the file (attest verify) and open it again.`;
      throw new AppError('FILE_REPLACED', this.replaced);
    }
  }

  /** After an operation: the history's tip as this connection now sees it. */
  noteTip(): void {
    if (!this.handle || this.replaced) return;
    try {
      this.seenTip = headTip(this.handle);
    } catch {
      // the next checkFile says what is wrong with the file
    }
  }

  /** Opens with a key (or none); throws the driver's named errors. Used by tests and the CLI. */
  open(key: string | null): Db {
    if (this.handle) return this.handle;
    const { now: _now, ...open } = this.options;
    this.handle = openDatabase(this.file, { ...open, key });
    const st = statSync(this.file);
    this.identity = { dev: st.dev, ino: st.ino };
    this.replaced = null;
    fillDerivedColumns(this.handle);
    this.key = key;
    this.noteTip();
    if (!this.options.readonly) {
      this.forgetInterruptedRekey();
      for (const id of finishLoggedExports(this.handle)) this.notices.push(`export ${id} was interrupted after it was logged; its files were moved into place`);
    }
    // After a lock, writes made before it still count towards the next automatic backup.
    if (!this.lockedWithWork) {
      this.seqAtLastBackup = this.headSeq();
      this.lastBackupTime = this.now();
    }
    this.lockedWithWork = false;
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
        const hint = this.whichPassphrase(passphrase);
        throw new AppError('WRONG_PASSPHRASE', hint ?? 'That passphrase does not unlock this database. Check it and try again.', [
          { path: ['passphrase'], message: hint ?? 'wrong passphrase' },
        ]);
      }
      throw explainOpenFailure(this.file, e) ?? new AppError('DATABASE', (e as Error).message);
    }
    return this.status();
  }

  /**
   * Locks now (the Lock button, Ctrl+L, the idle timer): records the chain tip, closes the
   * connection (SQLCipher wipes its key material on close) and drops this object's reference to the
   * passphrase. Nothing reads or writes until the next unlock. An unencrypted database cannot be
   * locked: anyone could open it again without a passphrase.
   */
  lock(): VaultStatus {
    if (!this.handle) return this.status();
    if (this.key === null) {
      throw new AppError('CONFLICT', 'this database is not encrypted, so locking it would protect nothing: encrypt it first (Backups & passphrase)');
    }
    this.recordTip();
    this.handle.close();
    this.handle = undefined;
    this.key = null;
    this.verified = null;
    this.broken = null;
    this.lockedWithWork = true;
    return this.status();
  }

  /**
   * Changes the passphrase without rewriting the database in place: an automatic backup first, then
   * a re-keyed copy (VACUUM INTO, PRAGMA rekey on the copy), fsynced and checked with the new
   * passphrase (integrity, history), then renamed over the closed file. A crash before the rename
   * leaves the file on the old passphrase, after it on the new one; never anything between.
   *
   * The copy is written and checked by `run.copy` (a reader thread, in the app): calls are answered
   * meanwhile, and the job can be cancelled until the rename (the copy is then removed; the database
   * stays open on its passphrase). A write answered meanwhile is not in the copy: the database is
   * compared (its data_version and this connection's total_changes) with before the copy, and when it
   * changed, the copy is made again here, where nothing else runs until the rename.
   */
  async rekey(current: string | undefined, next: string, run: RekeyRun): Promise<VaultStatus> {
    const db = this.db();
    if (this.key !== null && current !== this.key) {
      throw new AppError('WRONG_PASSPHRASE', 'the current passphrase is wrong; the passphrase was not changed', [
        { path: ['current'], message: 'wrong passphrase' },
      ]);
    }
    if (this.rekeyRunning) throw new AppError('CONFLICT', 'the passphrase is being changed already; wait for that change to finish');
    this.rekeyRunning = true;
    try {
      return await this.rekeyNow(db, next, run);
    } finally {
      this.rekeyRunning = false;
    }
  }

  private async rekeyNow(db: Db, next: string, run: RekeyRun): Promise<VaultStatus> {
    const { job, onStep } = run;
    const old = this.key;
    onStep('backing up the database first', 0, 4);
    // Not stopped halfway (a backup is whole or not there): a cancel takes effect once it is written.
    if (run.backup) await run.backup();
    else this.backupNow();
    job.check();
    const tmp = this.rekeyingFile;
    removeCopy(tmp);
    try {
      const before = changeMarker(db);
      await run.copy({ tmp, next });
      // From here to the rename nothing awaits: no other call runs in between, and no cancel.
      job.check();
      if (this.db() !== db || changeMarker(db) !== before) {
        job.writing();
        onStep('writing the copy again: the database changed meanwhile', 1, 4);
        removeCopy(tmp);
        const open = { ...this.openKey(old), file: this.file, key: old };
        checkRekeyed(open, { tmp, next }, copyRekeyed(db, open, { tmp, next }));
      }
      job.writing();
      if (old !== null) writeKeyCheckFile(this.previousKeyFile, old);
      else rmSync(this.previousKeyFile, { force: true });
    } catch (e) {
      // Cancelled or failed: the copy (whole or partial) goes; the database is as it was, and open.
      removeCopy(tmp);
      throw e;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    this.handle = undefined;
    // SQLite removes the WAL when its last connection closes: one still there means another program
    // has the file open, and its next write would go to the old file.
    if (existsSync(`${this.file}-wal`)) {
      rmSync(tmp, { force: true });
      this.open(old);
      throw new AppError('CONFLICT', 'another program (Attest or the attest command) has this database open; close it and change the passphrase again. Nothing was changed.');
    }
    rmSync(`${this.file}-shm`, { force: true });
    onStep('putting the copy in place', 3, 4);
    renameDurably(tmp, this.file);
    this.open(next);
    return this.status();
  }

  /** For a wrong passphrase: is it the one from before the last change, or the one of an unfinished change? */
  private whichPassphrase(passphrase: string): string | null {
    const nb = this.options.nativeBinding;
    if (existsSync(this.rekeyingFile) && opensWithKey(this.rekeyingFile, passphrase, nb)) {
      return 'That is the new passphrase of a change that was interrupted before it finished: the database still opens with the previous passphrase.';
    }
    if (existsSync(this.previousKeyFile) && opensWithKey(this.previousKeyFile, passphrase, nb)) {
      const when = statSync(this.previousKeyFile).mtime.toISOString().slice(0, 16).replace('T', ' ');
      return `That is the previous passphrase: it was changed on ${when} UTC. Unlock with the new one.`;
    }
    return null;
  }

  /** Opened with the passphrase it had before: a change interrupted before its rename is dropped. */
  private forgetInterruptedRekey(): void {
    if (!existsSync(this.rekeyingFile)) return;
    const tmp = this.rekeyingFile;
    for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
    // Written by that same attempt: it holds the passphrase still in use, not a previous one.
    rmSync(this.previousKeyFile, { force: true });
    this.notices.push('A passphrase change was interrupted before it finished: the database still uses the previous passphrase. Change it again if you want to.');
  }

  private openKey(key: string | null): Pick<OpenOptions, 'key' | 'nativeBinding' | 'migrationsDir'> {
    return {
      key,
      ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
      ...(this.options.migrationsDir ? { migrationsDir: this.options.migrationsDir } : {}),
    };
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
  verify(opts: { full?: boolean; against?: readonly string[] } = {}): VerifyReport {
    const plan = this.planVerify(opts);
    return 'report' in plan ? plan.report : this.recordVerify(plan, verifyRecords(plan.db, plan.since?.tip));
  }

  /** The same check, with the reading done by `read` (a reader thread on its own connection). */
  async verifyWith(
    opts: { full?: boolean; against?: readonly string[] },
    read: (since: AuditTip | undefined) => Promise<ReturnType<typeof verifyRecords>>,
  ): Promise<VerifyReport> {
    const plan = this.planVerify(opts);
    return 'report' in plan ? plan.report : this.recordVerify(plan, await read(plan.since?.tip));
  }

  /** What a check must read: nothing (the history was found broken as it is), all, or the rest. */
  private planVerify(opts: { full?: boolean; against?: readonly string[] }) {
    this.checkFile({ deep: true });
    const db = this.db();
    const dataVersion = db.pragma('data_version', { simple: true }) as number;
    const unchanged = (x: { db: Db; dataVersion: number } | null) => !opts.full && x !== null && x.db === db && x.dataVersion === dataVersion;
    if (unchanged(this.broken)) return { report: this.broken!.report };
    return { db, dataVersion, since: unchanged(this.verified) ? this.verified : null, against: opts.against };
  }

  private recordVerify(
    plan: { db: Db; dataVersion: number; since: { tip: AuditTip; wholeAt: string } | null; against: readonly string[] | undefined },
    result: ReturnType<typeof verifyRecords>,
  ): VerifyReport {
    const { db, dataVersion, since, against } = plan;
    const { tip, ...found } = result;
    const checkedAt = this.now().toISOString();
    const tips = found.ok ? this.checkRecordedTips(against) : null;
    const anchored = tips?.problem ? { ...found, ok: false, firstBroken: tips.problem } : found;
    const recordedTips = tips ? { checked: tips.checked, superseded: tips.superseded } : undefined;
    const report = { ...anchored, ...(recordedTips ? { recordedTips } : {}), checkedAt, wholeHistoryCheckedAt: since ? since.wholeAt : checkedAt };
    // An intact history is recorded outside the database: the header checks every 30 seconds.
    if (report.ok) this.recordTip();
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

  configureBackups(change: Partial<BackupSettings>, by: string | null = null): BackupSettings & { folderInUse: string } {
    if (change.folder) {
      if (!existsSync(change.folder) || !statSync(change.folder).isDirectory()) {
        throw new AppError('INVALID_INPUT', `folder: ${change.folder} is not an existing folder`, [
          { path: ['folder'], message: 'not an existing folder' },
        ]);
      }
    }
    const next = { ...readBackupSettings(this.db()), ...change };
    writeBackupSettings(this.db(), next, { at: this.now().toISOString(), by });
    return this.backupSettings();
  }

  /** Where a backup goes (the folder asked for, else the plan's, pruned to its `keep`). */
  private backupTarget(folder?: string): { folder: string; keep: number | undefined } {
    const settings = this.backupSettings();
    if (folder !== undefined && (!existsSync(folder) || !statSync(folder).isDirectory())) {
      throw new AppError('INVALID_INPUT', `folder: ${folder} is not an existing folder`, [
        { path: ['folder'], message: 'not an existing folder' },
      ]);
    }
    return { folder: folder ?? settings.folderInUse, keep: folder ? undefined : settings.keep };
  }

  /** After a backup was written: its tip beside it, and the counters of the automatic plan. */
  private backedUp(b: WrittenBackup): void {
    this.lastTipError = recordBackupTip(this.db(), b.file, b.tip, this.now().toISOString(), basename(this.file));
    // The writes the backup holds (more may have come while a reader thread wrote it).
    this.seqAtLastBackup = Math.max(this.seqAtLastBackup, b.tip.seq);
    this.lastBackupTime = this.now();
    this.lastBackupError = null;
  }

  /** A backup on this thread and connection (the CLI, before a passphrase change, on close). */
  backupNow(folder?: string): BackupFile {
    const t = this.backupTarget(folder);
    const b = createBackup(this.db(), t.folder, this.now(), this.openKey(this.key), t.keep);
    this.backedUp(b);
    return b;
  }

  /**
   * A backup written by `copy` (a reader thread on its own read-only connection, in the app): this
   * thread only checks the folder before and records the tip after. One at a time: a backup asked
   * for while another runs starts after it.
   */
  backupWith(folder: string | undefined, copy: BackupCopy): Promise<BackupFile> {
    const t = this.backupTarget(folder);
    const before = this.backupRunning;
    const run = (async () => {
      await before?.catch(() => undefined);
      const b = await copy(t.folder, this.now(), t.keep);
      if (this.handle) this.backedUp(b);
      return b;
    })();
    this.backupRunning = run;
    const forget = () => {
      if (this.backupRunning === run) this.backupRunning = null;
    };
    run.then(forget, forget);
    return run;
  }

  /** Settles once no backup written by another thread is running. */
  async backupsSettled(): Promise<void> {
    while (this.backupRunning) await this.backupRunning.catch(() => undefined);
  }

  listBackups() {
    const folder = this.backupSettings().folderInUse;
    return {
      folder,
      items: listBackups(folder),
      lastBackupAt: this.lastBackupTime?.toISOString() ?? null,
      lastError: this.lastBackupError ?? this.lastTipError,
    };
  }

  /**
   * After each successful write, and on a timer: back up when enough writes or minutes have gone by.
   * Never throws. Given `copy`, the backup is written there (a reader thread) and this returns at
   * once (the promise settles when it is written); without it, it is written now, on this thread.
   */
  maybeAutoBackup(copy?: BackupCopy): Promise<void> {
    if (!this.handle) return Promise.resolve();
    const failed = (e: unknown) => {
      this.lastBackupError = `automatic backup failed: ${(e as Error).message}`;
    };
    try {
      // One running already (a slow disk): the next write or tick asks again.
      if (copy && this.backupRunning) return Promise.resolve();
      this.checkFile({ deep: true });
      const s = readBackupSettings(this.handle);
      const writes = this.headSeq() - this.seqAtLastBackup;
      if (writes <= 0) return Promise.resolve();
      const minutes = (this.now().getTime() - (this.lastBackupTime?.getTime() ?? 0)) / 60_000;
      if ((s.everyWrites > 0 && writes >= s.everyWrites) || (s.everyMinutes > 0 && minutes >= s.everyMinutes)) {
        if (copy) return this.backupWith(undefined, copy).then(() => undefined, failed);
        this.backupNow();
      }
    } catch (e) {
      failed(e);
    }
    return Promise.resolve();
  }

  /**
   * Restores a backup: checks a copy of it (not empty, an Attest database this version can open or
   * upgrade, integrity, history), and when its history is shorter than the current one (or parts
   * from it) refuses with NEEDS_CONFIRMATION saying what would be lost, unless `acceptLoss`. Then
   * the current file is kept aside by a link and the copy renamed over it.
   */
  restore(file: string, passphrase?: string, acceptLoss = false, by: string | null = null) {
    const { from, key } = this.restoreSource(file, passphrase);
    let checked: CheckedBackup;
    try {
      checked = checkBackupCopy(from, this.file, this.openKey(key));
    } catch (e) {
      // Stryker disable next-line ConditionalExpression: checkBackupCopy throws nothing but BackupCheckError: it wraps every other failure
      if (e instanceof BackupCheckError) throw this.backupOpenError(from, e, passphrase);
      throw e;
    }
    return this.finishRestore(from, key, checked, acceptLoss, by);
  }

  /**
   * The same restore, with the backup checked and copied by `check` (a reader thread, in the app:
   * the integrity and history checks of a large backup take seconds). Calls are answered meanwhile;
   * what the restore would lose is worked out after the check, against the history as it is then.
   */
  async restoreWith(file: string, passphrase: string | undefined, acceptLoss: boolean, by: string | null, check: (from: string, key: string | null) => Promise<CheckedBackup>) {
    const { from, key } = this.restoreSource(file, passphrase);
    let checked: CheckedBackup;
    try {
      checked = await check(from, key);
    } catch (e) {
      // Stopped halfway (cancelled): the copy it was making goes.
      removeCopy(`${this.file}.restoring`);
      if (e instanceof Error && e.name === 'BackupCheckError') throw this.backupOpenError(from, e, passphrase);
      throw e;
    }
    return this.finishRestore(from, key, checked, acceptLoss, by);
  }

  private restoreSource(file: string, passphrase: string | undefined): { from: string; key: string | null } {
    this.db();
    const from = this.backupPath(file);
    // The backup's own passphrase (it may predate a change of passphrase); an unencrypted backup needs none.
    return { from, key: fileKind(from) === 'plain' ? null : (passphrase ?? this.key) };
  }

  private finishRestore(from: string, backupKey: string | null, checked: CheckedBackup, acceptLoss: boolean, by: string | null) {
    let key = backupKey;
    const db = this.db();
    // A backup file cut or rewritten since it was written no longer matches the tip beside it.
    const replaced = backupAgainstItsTip(from, checked.tip);
    if (replaced) {
      removeCopy(checked.copy);
      throw new AppError('INVALID_INPUT', `the backup ${basename(from)} is refused: ${replaced}`, [{ path: ['file'], message: replaced }]);
    }
    // A backup made with another passphrase is stored under this database's: its checked copy is
    // re-encrypted before it is put in place, so the database never changes passphrase by a restore.
    try {
      rekeyRestoreCopy(checked.copy, key, this.key, this.options.nativeBinding);
    } catch (e) {
      removeCopy(checked.copy);
      throw new AppError('DATABASE', `the backup could not be re-encrypted with this database's passphrase; nothing changed: ${(e as Error).message}`);
    }
    key = this.key;
    let copy: Db;
    try {
      copy = openDatabase(checked.copy, { key, create: false, check: 'none', ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}) });
    } catch (e) {
      removeCopy(checked.copy);
      throw new AppError('DATABASE', `the backup's copy could not be opened; nothing changed: ${(e as Error).message}`);
    }
    let loss: HistoryLoss | null;
    let setAside: AuditTip;
    let highestRecorded: ReturnType<typeof highestRecordedTip>;
    try {
      // Against the history as it is now (calls were answered while the backup was checked).
      loss = historyLoss(db, copy);
      if (loss && !acceptLoss) {
        const message = describeLoss(loss);
        throw new AppError('NEEDS_CONFIRMATION', message, [{ path: ['acceptLoss'], message }]);
      }
      setAside = headTip(db);
      highestRecorded = highestRecordedTip(this.tipFolders());
      // The restore is chained, with the history it sets aside, into the copy before it is put in
      // place: tips recorded from that history are then not reported as a cut, even after a crash.
      // Only a restore that sets history aside (the current tip, or a recorded one, is not in the
      // restored history) is chained: restoring a backup of the same history adds nothing.
      try {
        if (setsAside(copy, [setAside, highestRecorded])) {
          copy.transaction(() => recordRestore(copy, { restoredFrom: from, setAside, highestRecorded, at: this.now().toISOString(), by }))();
          copy.pragma('wal_checkpoint(TRUNCATE)');
        }
      } catch (e) {
        throw new AppError('DATABASE', `the restore could not be recorded in the backup's copy; nothing changed: ${(e as Error).message}`);
      }
      copy.close();
    } catch (e) {
      copy.close();
      removeCopy(checked.copy);
      throw e;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    this.handle = undefined;
    if (existsSync(`${this.file}-wal`)) {
      rmSync(checked.copy, { force: true });
      this.open(this.key);
      throw new AppError('CONFLICT', 'another program (Attest or the attest command) has this database open; close it and restore again. Nothing was changed.');
    }
    const keptAside = swapInRestore(checked.copy, this.file, this.now());
    this.open(key);
    this.recordTip();
    const entriesSetAside = Math.max(0, Math.max(setAside.seq, highestRecorded?.seq ?? 0) - checked.report.auditRows);
    return { restoredFrom: from, keptAside, auditRows: checked.report.auditRows, lost: loss, entriesSetAside };
  }

  /** A backup named by the user: a full path, or a name in the backup folder. */
  private backupPath(file: string): string {
    return isAbsolute(file) ? file : join(this.backupSettings().folderInUse, file);
  }

  /** A backup the given (or current) passphrase does not open says so, naming the field to fill. */
  private backupOpenError(from: string, e: Error, passphrase: string | undefined): AppError {
    if (!/passphrase/.test(e.message)) return new AppError('INVALID_INPUT', e.message, [{ path: ['file'], message: e.message }]);
    const message = passphrase
      ? `That passphrase does not open the backup ${basename(from)} either. Enter the passphrase the database had when the backup was made.`
      : `The backup ${basename(from)} was made with another passphrase (the database's passphrase was changed since). Enter that backup's passphrase to restore it; it is then stored under the current passphrase.`;
    return new AppError('WRONG_PASSPHRASE', message, [{ path: ['passphrase'], message }]);
  }

  /**
   * What a backup holds (the laptop that wrote it, its records and history), read from the backup
   * itself and cached by file, size and time; with `withCurrent`, the same for the open database,
   * for the restore confirmation. A backup the passphrase does not open answers needsPassphrase.
   */
  async describeBackup(
    file: string,
    passphrase: string | undefined,
    withCurrent: boolean,
    read: (req: { file: string; key: string | null; nativeBinding?: string }) => Promise<SummaryRead>,
  ) {
    const db = this.db();
    const from = this.backupPath(file);
    const current = withCurrent ? summarize(db) : null;
    const base = { file: from, name: basename(from), current };
    const problem = existsSync(from) ? backupProblem(from) : `no backup file at ${from}`;
    if (problem) return { ...base, summary: null, needsPassphrase: false, problem };
    const st = statSync(from);
    const stamp = `${st.size}:${st.mtimeMs}`;
    const cached = this.summaries.get(from);
    if (cached && cached.stamp === stamp) return { ...base, summary: cached.summary, needsPassphrase: false, problem: null };
    const key = fileKind(from) === 'plain' ? null : (passphrase ?? this.key);
    const r = await read({ file: from, key, ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}) });
    if ('summary' in r) {
      this.summaries.set(from, { stamp, summary: r.summary });
      return { ...base, summary: r.summary, needsPassphrase: false, problem: null };
    }
    if ('needsPassphrase' in r) {
      if (passphrase) throw this.backupOpenError(from, new Error('passphrase'), passphrase);
      return { ...base, summary: null, needsPassphrase: true, problem: null };
    }
    return { ...base, summary: null, needsPassphrase: false, problem: r.problem };
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
    this.recordTip();
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

  // ---- the chain tip recorded outside the database (db/history/anchors.ts) ---------------------

  private lastTipError: string | null = null;

  /** The backup folder in use and the default one beside the database. */
  private tipFolders(): string[] {
    return [this.backupSettings().folderInUse, defaultBackupFolder(this.file)];
  }

  /** The history against every tip recorded in the backup folders. */
  checkRecordedTips(against: readonly string[] = []): TipCheck {
    return checkFolders(this.db(), this.tipFolders(), loggedManifests(this.db()), against);
  }

  /** Advances the tip file of the backup folder (when it exists) to this history's tip. Never throws. */
  recordTip(): void {
    // A read-only look (attest verify) changes nothing, the backup folder included.
    if (!this.handle || this.options.readonly) return;
    try {
      updateTipFile(this.handle, this.backupSettings().folderInUse, this.now().toISOString(), basename(this.file));
      this.lastTipError = null;
    } catch (e) {
      this.lastTipError = `the chain tip could not be recorded in the backup folder: ${(e as Error).message}`;
    }
  }

  /**
   * recordTip with the file's write (fsynced, renamed, the folder fsynced) handed to `write`: a
   * reader thread in the app, so the thread answering calls does not wait on the disk. What is
   * written is read here first, the tip as this connection sees it now. Never throws.
   */
  async recordTipVia(write: (file: string, text: string, seq: number) => Promise<void>): Promise<void> {
    if (!this.handle || this.options.readonly) return;
    try {
      const plan = planTipFile(this.handle, this.backupSettings().folderInUse, this.now().toISOString(), basename(this.file));
      if (typeof plan === 'object') await write(plan.file, plan.text, plan.seq);
      this.lastTipError = null;
    } catch (e) {
      this.lastTipError = `the chain tip could not be recorded in the backup folder: ${(e as Error).message}`;
    }
  }

  private headSeq(): number {
    return (this.handle?.prepare('SELECT coalesce(max(seq), 0) FROM audit_log').pluck().get() as number) ?? 0;
  }
}

export { PassphraseRequiredError, WrongPassphraseError };

/** How a passphrase change runs: its job (cancel, progress) and where its backup and copy are written. */
export interface RekeyRun {
  job: Stoppable & Pick<Job, 'writing'>;
  onStep: (step: string, done: number, total: number) => void;
  /** The re-keyed copy written and checked (a reader thread in the app); returns the copy's last entry. */
  copy: (req: RekeyRequest) => Promise<AuditTip>;
  /** The backup before the change, written elsewhere (a reader thread); by default on this thread. */
  backup?: () => Promise<unknown>;
}

/**
 * What changes whenever the database is written: by another connection (data_version) or by this
 * one (total_changes, every row inserted, updated or deleted since it was opened).
 */
function changeMarker(db: Db): string {
  return `${String(db.pragma('data_version', { simple: true }))}:${String(db.prepare('SELECT total_changes()').pluck().get())}`;
}

/** Writes a backup into a folder, pruned to `keep`: a reader thread in the app. */
export type BackupCopy = (folder: string, now: Date, keep: number | undefined) => Promise<WrittenBackup>;

function removeCopy(copy: string): void {
  for (const f of [copy, `${copy}-wal`, `${copy}-shm`, `${copy}-journal`]) rmSync(f, { force: true });
}

/** What a restore would give up, in one sentence. */
export function describeLoss(loss: HistoryLoss): string {
  const entries = `${loss.entries} history ${loss.entries === 1 ? 'entry' : 'entries'}`;
  const records = `${loss.records} ${loss.records === 1 ? 'record' : 'records'}`;
  const latest = loss.latestAt ? `, the latest from ${loss.latestAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  const parts = loss.backupOnly > 0 ? ` The backup's history also parts from the current one: it holds ${loss.backupOnly} entries the current database does not.` : '';
  return `Restoring this backup would lose ${entries} (changes to ${records}${latest}) that the current database holds and the backup does not.${parts} Confirm to restore anyway; the current database is kept aside.`;
}
