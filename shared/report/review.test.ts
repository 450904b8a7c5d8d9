import { describe, expect, it } from 'vitest';
import { reportCorpus } from '../../test/report-corpus';
import { ReportDefinitionInput, type ReportDefinitionInput as DefInput } from './definition';
import { renderLogCsv } from './csv';
import { renderHtml } from './html';
import { buildAutoRedactedModel, buildReportModel, type BuildInput } from './model';
import { applyReviewDecisions, HAND_REDACTED, modelReviewTexts, replacedSpans, reviewOrder, reviewTexts, type SafeList } from './review';
import type { ReportSource } from './source';

const SAFE: SafeList = { words: ['North Lake Processing Center', 'Baldwin', 'MI'], phrases: ['Officer Pike', 'Jane Doe'], period: { from: '2026-05-01', to: '2026-06-30' } };

const one = (before: string, after: string, decisions = [] as { at: string; text: string; choice: 'accept' | 'redact' }[]) =>
  reviewTexts([{ at: 'incident:X:summary', where: 'A-001, summary', before, after }], SAFE, decisions);

describe('redaction review: spans the redactor replaced', () => {
  it('finds each replaced span and what stood there, whatever the redactor put in its place', () => {
    const before = 'Yusuf Haddad told Sara Ahmed that Haddad’s lawyer called.';
    const after = 'CM-001 told CM-002 that CM-001’s lawyer called.';
    const spans = replacedSpans(before, after).map((s) => [after.slice(s.start, s.end), s.original]);
    expect(spans).toEqual([
      ['CM-001', 'Yusuf Haddad'],
      ['CM-002', 'Sara Ahmed'],
      ['CM-001', 'Haddad'],
    ]);
    const r = one(before, after);
    expect(r.items.filter((i) => i.kind === 'replaced').map((i) => [i.text, i.original, i.occurrences])).toEqual([
      ['CM-001', 'Yusuf Haddad / Haddad', 2],
      ['CM-002', 'Sara Ahmed', 1],
    ]);
    expect(r.counts).toMatchObject({ replaced: 2, suspicious: 0, unreviewed: 0 });
  });

  it('lists no replacement where the text is unchanged', () => {
    expect(replacedSpans('Meals were withheld.', 'Meals were withheld.')).toEqual([]);
  });
});

describe('redaction review: suspicious spans left in public text', () => {
  it('flags a capitalised name the redactor missed, as one span with its context', () => {
    const r = one('Abu Khalid saw it.', 'He said Abu Khalid saw the guard at North Lake Processing Center take the tray.');
    const s = r.items.filter((i) => i.kind === 'suspicious');
    expect(s.map((i) => [i.text, i.reason])).toEqual([['Abu Khalid', 'capitalised']]);
    expect(s[0]).toMatchObject({ before: 'He said ', after: expect.stringMatching(/^ saw the guard/) });
    expect(r.counts.unreviewed).toBe(1);
  });

  it('flags number groups and dates outside the period, in the forms attorneys write them', () => {
    const after = 'His number 212-345-678, born June 2nd, 1975 (also 6/2/75 and 19750602); badge 4471.';
    const got = one(after, after).items.map((i) => [i.text, i.reason]);
    expect(got).toEqual([
      ['212-345-678', 'number'],
      ['June 2nd, 1975', 'date'],
      ['6/2/75', 'date'],
      ['19750602', 'date'],
      ['4471', 'number'],
    ]);
  });

  it('leaves safe words alone: facilities, months, staff by full name, codes, years, dates in the period, common words opening a sentence', () => {
    const after = 'On May 3, 2026 Officer Pike moved CM-001 and W-02 (row A-014, Form I-210) to Baldwin, MI. They said in 2019 it was the same. "We have no water," he said.';
    expect(one(after, after).items).toEqual([]);
  });

  it('flags a common word capitalised inside a sentence, and a staff given name alone', () => {
    const after = 'The guard told Hope that Jane would decide.';
    expect(one(after, after).items.map((i) => i.text)).toEqual(['Hope', 'Jane']);
  });

  it('passes common English words opening a sentence, but not those that are also given names; passes Arabic function words, not other Arabic words', () => {
    const after = 'Nobody came. Will told the guard. Whenever they asked, Said refused. قال الحارس إن يوسف لن يرى محاميه';
    expect(one(after, after).items.map((i) => i.text)).toEqual(['Will', 'Said', 'الحارس', 'يوسف', 'يرى محاميه']);
  });

  it('counts a choice made here, or for every place ("*"), and orders unreviewed spans first', () => {
    const after = 'Yusuf said Okafor and Rami saw it.';
    const r = one('Yusuf Haddad said Okafor and Rami saw it.'.replace('Yusuf Haddad', 'Yusuf'), after, [
      { at: 'incident:X:summary', text: 'Okafor', choice: 'redact' },
      { at: '*', text: 'Yusuf', choice: 'accept' },
    ]);
    expect(r.items.map((i) => [i.text, i.choice])).toEqual([
      ['Yusuf', 'accept'],
      ['Okafor', 'redact'],
      ['Rami', null],
    ]);
    expect(r.counts).toMatchObject({ suspicious: 3, unreviewed: 1, accepted: 1, redacted: 1 });
    expect(reviewOrder(r.items).map((i) => i.text)).toEqual(['Rami', 'Yusuf', 'Okafor']);
  });
});

const CAPTION = { court: 'UNITED STATES DISTRICT COURT', caseName: 'Doe v. Agency', caseNumber: 'No. 2:26-cv-00001' };

function input(source: ReportSource, over: Partial<DefInput> = {}): BuildInput {
  const definition = ReportDefinitionInput.parse({ name: 'June', caption: CAPTION, title: 'Status report', exhibitLabel: 'Exhibit A', periodFrom: '2026-05-01', periodTo: '2026-06-30', ...over });
  return { source, definition, settings: { officeName: '', aNumberInPublic: 'omit' }, generatedAt: '2026-07-20T12:00:00.000Z', appVersion: '0.1.0', definitionId: null };
}

describe('redaction review of a whole exhibit', () => {
  const source = reportCorpus({ incidents: 40, seed: 3 });
  const row = source.rows.find((r) => r.includeInReport && r.status !== 'excluded' && r.person.consent)!;
  // A nickname nobody recorded: the redactor cannot know it, the review must show it.
  const withNickname: ReportSource = { ...source, rows: source.rows.map((r) => (r === row ? { ...r, summary: `${r.summary} His friend Abu Samir was there.` } : r)) };

  it('reviews every free text of the public model against the sealed one, and finds the nickname', () => {
    const i = input(withNickname, { methodNote: 'Declarations were taken by Rasha Odeh.' });
    const pub = buildAutoRedactedModel({ ...i, definition: { ...i.definition, profile: 'public' } });
    const sealed = buildAutoRedactedModel({ ...i, definition: { ...i.definition, profile: 'sealed' } });
    const review = reviewTexts(modelReviewTexts(sealed, pub, 1), SAFE, []);
    const at = `incident:${row.incidentId}:summary`;
    expect(review.items.find((x) => x.at === at && x.text === 'Abu Samir')).toMatchObject({ kind: 'suspicious', reason: 'capitalised' });
    expect(review.items.find((x) => x.at === 'methodNote:0' && x.text === 'Rasha Odeh')).toBeTruthy();
    expect(review.items.some((x) => x.at === at && x.kind === 'replaced' && x.original.includes(row.person.givenName))).toBe(true);
    // The app's own method-note paragraphs (after the typed one) are fixed wording: nothing there is listed.
    expect(review.items.filter((x) => x.at.startsWith('methodNote:') && x.at !== 'methodNote:0')).toEqual([]);
    expect(pub.methodNote.length).toBeGreaterThan(1);
  });

  it('a "redact by hand" choice takes the span out of the public model, so out of every format; the sealed model keeps it', () => {
    const decisions = [
      { at: `incident:${row.incidentId}:summary`, text: 'Abu Samir', choice: 'redact' as const },
      { at: '*', text: 'Rasha Odeh', choice: 'redact' as const },
    ];
    const i = input(withNickname, { methodNote: 'Declarations were taken by Rasha Odeh.', review: decisions, columns: ['rowId', 'person', 'summary', 'ownWords'] });
    const m = buildReportModel(i);
    const html = renderHtml(m);
    const csv = renderLogCsv(m);
    for (const out of [html, csv, JSON.stringify(m)]) {
      expect(out).not.toContain('Abu Samir');
      expect(out).toContain(HAND_REDACTED);
    }
    expect(html).not.toContain('Rasha Odeh');
    const sealed = buildReportModel({ ...i, definition: { ...i.definition, profile: 'sealed' } });
    expect(JSON.stringify(sealed)).toContain('Abu Samir');
    // Accepting changes nothing.
    expect(applyReviewDecisions(m, [{ at: '*', text: 'Status', choice: 'accept' }])).toBe(m);
  });
});
