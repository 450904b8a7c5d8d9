import { useCallback, useEffect, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/contract';
import { call } from './client';

/** Loads a list channel, with a reload function for after a write. */
export function useList<C extends Channel>(channel: C, input: ChannelInput<C>) {
  const [data, setData] = useState<ChannelOutput<C> | undefined>();
  const [error, setError] = useState<string | undefined>();
  const key = JSON.stringify(input);
  const reload = useCallback(async () => {
    const r = await call(channel, JSON.parse(key) as ChannelInput<C>);
    if (r.ok) {
      setData(r.data);
      setError(undefined);
    } else setError(r.error.message);
  }, [channel, key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}
