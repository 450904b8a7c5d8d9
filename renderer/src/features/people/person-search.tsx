import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { formatANumber } from '../../../../shared/a-number';
import type { Person } from '../../../../shared/schemas';
import { call } from '../../api/client';
import { rememberPerson, usePersonNames } from '../../api/lookups';
import { keepEnterInSelect } from '../../ui/pick';

export function personOption(p: Person) {
  const extra = [p.nameOriginal, formatANumber(p.aNumber), p.filingCode].filter(Boolean).join(' · ');
  return { value: p.id, label: `${p.familyName}, ${p.givenName} — ${extra}` };
}

type Props = Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange' | 'filter'> & {
  value: string;
  onChange: (id: string) => void;
  /** Left out of the choices (the person reporting, as their own witness). */
  excludeId?: string | null;
};

/** Finds a person by name (any script), A-number or filing code, asking the database as you type. */
export function PersonSearch({ value, onChange, excludeId, ...rest }: Props) {
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search, 150);
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const names = usePersonNames(value ? [value] : []);
  useEffect(() => {
    let live = true;
    const q = query.includes(' — ') ? '' : query.trim();
    void call('people:list', { limit: 30, offset: 0, ...(q ? { query: q } : {}) }).then((r) => {
      if (!live || !r.ok) return;
      r.data.items.forEach(rememberPerson);
      setOptions(r.data.items.filter((p) => p.id !== excludeId).map(personOption));
    });
    return () => {
      live = false;
    };
  }, [query, excludeId]);
  const data = value && !options.some((o) => o.value === value) ? [{ value, label: names(value) ?? '…' }, ...options] : options;
  return (
    <Select
      {...rest}
      searchable
      selectFirstOptionOnChange
      onKeyDown={keepEnterInSelect}
      data={data}
      value={value || null}
      onChange={(id) => onChange(id ?? '')}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      nothingFoundMessage="No one found"
    />
  );
}
