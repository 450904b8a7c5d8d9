// Run by bench-worker.ts in a process of its own: one export of every incident of a database
// (the formats given, CSV and HTML by default), in this thread; prints the peak resident memory of
// the process (maxRSS, which nothing before the export has raised) and the JS heap's peak, as JSON.
// The heap's peak is the largest heap in use V8 reports before any garbage collection during the
// export (v8.GCProfiler: it sees the synchronous stretches, which a timer cannot), or sampled
// between the export's steps, whichever is larger. `liveAfterGcBytes` is the largest heap left after
// any collection (a scavenge leaves the old generation's garbage in it); `liveAfterFullGcBytes` the
// largest left after a full (mark-compact) collection: what the export really holds, garbage
// aside. V8 lets the old generation grow to a few times that before it collects it again, so the
// peak follows when the last full collection fell more than what the export holds.
// Usage: tsx scripts/bench-export-heap.ts FILE FOLDER [FORMAT,FORMAT…] [PROFILE]
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { openSession } from '../electron/core/session';

const [file, folder, formatList, profile] = process.argv.slice(2);
const formats = (formatList ?? 'csv,html').split(',');
if (!file || !folder) throw new Error('usage: bench-export-heap.ts FILE FOLDER');
const s = openSession(file, { user: 'bench', check: 'none' });
const rssBefore = process.resourceUsage().maxRSS;
const heapBefore = getHeapStatistics().used_heap_size;
let heapPeak = heapBefore;
const timer = setInterval(() => (heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size)), 2);
const gc = new GCProfiler();
gc.start();
const t = performance.now();
const r = await s.dispatch('reports:export', {
  definition: {
    name: 'Bench',
    caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'Bench v. Bench', caseNumber: 'No. 1' },
    title: 'Status report',
    exhibitLabel: 'Exhibit A',
    periodFrom: '2000-01-01',
    periodTo: '2030-12-31',
    filters: { consentOnly: false, includedOnly: false, statuses: ['new', 'verified', 'excluded'] },
    ...(profile ? { profile } : {}),
  },
  formats,
  includeKey: false,
  folder,
});
const ms = performance.now() - t;
clearInterval(timer);
let live = 0;
let liveFull = 0;
let fullGcs = 0;
for (const e of gc.stop()?.statistics ?? []) {
  heapPeak = Math.max(heapPeak, e.beforeGC.heapStatistics.usedHeapSize);
  live = Math.max(live, e.afterGC.heapStatistics.usedHeapSize);
  if (e.gcType === 'MarkSweepCompact') {
    fullGcs++;
    liveFull = Math.max(liveFull, e.afterGC.heapStatistics.usedHeapSize);
  }
}
heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
if (!r.ok) throw new Error(`export failed: ${r.error.message}`);
const incidents = (r.data as { export: { incidentCount: number } }).export.incidentCount;
s.vault.closeQuietly();
console.log(JSON.stringify({ formats, incidents, ms, rssBeforeKb: rssBefore, maxRssKb: process.resourceUsage().maxRSS, heapBeforeBytes: heapBefore, heapPeakBytes: heapPeak, liveAfterGcBytes: live, liveAfterFullGcBytes: liveFull, fullGcs }));
