import type { Caption } from './definition';

// The caption's judge lines as a court prints them. A paralegal often types the title with the
// name ("Hon. Mark A. Goldsmith", "Magistrate Judge David R. Grand"); the title is printed once.

const HONORABLE = /^\s*(?:the\s+)?(?:hon(?:ou?rable|\.|\s)|judge\s)\s*/i;
const MAGISTRATE = /^\s*(?:(?:the\s+)?hon(?:ou?rable|\.|\s)\s*)?(?:u\.?\s?s\.?\s+)?(?:chief\s+)?magistrate(?:\s+judge)?\s+/i;

export function judgeLine(judge: string): string {
  const name = judge.replace(HONORABLE, '').trim();
  return name ? `Hon. ${name}` : '';
}

export function magistrateLine(magistrate: string): string {
  const name = magistrate.replace(MAGISTRATE, '').replace(HONORABLE, '').trim();
  return name ? `Magistrate Judge ${name}` : '';
}

/** The lines right of the parties: case number, judge, magistrate judge, "Class Action". */
export function captionRightLines(c: Caption): string[] {
  return [c.caseNumber, judgeLine(c.judge), magistrateLine(c.magistrateJudge), c.classAction ? 'Class Action' : ''].filter(Boolean);
}

/** "HAMAMA, et al., v. ADDUCCI" style one-line case name, without doubled punctuation. */
export function caseLine(c: Caption): string {
  return `${c.caseName.replace(/[\s,;]+$/, '')}, ${c.caseNumber}`;
}
