import { Alert, Anchor, Breadcrumbs, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useState, type ReactNode } from 'react';

export function Section({
  title,
  children,
  testId,
  actions,
}: {
  title: ReactNode;
  children: ReactNode;
  testId?: string;
  actions?: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="center">
          <Title order={4}>{title}</Title>
          {actions}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

export function PageHeader({
  title,
  description,
  actions,
  crumbs,
  badge,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  crumbs?: { label: string; onClick: () => void }[];
  badge?: ReactNode;
}) {
  return (
    <Stack gap={4} mb="md">
      {crumbs && crumbs.length > 0 && (
        <Breadcrumbs separator="›" fz="sm">
          {crumbs.map((c) => (
            <Anchor key={c.label} size="sm" component="button" type="button" onClick={c.onClick}>
              {c.label}
            </Anchor>
          ))}
        </Breadcrumbs>
      )}
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <Stack gap={2}>
          <Group gap="sm">
            <Title order={2} dir="auto">
              {title}
            </Title>
            {badge}
          </Group>
          {description && (
            <Text c="dimmed" size="sm" className="page-description">
              {description}
            </Text>
          )}
        </Stack>
        {actions && <Group gap="xs">{actions}</Group>}
      </Group>
    </Stack>
  );
}

export function ErrorNote({ message, title = 'Not saved' }: { message: string | undefined; title?: string }) {
  if (!message) return null;
  return (
    <Alert color="red" title={title} role="alert" variant="light">
      {message}
    </Alert>
  );
}

/** Under a form: what went wrong, or else what was just done. */
export function FormStatus({ error, notice }: { error: string | undefined; notice: string | undefined }) {
  if (error) return <ErrorNote message={error} />;
  if (!notice) return null;
  return (
    <Text size="sm" c="teal" role="status">
      {notice}
    </Text>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" size="sm">
      {children}
    </Text>
  );
}

/** A label/value pair on a detail page; the value may be Arabic, so its direction follows it. */
export function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <Stack gap={0} data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>
        {label}
      </Text>
      <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} {...(empty ? { c: 'dimmed' } : {})}>
        {empty ? '—' : children}
      </Text>
    </Stack>
  );
}

/**
 * A form's "Not saved" message. A message about fields (`fields: true`) goes away once those fields
 * are fixed (the form clears a field's error as it is edited); any other stays until replaced.
 */
export function useFormError(errors: Record<string, unknown>) {
  const [state, setState] = useState<{ message: string; fields: boolean } | undefined>();
  const fieldsWrong = Object.values(errors).some(Boolean);
  const shown = state && (!state.fields || fieldsWrong) ? state.message : undefined;
  const set = useCallback((message: string | undefined, fields = false) => setState(message ? { message, fields } : undefined), []);
  return [shown, set] as const;
}
