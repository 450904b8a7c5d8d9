import type { LogColumn, RedactionProfile } from './definition';
import { SHORT_LABELS, type LogRow, type ReportModel } from './model';

// How each incident-log column reads: as a printed cell (a few lines) and as flat spreadsheet
// columns (one value each), so every format shows the same content.

export function columnLabel(c: LogColumn, profile: RedactionProfile): string {
  switch (c) {
    case 'rowId':
      return 'No.';
    case 'person':
      return profile === 'public' ? 'Filing code' : 'Person';
    case 'aNumber':
      return profile === 'sealed' ? 'A-number' : 'A-number (last 3)';
    case 'birth':
      return profile === 'sealed' ? 'Birth date' : 'Birth year';
    case 'facility':
      return 'Facility';
    case 'date':
      return 'Date';
    case 'categories':
      return 'Categories';
    case 'standard':
      return 'Standard implicated';
    case 'summary':
      return 'Summary';
    case 'ownWords':
      return 'In their words';
    case 'circumstances':
      return 'Counsel, document, grievance';
    case 'source':
      return 'Source';
  }
}

export function cellLines(c: LogColumn, r: LogRow): string[] {
  switch (c) {
    case 'rowId':
      return [r.rowId];
    case 'person':
      return r.personOriginal ? [r.person, r.personOriginal] : [r.person];
    case 'aNumber':
      return [r.aNumber];
    case 'birth':
      return [r.birth];
    case 'facility':
      return [r.facilityName, `${r.facilityCity}, ${r.facilityState}`];
    case 'date':
      return [r.date];
    case 'categories':
      return r.categories;
    case 'standard':
      return r.standards;
    case 'summary':
      return [r.summary];
    case 'ownWords':
      return r.ownWords ? [r.ownWords] : [];
    case 'circumstances':
      return [
        `Counsel: ${r.counselPresent.toLowerCase()}`,
        r.documentType ? `${r.documentType}: ${r.documentSigned === 'Yes' ? 'signed' : r.documentSigned === 'No' ? 'not signed' : 'signing unknown'}` : 'No document',
        `Grievance: ${r.grievance.charAt(0).toLowerCase()}${r.grievance.slice(1)}`,
      ];
    case 'source':
      return [r.interviewDate ? `Interview ${r.interviewDate}` : 'No interview recorded', ...(r.declaration ? [`declaration ${r.declaration}`] : [])];
  }
}

export interface FlatColumn {
  header: string;
  value: (r: LogRow) => string;
  /** Relative width for spreadsheets. */
  width: number;
}

export function flatColumns(model: ReportModel): FlatColumn[] {
  const out: FlatColumn[] = [];
  for (const c of model.log.columns) {
    switch (c) {
      case 'facility':
        out.push({ header: 'Facility', value: (r) => r.facilityName, width: 30 });
        out.push({ header: 'City', value: (r) => r.facilityCity, width: 16 });
        out.push({ header: 'State', value: (r) => r.facilityState, width: 7 });
        break;
      case 'date':
        out.push({ header: 'Date', value: (r) => r.date, width: 22 });
        out.push({ header: 'Date (ISO)', value: (r) => r.dateIso, width: 12 });
        out.push({ header: 'Approximate', value: (r) => (r.dateApprox ? 'approx.' : ''), width: 11 });
        break;
      case 'categories':
        out.push({ header: 'Categories', value: (r) => r.categories.join('; '), width: 30 });
        out.push({ header: 'Category codes', value: (r) => r.categoryCodes.join('; '), width: 24 });
        break;
      case 'circumstances':
        out.push({ header: 'Counsel present', value: (r) => r.counselPresent, width: 10 });
        out.push({ header: 'Document', value: (r) => r.documentType, width: 22 });
        out.push({ header: 'Document signed', value: (r) => r.documentSigned, width: 10 });
        out.push({ header: 'Grievance', value: (r) => r.grievance, width: 24 });
        break;
      case 'source':
        out.push({ header: 'Interview date', value: (r) => r.interviewDate, width: 12 });
        out.push({ header: 'Declaration', value: (r) => r.declaration, width: 14 });
        break;
      case 'summary':
        out.push({ header: 'Summary', value: (r) => r.summary, width: 60 });
        break;
      case 'ownWords':
        out.push({ header: 'In their words', value: (r) => r.ownWords, width: 50 });
        break;
      case 'standard':
        out.push({ header: 'Standard implicated', value: (r) => r.standards.join('; '), width: 30 });
        break;
      case 'person':
        out.push({ header: columnLabel(c, model.profile), value: (r) => r.person, width: 28 });
        if (model.profile === 'sealed') out.push({ header: 'Name in original script', value: (r) => r.personOriginal, width: 24 });
        break;
      default: {
        const label = columnLabel(c, model.profile);
        out.push({ header: label, value: (r) => cellLines(c, r).join(' '), width: 10 });
      }
    }
  }
  return out;
}

/** A cell that a spreadsheet would read as a formula (= + - @, tab, CR) gets a leading apostrophe. */
export function neutralise(v: string): string {
  const c = v.charCodeAt(0); // = + - @ tab CR (NaN for an empty cell)
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 ? `'${v}` : v;
}

export interface DisplayColumn {
  key: LogColumn;
  label: string;
  lines: (r: LogRow) => string[];
}

/** A date as printed in the log: each date whole on one line ("approx." and "to" on lines of their own). */
export function dateLines(r: LogRow): string[] {
  const text = r.dateApprox ? r.date.replace(/^approx\.\s*/, '') : r.date;
  const [from, to] = text.split(' to ');
  return [...(r.dateApprox ? ['approx.'] : []), ...(to ? [`${from} to`, to] : [from ?? text])];
}

/** Document kinds by the short name a filing uses for them (anything else is printed as it is). */
const SHORT_DOCUMENTS: Record<string, string> = { 'I-210 voluntary departure': 'I-210', 'Stipulated removal': 'Stip. removal', 'Travel document': 'Travel doc.', 'Other document': 'Other doc.' };

/**
 * The circumstances as printed, in short lines: counsel, the document pressed, the grievance. The
 * grievance's answer (free text of any length) is printed under the summary, where the width is.
 */
function circumstanceLines(r: LogRow): string[] {
  const signed = r.documentSigned === 'Yes' ? 'signed' : r.documentSigned === 'No' ? 'not signed' : 'signed?';
  const grievance = r.grievance.startsWith('Filed') ? 'filed' : r.grievance.toLowerCase();
  return [`Counsel: ${r.counselPresent.toLowerCase()}`, r.documentType ? `${SHORT_DOCUMENTS[r.documentType] ?? r.documentType} ${signed}` : 'No document', `Grievance: ${grievance}`];
}

/** The grievance's answer as the log prints it under the summary ("" when there is none). */
export function grievanceAnswer(r: LogRow): string {
  const m = /^Filed; answer: ([\s\S]*)$/.exec(r.grievance);
  return m ? m[1]! : '';
}

/**
 * The printed log's columns, laid out for at least six rows to a landscape page at 14 points:
 * the row number and filing code share one narrow column (a public person is their code), a
 * facility is its short name (the facility legend gives it in full, with its place), categories
 * their short labels (the category legend gives them in full), dates whole on one line, and the
 * summary the width. The A-number and birth lines go into the person's cell, the standard under
 * the categories, and the person's own words under the summary; spreadsheets keep them in columns
 * of their own.
 */
export function displayColumns(model: ReportModel): DisplayColumn[] {
  const cols = model.log.columns;
  const has = (c: LogColumn) => cols.includes(c);
  // A public person is only their filing code: it goes under the row number.
  const codeWithRow = has('rowId') && has('person') && model.profile === 'public' && !has('aNumber') && !has('birth');
  const out: DisplayColumn[] = [];
  for (const c of cols) {
    if (c === 'person' && codeWithRow) continue;
    if (c === 'rowId' && codeWithRow) {
      out.push({ key: c, label: 'No. / code', lines: (r) => [r.rowId, r.person] });
      continue;
    }
    // The facility's short name and the date share a column: each is a line or two.
    if (c === 'facility') {
      out.push({ key: c, label: has('date') ? 'Facility, date' : 'Facility', lines: (r) => [r.facilityShort, ...(has('date') ? dateLines(r) : [])] });
      continue;
    }
    if (c === 'date') {
      if (!has('facility')) out.push({ key: c, label: 'Date', lines: dateLines });
      continue;
    }
    if (c === 'circumstances') {
      out.push({ key: c, label: 'Circumstances', lines: (r) => [...circumstanceLines(r), ...(!has('summary') && grievanceAnswer(r) ? [`Answer: ${grievanceAnswer(r)}`] : [])] });
      continue;
    }
    if (c === 'source') {
      out.push({ key: c, label: 'Interview (decl.)', lines: (r) => [r.interviewDate || 'none', ...(r.declaration ? [r.declaration] : [])] });
      continue;
    }
    if (c === 'aNumber' && has('person')) continue;
    if (c === 'birth' && (has('person') || has('aNumber'))) continue;
    if (c === 'standard' && has('categories')) continue;
    if (c === 'ownWords' && has('summary')) continue;
    if (c === 'person' || (c === 'aNumber' && !has('person'))) {
      out.push({
        key: c,
        label: columnLabel(c === 'person' ? 'person' : 'aNumber', model.profile),
        lines: (r) => [
          ...(c === 'person' ? cellLines('person', r) : []),
          ...(has('aNumber') && r.aNumber ? [`A-number ${r.aNumber}`] : []),
          ...(has('birth') && r.birth ? [`Born ${r.birth}`] : []),
        ],
      });
    } else if (c === 'categories') {
      out.push({ key: c, label: has('standard') ? 'Categories (standard)' : 'Categories', lines: (r) => [...r.categoryCodes.map((k) => SHORT_LABELS[k]), ...(has('standard') ? r.standards.map((s) => `(${s})`) : [])] });
    } else if (c === 'summary') {
      const answer = has('circumstances');
      out.push({
        key: c,
        label: 'Summary',
        lines: (r) => [r.summary, ...(has('ownWords') && r.ownWords ? [`In their words: ${r.ownWords}`] : []), ...(answer && grievanceAnswer(r) ? [`Grievance answer: ${grievanceAnswer(r)}`] : [])],
      });
    } else {
      out.push({ key: c, label: columnLabel(c, model.profile), lines: (r) => cellLines(c, r) });
    }
  }
  return out;
}
