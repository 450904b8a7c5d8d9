import type { z } from 'zod';

/** One channel: what it does, its input and output, and whether it is a write. */
export interface ChannelSpec {
  summary: string;
  input: z.ZodType;
  output: z.ZodType;
  /**
   * A synchronous write to the database: dispatch runs the handler in one IMMEDIATE transaction (so
   * the busy timeout applies and nothing partial is kept) and an automatic backup may follow it.
   */
  write?: true;
}

export type Spec<I extends z.ZodType, O extends z.ZodType> = { summary: string; input: I; output: O };
export type WriteSpec<I extends z.ZodType, O extends z.ZodType> = Spec<I, O> & { write: true };
