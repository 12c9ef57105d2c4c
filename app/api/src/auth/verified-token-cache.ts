// Principals of tokens that passed verification, so the same token is not verified again on
// every request. Bounded (least recently used out first); an entry is dropped when the token
// expires, when the key set was downloaded again since (a removed key must stop working), and
// is not used while the copy of the key set (remote-key-set.ts) is stale (the next
// verification refreshes it).
// Keys are the tokens themselves: they live in this process's memory only, never in logs.
import type { Principal } from './verifier';

interface Entry {
  readonly principal: Principal;
  readonly generation: number;
}

export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();
  // The most recently used entry, also kept outside the map: a client sends the same token
  // request after request, and comparing two tokens is ~10x cheaper than hashing a new copy of
  // one (~800 characters) for the map. It is the map's last entry, so LRU order needs no move.
  private newestToken: string | undefined;
  private newestEntry: Entry | undefined;

  constructor(private readonly capacity: number) {}

  get(token: string, now: number, generation: number, keySetFresh: boolean): Principal | undefined {
    const isNewest = token === this.newestToken;
    const entry = isNewest ? this.newestEntry : this.entries.get(token);
    if (!entry) return undefined;
    if (now >= entry.principal.expiresAt || entry.generation !== generation) {
      this.delete(token);
      return undefined;
    }
    if (!keySetFresh) return undefined;
    if (!isNewest) this.touch(token, entry);
    return entry.principal;
  }

  set(token: string, principal: Principal, generation: number): void {
    if (this.capacity === 0) return;
    this.touch(token, { principal, generation });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Makes `token` the most recently used (Map keeps insertion order: last is newest). */
  private touch(token: string, entry: Entry): void {
    this.entries.delete(token);
    this.entries.set(token, entry);
    this.newestToken = token;
    this.newestEntry = entry;
  }

  private delete(token: string): void {
    this.entries.delete(token);
    if (token === this.newestToken) this.newestToken = this.newestEntry = undefined;
  }
}
