import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { getDefinition, getExport, listDefinitions, listExports, saveDefinition, saveOfficeSettings } from '../../../db/repo/reports';
import { buildExport, buildInput, checkExportFolder, commitExport, exportSteps, officeSettings, reportCell, resolveDefinition, saveExport, stagingFolder, verifyFile } from '../report-export';
import { newId } from '../../../db/ids';
import { checkRecordedTips, manifestTip } from '../../../db/history/anchors';
import { reviewOrder } from '../../../shared/report/review';
import { reviewReport } from '../report-review';
import { previewReport } from '../report-preview';
import { reportHostOf, type PdfPrinter } from '../report-host';
import { batesSettings, buildBundle } from '../report-bundle';
import { AppError, writeMeta } from './context';
import { notFound } from './history';
import type { HandlersFor } from './types';

export const reportHandlers: HandlersFor<'reports:' | 'exports:'> = {
  'reports:save': ({ id, expectedVersion, definition }, ctx) => {
    if (id && expectedVersion === undefined) {
      throw new AppError('INVALID_INPUT', 'expectedVersion: give the version you read to save over it', [
        { path: ['expectedVersion'], message: 'required with id' },
      ]);
    }
    const meta = writeMeta(ctx);
    return saveDefinition(ctx.db, definition, meta, id ? { id, expectedVersion: expectedVersion! } : undefined);
  },
  'reports:list': (_input, ctx) => ({ items: listDefinitions(ctx.db) }),
  'reports:get': ({ id }, ctx) => {
    const d = getDefinition(ctx.db, id);
    if (!d) throw notFound('report definition', id);
    return d;
  },
  'reports:settings': (_input, ctx) => officeSettings(ctx.db),
  'reports:save-settings': (input, ctx) => {
    const meta = writeMeta(ctx);
    saveOfficeSettings(ctx.db, input, meta);
    return officeSettings(ctx.db);
  },
  'reports:preview': (input, ctx) => previewReport(ctx.db, resolveDefinition(ctx.db, input), ctx.now().toISOString(), ctx.appVersion, input.logRows),
  'reports:cell': (input, ctx) => reportCell(ctx.db, resolveDefinition(ctx.db, input), ctx.now().toISOString(), ctx.appVersion, input.facilityId, input.category),
  'reports:review': (input, ctx) => {
    const resolved = resolveDefinition(ctx.db, input);
    const review = reviewReport(ctx.db, buildInput(ctx.db, resolved, ctx.now().toISOString(), ctx.appVersion));
    return { counts: review.counts, total: review.items.length, items: reviewOrder(review.items).slice(0, input.limit) };
  },
  'reports:export': async (input, ctx) => {
    let pdf: PdfPrinter | null = null;
    if (input.formats.includes('pdf')) {
      const host = reportHostOf(ctx);
      const p = host ? await host.pdf() : { unavailable: 'this transport has no PDF printer' };
      if ('unavailable' in p) throw new AppError('INVALID_INPUT', `formats: ${p.unavailable}`, [{ path: ['formats'], message: p.unavailable }]);
      pdf = p;
    }
    checkExportFolder(input.folder);
    // A job: progress events as it goes; cancellable until it starts writing files.
    return ctx.jobs.run('reports:export', input.jobId, async (job) => {
      const total = exportSteps(input.formats);
      let done = 0;
      const step = (s: string) => job.progress(s, done++, total);
      const request = {
        ref: { definitionId: input.definitionId, definition: input.definition },
        profile: input.profile,
        formats: input.formats,
        bom: input.bom,
        includeKey: input.includeKey,
        strict: input.strict,
        conflicts: input.conflicts,
        generatedAt: ctx.now().toISOString(),
        appVersion: ctx.appVersion,
      };
      // The files are built and staged where the long reads run (a reader thread in the app), and
      // logged here, on the connection that writes.
      const stage = { folder: input.folder, id: newId() };
      let staged;
      try {
        staged = await ctx.reads.buildExport(request, stage, pdf, job, step);
        job.check();
      } catch (e) {
        // Cancelled or failed: nothing was logged, and the staged files go (none is visible).
        rmSync(stagingFolder(stage.folder, stage.id), { recursive: true, force: true });
        throw e;
      }
      job.writing();
      step('writing files');
      // The manifest's and the moves' file steps where the long reads run; the log here.
      const exported = await commitExport(ctx.db, { folder: input.folder, generatedBy: ctx.user }, staged, ctx.reads);
      // The tip after the export's log entry, in the backup folder's tip file: read here, written
      // (fsynced) where the export's file steps ran.
      await ctx.vault.recordTipVia((file, text, seq) => ctx.reads.writeTip(file, text, seq));
      return exported;
    });
  },
  'reports:bundle': async (input, ctx) => {
    const host = reportHostOf(ctx);
    const p = host ? await host.pdf() : { unavailable: 'this transport has no PDF printer' };
    if ('unavailable' in p) throw new AppError('INVALID_INPUT', `a filing bundle is a PDF: ${p.unavailable}`, [{ path: ['folder'], message: p.unavailable }]);
    checkExportFolder(input.folder);
    return ctx.jobs.run('reports:bundle', input.jobId, async (job) => {
      const total = exportSteps(['pdf']) + 4;
      let done = 0;
      const step = (s: string) => job.progress(s, done++, total);
      const request = {
        ref: { definitionId: input.definitionId, definition: input.definition },
        profile: input.profile,
        formats: ['pdf' as const],
        bom: true,
        includeKey: input.includeKey,
        strict: input.strict,
        conflicts: input.conflicts,
        generatedAt: ctx.now().toISOString(),
        appVersion: ctx.appVersion,
      };
      // Built here, not on the reader thread: the bundle is combined from the exhibit's bytes.
      const exhibit = await buildExport(ctx.db, request, p, step);
      job.check();
      const bundle = await buildBundle(exhibit, input.documents, batesSettings(ctx.db), p, step);
      job.check();
      job.writing();
      step('writing files');
      const exported = await saveExport(ctx.db, { folder: input.folder, generatedBy: ctx.user }, bundle);
      ctx.vault.recordTip();
      return { ...exported, pages: bundle.pages, parts: bundle.parts };
    });
  },
  // For scripts that poll; the app follows the pushed job events instead.
  'reports:progress': ({ jobId }, ctx) => {
    const e = ctx.jobs.get(jobId);
    return e ? { done: e.done, total: e.total, step: e.step, finished: e.state !== 'running' } : { done: 0, total: 0, step: 'waiting', finished: false };
  },
  'reports:choose-folder': async ({ probe }, ctx) => {
    const host = reportHostOf(ctx);
    if (!host?.chooseFolder) return { available: false, folder: null };
    return { available: true, folder: probe ? null : await host.chooseFolder() };
  },
  'exports:list': (input, ctx) => listExports(ctx.db, input),
  'exports:verify': ({ exportId, name, path }, ctx) => {
    const e = getExport(ctx.db, exportId);
    if (!e) throw notFound('export', exportId, ['exportId']);
    const file = e.files.find((f) => f.name === name);
    if (!file) throw new AppError('NOT_FOUND', `export ${exportId} wrote no file named ${name}`, [{ path: ['name'], message: 'not in this export' }]);
    const where = path ?? join(e.folder, name);
    // The manifest pins the history's tip at export time: a history cut at its end or rewritten
    // since no longer reaches it (as attest verify checks for logged exports).
    const manifest = e.files.find((f) => f.format === 'manifest');
    const manifestAt = manifest ? (manifest.name === name ? where : join(e.folder, manifest.name)) : null;
    const tip = manifestAt ? manifestTip(manifestAt) : null;
    let history = null;
    if (tip) {
      const check = checkRecordedTips(ctx.db, [tip]);
      history = { seq: tip.seq, hash: tip.hash, reached: !check.problem && check.superseded === 0, superseded: check.superseded > 0, problem: check.problem?.problem ?? null };
    }
    return { path: where, expected: file.sha256, ...verifyFile(where, file.sha256), history };
  },
};
