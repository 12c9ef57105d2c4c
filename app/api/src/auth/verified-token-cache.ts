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

  constructor(private readonly capacity: number) {}

  get(token: string, now: number, generation: number, keySetFresh: boolean): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (now >= entry.principal.expiresAt || entry.generation !== generation) {
      this.entries.delete(token);
      return undefined;
    }
    if (!keySetFresh) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(token);
    this.entries.set(token, entry);
    return entry.principal;
  }

  set(token: string, principal: Principal, generation: number): void {
    if (this.capacity === 0) return;
    this.entries.delete(token);
    this.entries.set(token, { principal, generation });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
