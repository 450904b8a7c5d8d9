import { Drawer, Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Result } from '../../../shared/contract';
import { HistoryViewer, type HistoryViewerProps, type VersionEntry } from './history-viewer';

type Props = Omit<HistoryViewerProps, 'versions'> & {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** Reads the history each time the drawer opens, so it shows the latest write. */
  load: () => Promise<Result<{ versions: VersionEntry[] }>>;
};

export function HistoryDrawer({ opened, onClose, title, load, ...viewer }: Props) {
  const [versions, setVersions] = useState<VersionEntry[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!opened) return;
    setVersions(undefined);
    void load().then((r) => {
      if (r.ok) setVersions(r.data.versions);
      else setError(r.error.message);
    });
    // `load` is a new closure each render; reading once per opening is the point.
  }, [opened]);
  return (
    <Drawer opened={opened} onClose={onClose} title={title} position="right" size={640} padding="lg">
      {error ? (
        <Text c="red" size="sm">
          {error}
        </Text>
      ) : versions ? (
        <HistoryViewer versions={versions} {...viewer} />
      ) : (
        <Loader size="sm" />
      )}
    </Drawer>
  );
}
