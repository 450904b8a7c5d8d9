import { Badge, Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import type { ReportDefinitionInput, ReviewDecision } from '../../../../shared/report/definition';
import { decisionIndex } from '../../../../shared/report/review-choices';
import { call } from '../../api/client';
import { Empty, Section } from '../../ui/components';
import { previewNote } from './period';

// The redaction review of the public exhibit, in the report builder: every span automatic
// redaction replaced and every suspicious span it left, each to accept or redact by hand. Choices
// are part of the definition (saved and versioned with it); the export applies them to the model.

type Review = ChannelOutput<'reports:review'>;
type Item = Review['items'][number];
type Choice = ReviewDecision['choice'];

/** How many items the page asks for: unreviewed ones come first, so these are the ones to work on. */
const REVIEW_LIMIT = 500;
/** Items laid out at once; "Show more" adds as many again. */
const PAGE = 40;

/** The review of a definition's public exhibit, rebuilt shortly after each change (as the preview is). */
export function useRedactionReview(definition: ReportDefinitionInput, enabled: boolean): { review: Review | undefined; error: string | undefined } {
  const [review, setReview] = useState<Review>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!enabled) {
      setReview(undefined);
      setError(undefined);
      return;
    }
    const t = setTimeout(async () => {
      const r = await call('reports:review', { definition, limit: REVIEW_LIMIT });
      if (r.ok) {
        setReview(r.data);
        setError(undefined);
      } else setError(previewNote(r.error, 'the review'));
    }, 300);
    return () => clearTimeout(t);
  }, [definition, enabled]);
  return { review, error };
}

/** The decisions with one choice set (or, when it is the choice already made there, taken back). */
export function withChoice(decisions: readonly ReviewDecision[], at: string, text: string, choice: Choice): ReviewDecision[] {
  const same = (d: ReviewDecision) => d.text === text && (at === '*' || d.at === at);
  const had = decisions.find((d) => d.at === at && d.text === text);
  const rest = decisions.filter((d) => !same(d));
  return had?.choice === choice ? rest : [...rest, { at, text, choice }];
}

const REASON_LABELS: Record<Item['reason'], string> = {
  name: 'name replaced',
  capitalised: 'possible name',
  number: 'number group',
  date: 'date',
};

type Filter = 'unreviewed' | 'suspicious' | 'replaced';

export function RedactionReviewPanel({
  review,
  error,
  decisions,
  onChange,
}: {
  review: Review | undefined;
  error: string | undefined;
  decisions: readonly ReviewDecision[];
  onChange: (next: ReviewDecision[]) => void;
}) {
  const [filter, setFilter] = useState<Filter>('unreviewed');
  const [shown, setShown] = useState(PAGE);
  const list = useRef<HTMLDivElement>(null);
  // Choices show at once, from the draft; the counts follow when the review is rebuilt.
  const choiceOf = useMemo(() => decisionIndex(decisions), [decisions]);
  const items = useMemo(() => {
    const all = review?.items ?? [];
    if (filter === 'replaced') return all.filter((i) => i.kind === 'replaced');
    const suspicious = all.filter((i) => i.kind === 'suspicious');
    return filter === 'unreviewed' ? suspicious.filter((i) => choiceOf(i.at, i.text) === null) : suspicious;
  }, [review, filter, choiceOf]);

  const choose = (item: Item, choice: Choice, everywhere = false) => onChange(withChoice(decisions, everywhere ? '*' : item.at, item.text, choice));
  const itemsOnPage = () => [...(list.current?.querySelectorAll<HTMLElement>('[data-review-item]') ?? [])];
  const focusItem = (from: HTMLElement, step: number) => {
    const all = itemsOnPage();
    all[all.indexOf(from) + step]?.focus();
  };
  const onKey = (item: Item) => (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return; // keys on a button inside do what the button does
    const key = e.key.toLowerCase();
    if (key === 'a' || key === 'r') {
      e.preventDefault();
      const at = itemsOnPage().indexOf(e.currentTarget);
      choose(item, key === 'a' ? 'accept' : 'redact', e.shiftKey);
      // On to the next item: in "Unreviewed" the chosen one leaves the list and the next takes its place.
      requestAnimationFrame(() => {
        const all = itemsOnPage();
        (all[filter === 'unreviewed' ? at : at + 1] ?? all[all.length - 1])?.focus();
      });
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp' || key === 'j' || key === 'k') {
      e.preventDefault();
      focusItem(e.currentTarget, e.key === 'ArrowDown' || key === 'j' ? 1 : -1);
    }
  };

  const c = review?.counts;
  return (
    <Section
      title="Redaction review"
      testId="redaction-review"
      actions={
        c && (
          <Badge size="lg" color={c.unreviewed ? 'orange' : 'teal'} variant="light" data-testid="review-unreviewed">
            {c.unreviewed ? `${c.unreviewed} to review` : 'All reviewed'}
          </Badge>
        )
      }
    >
      <Text size="sm" c="dimmed">
        Before filing, look at every capitalised word, number group and date the public exhibit still shows, and at every name redaction
        replaced. Accept what may be filed, redact the rest by hand: choices are saved with the definition and listed in the export manifest.
        Keys on a selected item: ↑ ↓ move, A accept, R redact (with Shift: everywhere in the exhibit).
      </Text>
      {error && (
        <Text c="dimmed" size="sm" role="status">
          {error}
        </Text>
      )}
      {c && (
        <SegmentedControl
          aria-label="Which review items"
          value={filter}
          onChange={(v) => {
            setFilter(v as Filter);
            setShown(PAGE);
          }}
          data={[
            { value: 'unreviewed', label: `Unreviewed (${c.unreviewed})` },
            { value: 'suspicious', label: `Suspicious (${c.suspicious})` },
            { value: 'replaced', label: `Replaced (${c.replaced})` },
          ]}
        />
      )}
      {review && !items.length && <Empty>{filter === 'unreviewed' ? 'Every suspicious span has a choice.' : 'Nothing here.'}</Empty>}
      <Stack gap={6} ref={list} role="list" aria-label="Review items">
        {items.slice(0, shown).map((item) => {
          const choice = choiceOf(item.at, item.text);
          return (
            <div
              key={`${item.kind}|${item.at}|${item.text}`}
              role="listitem"
              tabIndex={0}
              data-review-item
              data-testid="review-item"
              aria-label={`${item.where}: ${item.text}, ${choice ? (choice === 'accept' ? 'accepted' : 'redacted by hand') : 'not reviewed'}`}
              onKeyDown={onKey(item)}
              data-choice={choice ?? 'none'}
              style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6, padding: '6px 8px' }}
            >
              <Group gap={6} justify="space-between" wrap="nowrap">
                <Group gap={6}>
                  <Text size="xs" c="dimmed">
                    {item.where}
                  </Text>
                  <Badge size="xs" variant="outline" color={item.kind === 'replaced' ? 'gray' : 'orange'}>
                    {REASON_LABELS[item.reason]}
                  </Badge>
                  {item.occurrences > 1 && (
                    <Text size="xs" c="dimmed">
                      ×{item.occurrences}
                    </Text>
                  )}
                </Group>
                {choice && (
                  <Badge size="sm" color={choice === 'accept' ? 'teal' : 'red'} data-testid="review-choice">
                    {choice === 'accept' ? 'Accepted' : 'Redacted by hand'}
                  </Badge>
                )}
              </Group>
              <Text size="sm" dir="auto">
                {item.before}
                <mark>{choice === 'redact' ? <s>{item.text}</s> : item.text}</mark>
                {item.after}
              </Text>
              {item.kind === 'replaced' && (
                <Text size="xs" c="dimmed">
                  In the records: “{item.original}”
                </Text>
              )}
              <Group gap={6} mt={4}>
                <Button size="compact-xs" variant={choice === 'accept' ? 'filled' : 'default'} color="teal" aria-pressed={choice === 'accept'} onClick={() => choose(item, 'accept')}>
                  Accept
                </Button>
                <Button size="compact-xs" variant={choice === 'redact' ? 'filled' : 'default'} color="red" aria-pressed={choice === 'redact'} onClick={() => choose(item, 'redact')}>
                  Redact
                </Button>
                <Button size="compact-xs" variant="subtle" onClick={() => choose(item, 'accept', true)}>
                  Accept everywhere
                </Button>
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => choose(item, 'redact', true)}>
                  Redact everywhere
                </Button>
              </Group>
            </div>
          );
        })}
      </Stack>
      {items.length > shown && (
        <Button variant="subtle" size="compact-sm" onClick={() => setShown((n) => n + PAGE)}>
          Show more ({items.length - shown} not shown)
        </Button>
      )}
      {review && review.total > review.items.length && (
        <Text size="xs" c="dimmed">
          The review lists the first {review.items.length.toLocaleString()} of {review.total.toLocaleString()} items, unreviewed ones first.
        </Text>
      )}
    </Section>
  );
}
