// Run by bench-worker.ts in a process of its own: one export of every incident of a database
// (the formats given, CSV and HTML by default), in this thread; prints the peak resident memory of
// the process (maxRSS, which nothing before the export has raised) and the largest JS heap seen, as JSON.
// Usage: tsx scripts/bench-export-heap.ts FILE FOLDER [FORMAT,FORMAT…]
import { getHeapStatistics } from 'node:v8';
import { openSession } from '../electron/core/session';

const [file, folder, formatList] = process.argv.slice(2);
const formats = (formatList ?? 'csv,html').split(',');
if (!file || !folder) throw new Error('usage: bench-export-heap.ts FILE FOLDER');
const s = openSession(file, { user: 'bench', check: 'none' });
const rssBefore = process.resourceUsage().maxRSS;
let heapPeak = getHeapStatistics().used_heap_size;
// Sampled between the export's steps (each step's own peak is not seen): a lower bound.
const timer = setInterval(() => (heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size)), 2);
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
  },
  formats,
  includeKey: false,
  folder,
});
clearInterval(timer);
heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
if (!r.ok) throw new Error(`export failed: ${r.error.message}`);
const incidents = (r.data as { export: { incidentCount: number } }).export.incidentCount;
s.vault.closeQuietly();
console.log(JSON.stringify({ formats, incidents, ms: performance.now() - t, rssBeforeKb: rssBefore, maxRssKb: process.resourceUsage().maxRSS, heapPeakBytes: heapPeak }));
