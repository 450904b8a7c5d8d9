// One line in the header: does the tamper-evident history still verify?
import { Badge, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { VerifyReport } from '../../../../shared/safety';
import { call } from '../../api/client';

/** Fired after a restore (or anything else that swaps the history) to check again at once. */
export const VERIFY_AGAIN = 'attest-verify-again';

const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

export function VerifyStatus() {
  const [report, setReport] = useState<VerifyReport>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  /** Re-reads the whole history (the periodic check reads only what is new). */
  const checkAll = async () => {
    setBusy(true);
    const r = await call('audit:verify', { full: true });
    setBusy(false);
    if (r.ok) setReport(r.data);
    else setError(r.error.message);
  };
  useEffect(() => {
    const check = async () => {
      const r = await call('audit:verify', {});
      if (r.ok) setReport(r.data);
      else setError(r.error.message);
    };
    void check();
    const t = setInterval(() => void check(), 30_000);
    const now = () => void check();
    window.addEventListener(VERIFY_AGAIN, now);
    return () => {
      clearInterval(t);
      window.removeEventListener(VERIFY_AGAIN, now);
    };
  }, []);
  if (error) return <Badge color="red" data-testid="verify-status">History check failed: {error}</Badge>;
  if (!report) return null;
  if (report.ok) {
    const whole = new Date(report.wholeHistoryCheckedAt).toLocaleString();
    const latest = new Date(report.checkedAt).toLocaleString();
    return (
      <Tooltip
        multiline
        w={320}
        label={
          whole === latest
            ? `Whole history checked ${latest}. Click to check it all again.`
            : `Whole history checked ${whole}; entries added since, checked ${latest}. Click to check it all again.`
        }
      >
        <Badge
          color="green"
          variant="light"
          data-testid="verify-status"
          component="button"
          style={{ cursor: busy ? 'progress' : 'pointer' }}
          onClick={() => void checkAll()}
        >
          {busy ? 'Checking the whole history…' : `History verified: ${entries(report.auditRows)} intact`}
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge color="red" data-testid="verify-status" title={report.firstBroken?.problem}>
      History BROKEN{report.firstBroken?.seq != null ? ` at entry ${report.firstBroken.seq}` : ''}: {report.firstBroken?.problem}
    </Badge>
  );
}
