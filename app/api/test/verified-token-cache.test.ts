import { VerifiedTokenCache } from '../src/auth/verified-token-cache';

const principal = (subject: string, expiresAt = 10_000) => ({ subject, role: 'viewer' as const, expiresAt });

describe('the verified-token cache', () => {
  it('answers until exp, never at or after it', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('t', principal('a', 5000), 1);
    expect(cache.get('t', 4999, 1, true)?.subject).toBe('a');
    expect(cache.get('t', 5000, 1, true)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets an entry once the key set was downloaded again, and skips it while the key set is stale', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('t', principal('a'), 1);
    expect(cache.get('t', 0, 1, false)).toBeUndefined();
    expect(cache.get('t', 0, 1, true)?.subject).toBe('a');
    expect(cache.get('t', 0, 2, true)).toBeUndefined();
    expect(cache.get('t', 0, 1, true)).toBeUndefined();
  });

  it('holds at most its capacity, dropping the least recently used', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', principal('a'), 1);
    cache.set('b', principal('b'), 1);
    cache.get('a', 0, 1, true);
    cache.set('c', principal('c'), 1);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 0, 1, true)).toBeUndefined();
    expect(cache.get('a', 0, 1, true)?.subject).toBe('a');
    expect(cache.get('c', 0, 1, true)?.subject).toBe('c');
  });

  it('keeps the order when the newest entry is used again, and forgets it like any other', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', principal('a'), 1);
    cache.set('b', principal('b', 5000), 1);
    expect(cache.get('b', 0, 1, true)?.subject).toBe('b');
    expect(cache.get('b', 0, 1, true)?.subject).toBe('b');
    cache.set('c', principal('c'), 1);
    expect(cache.get('a', 0, 1, true)).toBeUndefined();
    expect(cache.get('b', 0, 1, true)?.subject).toBe('b');
    // b is the newest now: its expiry and a new key set still end it.
    expect(cache.get('b', 5000, 1, true)).toBeUndefined();
    expect(cache.get('b', 0, 1, true)).toBeUndefined();
    expect(cache.size).toBe(1);
    cache.set('d', principal('d'), 1);
    expect(cache.get('d', 0, 2, true)).toBeUndefined();
    expect(cache.get('d', 0, 1, true)).toBeUndefined();
    expect(cache.get('c', 0, 1, true)?.subject).toBe('c');
  });

  it('keeps nothing with capacity 0', () => {
    const cache = new VerifiedTokenCache(0);
    cache.set('a', principal('a'), 1);
    expect(cache.get('a', 0, 1, true)).toBeUndefined();
  });
});
