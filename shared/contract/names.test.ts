import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contract, isWriteChannel, type Channel } from './index';
import { CHANNEL_NAMES } from './names';
import { channelNamesSource } from './names-source';

describe('the contract', () => {
  it('has its names file generated from it (run npm run gen:channels after adding a channel)', () => {
    expect(readFileSync('shared/contract/names.ts', 'utf8')).toBe(channelNamesSource(Object.keys(contract)));
    expect([...CHANNEL_NAMES].sort()).toEqual(Object.keys(contract).sort());
  });

  it('marks exactly the synchronous record writes as writes', () => {
    const writes = (Object.keys(contract) as Channel[]).filter(isWriteChannel).sort();
    expect(writes).toEqual(
      [
        ...['facilities', 'people', 'interviews', 'incidents'].flatMap((p) => ['create', 'update', 'delete', 'restore'].map((v) => `${p}:${v}`)),
        'incidents:bulk-create',
        'staff:create',
        'drafts:save',
        'drafts:discard',
        'reports:save',
        'reports:save-settings',
        'import:run',
        'import:save-mapping',
        'session:configure-idle-lock',
        'sync:rename-device',
        'sync:set-trusted',
        'sync:resolve',
        'sync:resolve-code-clash',
        ...['people', 'facilities', 'staff'].flatMap((p) => [`${p}:merge`, `${p}:unmerge`]),
      ].sort(),
    );
  });

  it('words the shared record channels for each record type', () => {
    expect(contract['interviews:update'].summary).toBe('Edit an interview: the full new record, the version it was read at, and why');
    expect(contract['people:delete'].summary).toMatch(/filing code is never reused/);
    expect(contract['facilities:restore'].summary).toBe('Restore a deleted facility');
  });
});
