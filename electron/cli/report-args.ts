// What `attest export` and `attest bundle` read the same way: the passphrase file, a definition
// given as a JSON file, and a Chromium printer lent to the session for the run.
import { existsSync, readFileSync } from 'node:fs';
import { describeIssues } from '../../shared/contract';
import { ReportDefinitionInput } from '../../shared/report/definition';
import type { Context } from '../core/handlers/context';
import { setReportHost, type PdfPrinter } from '../core/report-host';
import { chromiumPdfPrinter } from './pdf-chromium';

/** The passphrase: the first line of --passphrase-file, else ATTEST_PASSPHRASE (null: none). */
export function readPassphrase(file: string | undefined, env: NodeJS.ProcessEnv): { key: string | null } | { error: string } {
  if (!file) return { key: env.ATTEST_PASSPHRASE || null };
  try {
    return { key: readFileSync(file, 'utf8').split(/\r?\n/)[0] || null };
  } catch (e) {
    return { error: `cannot read the passphrase file: ${(e as Error).message}` };
  }
}

/** A definition from a JSON file, checked against the contract's schema (the raw value is sent on). */
export function definitionFromFile(path: string): { definition: unknown } | { error: string } {
  if (!existsSync(path)) return { error: `--definition: no file ${path}` };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return { error: `--definition: ${path} is not valid JSON: ${(e as Error).message}` };
  }
  const parsed = ReportDefinitionInput.safeParse(raw);
  return parsed.success ? { definition: raw } : { error: `--definition: ${describeIssues(parsed.error.issues).message}` };
}

/** Gives the session a headless Chromium to print with, started on first use; close it after the run. */
export function lendChromium(ctx: Context, env: NodeJS.ProcessEnv): { close: () => Promise<void> } {
  let printer: PdfPrinter | null = null;
  setReportHost(ctx, {
    pdf: async () => {
      const p = await chromiumPdfPrinter(env);
      if (!('unavailable' in p)) printer = p;
      return p;
    },
  });
  return { close: async () => (printer as PdfPrinter | null)?.close?.() };
}
