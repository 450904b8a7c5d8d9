import type { ReactNode } from 'react';
import classes from './cells.module.css';

// Plain elements for table cells: a list redraws dozens of rows per scrolled frame, and full
// Mantine components there cost more than the frame has.
export function Tag({ children, tone = 'indigo' }: { children: ReactNode; tone?: 'indigo' | 'teal' | 'gray' | 'blue' }) {
  return (
    <span className={classes.tag} data-tone={tone}>
      {children}
    </span>
  );
}

/**
 * Several tags on one line of a fixed-width cell: a tag too long for the room left ends in an
 * ellipsis inside its pill (later tags give way first), never cut mid-word by the cell's edge. The
 * full labels stay in the text (read by screen readers) and show on hover.
 */
export function Tags({ labels, testId }: { labels: readonly string[]; testId?: string }) {
  return (
    <span className={classes.tags} title={labels.join(', ')} data-testid={testId}>
      {labels.map((l) => (
        <span key={l} className={classes.tag} data-tone="indigo">
          {l}
        </span>
      ))}
    </span>
  );
}

export function Dim({ children }: { children: ReactNode }) {
  return <span className={classes.dim}>{children}</span>;
}
