// Names the redaction review may leave in a public exhibit without asking: facilities (with their
// towns and operators) as words, and staff (the office's and those named on incidents, with badge
// numbers) as whole names only.
import type { Db } from '../driver';
import { stmt } from '../stmt';

export function reviewSafeNames(db: Db, period: { from: string; to: string }): { words: string[]; phrases: string[] } {
  const words: string[] = [];
  for (const f of stmt(db, `SELECT name, city, state, operator_name AS operatorName FROM facilities`).all() as { name: string; city: string; state: string; operatorName: string | null }[]) {
    words.push(f.name, f.city, f.state, ...(f.operatorName ? [f.operatorName] : []));
  }
  const phrases = (stmt(db, `SELECT name FROM staff WHERE deleted_at IS NULL`).all() as { name: string }[]).map((s) => s.name);
  const involved = stmt(
    db,
    `SELECT staff_involved AS staff FROM incidents WHERE deleted_at IS NULL AND staff_involved <> '[]' AND occurred_on <= ? AND coalesce(occurred_until, occurred_on) >= ?`,
  ).all(period.to, period.from) as { staff: string }[];
  for (const r of involved) {
    for (const s of JSON.parse(r.staff) as { name?: string | null; badge?: string | null }[]) {
      if (s.name) phrases.push(s.name);
      if (s.badge) phrases.push(s.badge);
    }
  }
  return { words, phrases: [...new Set(phrases)] };
}
