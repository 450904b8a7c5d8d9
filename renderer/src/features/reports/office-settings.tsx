import { Button, Group, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import type { ReportDefinitionInput } from '../../../../shared/report/definition';
import { call } from '../../api/client';
import { FormStatus, Section } from '../../ui/components';

export type OfficeSettings = ChannelOutput<'reports:settings'>;

/**
 * The office's report settings: its name, how much of an A-number a public exhibit shows, and the
 * caption and signature every new report definition starts from (taken from the definition being
 * edited, so the caption is typed in one place only).
 */
export function OfficeSettingsPanel({ settings, definition, onSaved }: { settings: OfficeSettings | undefined; definition: ReportDefinitionInput; onSaved: (s: OfficeSettings) => void }) {
  const [officeName, setOfficeName] = useState('');
  const [policy, setPolicy] = useState<OfficeSettings['aNumberInPublic']>('omit');
  const [bates, setBates] = useState({ prefix: 'ATTEST', start: 1, digits: 6 });
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  // The form follows the stored settings whenever they arrive or are saved.
  useEffect(() => {
    if (!settings) return;
    setOfficeName(settings.officeName);
    setPolicy(settings.aNumberInPublic);
    if (settings.bates) setBates(settings.bates);
  }, [settings]);

  const save = async (withDefaults: boolean) => {
    if (!settings) return;
    const next = {
      ...settings,
      officeName,
      aNumberInPublic: policy,
      bates,
      ...(withDefaults ? { caption: definition.caption, signature: definition.signature } : {}),
    };
    const r = await call('reports:save-settings', next);
    if (!r.ok) {
      setError(withDefaults ? `The caption cannot become the office default: ${r.error.message}` : r.error.message);
      setNotice(undefined);
      return;
    }
    setError(undefined);
    setNotice(withDefaults ? 'This caption and signature are now the office default for new definitions' : 'Office settings saved');
    onSaved(r.data);
  };

  const caption = settings?.caption;
  return (
    <Section title="Office settings" testId="office-settings">
      <Stack gap="sm">
        <TextInput label="Office name" value={officeName} onChange={(e) => setOfficeName(e.currentTarget.value)} />
        <div>
          <Text size="sm" fw={500} id="a-number-policy">
            A-numbers in public exhibits
          </Text>
          <SegmentedControl
            aria-labelledby="a-number-policy"
            data={[
              { value: 'omit', label: 'Omit' },
              { value: 'last3', label: 'Last 3 digits' },
            ]}
            value={policy}
            onChange={(v) => setPolicy(v as OfficeSettings['aNumberInPublic'])}
          />
          <Text size="xs" c="dimmed">
            Sealed exhibits always show the full A-number; internal copies show the last 3 digits.
          </Text>
        </div>
        <Group align="end">
          <TextInput label="Bates prefix" description="Stamped on every page of a filing bundle" value={bates.prefix} onChange={(e) => setBates({ ...bates, prefix: e.currentTarget.value })} />
          <NumberInput label="First Bates number" min={1} value={bates.start} onChange={(v) => setBates({ ...bates, start: Number(v) || 1 })} />
          <NumberInput label="Digits" min={1} max={10} value={bates.digits} onChange={(v) => setBates({ ...bates, digits: Number(v) || 6 })} />
        </Group>
        <Text size="sm" data-testid="default-caption">
          {caption ? `New definitions start from: ${caption.caseName}, ${caption.caseNumber}` : 'New definitions start from the built-in caption.'}
        </Text>
        <FormStatus error={error} notice={notice} />
        <Group>
          <Button onClick={() => void save(false)} disabled={!settings}>
            Save office settings
          </Button>
          <Button variant="default" onClick={() => void save(true)} disabled={!settings}>
            Make this caption and signature the default
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}
