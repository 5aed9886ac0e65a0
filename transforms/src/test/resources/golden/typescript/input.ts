// Typed cache with expiry.
export interface Clock {
  now(): number;
}

export type Key = string | number;

enum Policy {
  Lru = "lru",
  Fifo = "fifo",
}

export class Cache<V> {
  private readonly entries = new Map<Key, { value: V; expires: number }>();

  constructor(private readonly clock: Clock, private ttlMs: number = 1000) {}

  get(key: Key): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expires < this.clock.now()) {
      return undefined;
    }
    return entry.value;
  }

  set(key: Key, value: V): void {
    this.entries.set(key, { value, expires: this.clock.now() + this.ttlMs });
  }
}

namespace Defaults {
  export const policy: Policy = Policy.Lru;
}

export function systemClock(): Clock {
  return { now: () => Date.now() };
}

const cache = new Cache<string>(systemClock(), 5_000);
cache.set("greeting", `hello ${Defaults.policy}`);
