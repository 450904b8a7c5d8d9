// One line in the header: does the tamper-evident history still verify?
import { Badge, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { VerifyReport } from '../../../../shared/safety';
import { call } from '../../api/client';

/** Fired after a restore (or anything else that swaps the history) to check again at once. */
export const VERIFY_AGAIN = 'attest-verify-again';

const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

/** What the tooltip says about the chain tips recorded outside the database (backups, tip file, manifests). */
function tipsNote(report: VerifyReport): string {
  const t = report.recordedTips;
  if (!t) return '';
  if (t.checked === 0) return ' No chain tip is recorded outside the database yet (the first backup records one).';
  return ` It reaches all ${t.checked} chain tips recorded in backups and exports${t.superseded ? ` (${t.superseded} set aside by a confirmed restore)` : ''}.`;
}

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
        label={`${
          whole === latest
            ? `Whole history checked ${latest}.`
            : `Whole history checked ${whole}; entries added since, checked ${latest}.`
        }${tipsNote(report)} Click to check it all again.`}
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
  // A tip recorded outside the database that the history no longer reaches: cut short or rewritten.
  if (report.firstBroken?.table === 'recorded-tip') {
    return (
      <Tooltip label={report.firstBroken.problem} multiline w={460} withArrow>
        <Badge color="red" data-testid="verify-status" maw={560} style={{ textTransform: 'none' }}>
          History CUT OR REWRITTEN: {report.firstBroken.problem}
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Tooltip label={report.firstBroken?.problem} multiline w={460} withArrow>
      <Badge color="red" data-testid="verify-status" maw={560} style={{ textTransform: 'none' }}>
        History BROKEN{report.firstBroken?.seq != null ? ` at entry ${report.firstBroken.seq}` : ''}: {report.firstBroken?.problem}
      </Badge>
    </Tooltip>
  );
}

