import type { z } from 'zod';
import { fieldErrors } from './api';

/** Mantine form validation from the same zod schema the contract uses. */
export function zodValidate<S extends z.ZodType>(schema: S) {
  return (values: unknown): Record<string, string> => {
    const r = schema.safeParse(values);
    if (r.success) return {};
    return fieldErrors(
      r.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })),
    );
  };
}
