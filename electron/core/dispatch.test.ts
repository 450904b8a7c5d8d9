import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract/names';
import { contract } from '../../shared/contract';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, contentHash, testSession } from '../../test/helpers';
import { createDispatch } from './dispatch';
import { handlers } from './handlers/index';
import { AppError } from '../../shared/errors';

afterEach(cleanupTempDirs);

describe('dispatch', () => {
  it('has a handler for every channel of the contract and no other', () => {
    expect(Object.keys(handlers).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.keys(contract).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('runs a write channel in one transaction: a handler that writes and then refuses keeps nothing', async () => {
    const s = testSession();
    const before = contentHash(s.ctx.db);
    const refusing = {
      ...handlers,
      'facilities:create': (input: Parameters<(typeof handlers)['facilities:create']>[0], ctx: Parameters<(typeof handlers)['facilities:create']>[1]) => {
        handlers['facilities:create'](input, ctx);
        throw new AppError('CONFLICT', 'refused after writing');
      },
    } as typeof handlers;
    const r = await createDispatch(s.ctx, refusing)('facilities:create', SAMPLE_FACILITY);
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(contentHash(s.ctx.db)).toBe(before);
    expect(s.vault.verify()).toMatchObject({ ok: true });
  });

  it('refuses text with half of a surrogate pair, naming the field, and writes nothing (it would be stored changed)', async () => {
    const s = testSession();
    const before = contentHash(s.ctx.db);
    const r = await s.dispatch('people:create', { ...SAMPLE_PERSON, familyName: 'Hadd\uD800ad' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^familyName: contains a broken character/), issues: [{ path: ['familyName'] }] } });
    const nested = await s.dispatch('facilities:create', { ...SAMPLE_FACILITY, name: 'North Lake \uDC00' });
    expect(nested).toMatchObject({ ok: false, error: { issues: [{ path: ['name'] }] } });
    expect(contentHash(s.ctx.db)).toBe(before);
    // A whole pair (an emoji, a rare CJK character) is fine.
    const ok = await s.dispatch('people:create', { ...SAMPLE_PERSON, familyName: 'Haddad \u{1F600} \u{20000}' });
    expect(ok.ok).toBe(true);
    expect(s.vault.verify()).toMatchObject({ ok: true, firstBroken: null });
  });

  it('creates a facility, a person and an incident and reads them back', async () => {
    const s = testSession();
    const f = await s.dispatch('facilities:create', SAMPLE_FACILITY);
    expect(f.ok).toBe(true);
    if (!f.ok) return;
    const facility = f.data as { id: string; version: number; createdAt: string };
    expect(facility.version).toBe(1);
    expect(facility.createdAt).toBe('2026-06-20T10:00:00.000Z');

    const p = await s.dispatch('people:create', { ...SAMPLE_PERSON, currentFacilityId: facility.id });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const person = p.data as { id: string; aNumber: string };
    expect(person.aNumber).toBe('012345678');

    const i = await s.dispatch('incidents:create', {
      personId: person.id,
      facilityId: facility.id,
      occurredOn: '2026-06-18',
      categories: ['WATER', 'FOOD'],
      summary: 'No water for two days in the holding cell.',
    });
    expect(i.ok).toBe(true);
    if (!i.ok) return;
    expect((i.data as { categories: string[] }).categories).toEqual(['FOOD', 'WATER']);

    const list = await s.dispatch('incidents:list', {});
    expect(list).toMatchObject({
      ok: true,
      data: { total: 1, items: [{ personName: 'Haddad, Yusuf', facilityName: SAMPLE_FACILITY.name }] },
    });
    s.close();
  });

  it('rejects an A-number with letters, names the field, writes nothing', async () => {
    const s = testSession();
    const before = contentHash(s.ctx.db);
    const r = await s.dispatch('people:create', { ...SAMPLE_PERSON, aNumber: 'A12B45678' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_INPUT');
    expect(r.error.issues[0]?.path).toEqual(['aNumber']);
    expect(r.error.message).toMatch(/^aNumber: /);
    expect(contentHash(s.ctx.db)).toBe(before);
    s.close();
  });

  it('names every missing required field', async () => {
    const s = testSession();
    const r = await s.dispatch('facilities:create', { name: '' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const fields = r.error.issues.map((i) => i.path[0]);
    expect(fields).toEqual(expect.arrayContaining(['name', 'city', 'state', 'operator', 'standard']));
    s.close();
  });

  it('refuses a second person with the same A-number, however it is written, and writes nothing', async () => {
    const s = testSession();
    await s.dispatch('people:create', SAMPLE_PERSON);
    const before = contentHash(s.ctx.db);
    const r = await s.dispatch('people:create', { ...SAMPLE_PERSON, givenName: 'Other', aNumber: '12345678' });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', issues: [{ path: ['aNumber'] }] } });
    expect(contentHash(s.ctx.db)).toBe(before);
    s.close();
  });

  it('refuses an incident for an unknown person, writing nothing', async () => {
    const s = testSession();
    const f = await s.dispatch('facilities:create', SAMPLE_FACILITY);
    if (!f.ok) throw new Error('setup');
    const before = contentHash(s.ctx.db);
    const r = await s.dispatch('incidents:create', {
      personId: '01J0000000000000000000000Z',
      facilityId: (f.data as { id: string }).id,
      occurredOn: '2026-06-18',
      categories: ['FOOD'],
      summary: 'x',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['personId'] }] } });
    expect(contentHash(s.ctx.db)).toBe(before);
    s.close();
  });

  it('answers an unknown channel and a non-object payload as values, never throwing', async () => {
    const s = testSession();
    await expect(s.dispatch('people:drop', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    await expect(s.dispatch('people:create', 'not an object')).resolves.toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    await expect(s.dispatch('people:get', { id: '01J0000000000000000000000Z' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    s.close();
  });

  it('turns a handler that throws into an INTERNAL error value', async () => {
    const s = testSession();
    const broken = createDispatch(s.ctx, {
      ...handlers,
      'app:info': () => {
        throw new Error('boom');
      },
    });
    await expect(broken('app:info', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringContaining('boom') },
    });
    s.close();
  });

  it('refuses a handler output that breaks the contract', async () => {
    const s = testSession();
    const broken = createDispatch(s.ctx, {
      ...handlers,
      'app:info': () => ({ appVersion: 1 }) as never,
    });
    await expect(broken('app:info', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    s.close();
  });
});
