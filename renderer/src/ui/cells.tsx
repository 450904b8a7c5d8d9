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

export function Dim({ children }: { children: ReactNode }) {
  return <span className={classes.dim}>{children}</span>;
}
