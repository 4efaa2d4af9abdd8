// SmallMap and SmallSet stand in for Socket.IO's per-socket Maps and the adapter's rooms of one
// socket (src/realtime/socket-memory.ts). They must answer every call Socket.IO makes as a Map
// or a Set would: random sequences of those calls run on both, side by side, and every answer
// and the contents after each step are compared, iteration while deleting included.
import { describe, expect, it } from 'vitest';
import { SmallMap, SmallSet } from '../../src/realtime/socket-memory.js';

/** A small deterministic generator (mulberry32): a failing sequence is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Iterates `items`, removing each as it comes (as Socket.IO's client closes its sockets); what it saw. */
function drain<T>(items: Iterable<T>, remove: (item: T) => void): T[] {
  const seen: T[] = [];
  for (const item of items) {
    seen.push(item);
    remove(item);
  }
  return seen;
}

/** A Map or Set as Socket.IO reads it: its size, its iterators and forEach. */
interface ReadAs<K, V> {
  size: number;
  keys(): Iterable<K>;
  values(): Iterable<V>;
  [Symbol.iterator](): Iterator<unknown>;
  forEach(fn: (value: V, key: K) => void): void;
}

/** Everything a collection answers to those reads, to compare a SmallMap or SmallSet with the real one. */
function contents<K, V>(c: ReadAs<K, V>) {
  const each: Array<[K, V]> = [];
  c.forEach((value, key) => each.push([key, value]));
  return { size: c.size, keys: [...c.keys()], values: [...c.values()], iterated: [...c], each };
}

describe('SmallMap', () => {
  it('answers as a Map over random sequences of set, get, has, delete, clear and iteration', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = random(seed);
      const real = new Map<string, number>();
      const small = new SmallMap<string, number>();
      const key = () => `k${Math.floor(rnd() * 3)}`; // few keys: one entry, then a second, then back
      for (let step = 0; step < 60; step++) {
        const op = rnd();
        const k = key();
        const at = `seed ${seed} step ${step}`;
        if (op < 0.35) {
          expect(small.set(k, step), at).toBe(small);
          real.set(k, step);
        } else if (op < 0.55) expect(small.delete(k), at).toBe(real.delete(k));
        else if (op < 0.65) expect(small.get(k), at).toBe(real.get(k));
        else if (op < 0.75) expect(small.has(k), at).toBe(real.has(k));
        else if (op < 0.8) {
          small.clear();
          real.clear();
        } else {
          // Socket.IO's client closes its sockets by iterating while each removes itself.
          expect(
            drain(small.keys(), (x) => small.delete(x)),
            at,
          ).toEqual(drain(real.keys(), (x) => real.delete(x)));
        }
        expect(contents(small), at).toEqual(contents(real));
        expect([...small.entries()], at).toEqual([...real.entries()]);
      }
    }
  });

  it('copies a Map of one entry', () => {
    const m = SmallMap.of(new Map([['a', 1]]));
    expect([m.size, m.get('a'), m.has('b')]).toEqual([1, 1, false]);
  });
});

describe('SmallSet', () => {
  it('answers as a Set over random sequences of add, has, delete, clear and iteration', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = random(seed);
      const real = new Set<string>();
      const small = new SmallSet<string>();
      for (let step = 0; step < 60; step++) {
        const op = rnd();
        const v = `s${Math.floor(rnd() * 3)}`;
        const at = `seed ${seed} step ${step}`;
        if (op < 0.4) {
          expect(small.add(v), at).toBe(small);
          real.add(v);
        } else if (op < 0.6) expect(small.delete(v), at).toBe(real.delete(v));
        else if (op < 0.75) expect(small.has(v), at).toBe(real.has(v));
        else if (op < 0.8) {
          small.clear();
          real.clear();
        } else {
          expect(
            drain(small, (x) => small.delete(x)),
            at,
          ).toEqual(drain(real, (x) => real.delete(x)));
        }
        expect(contents(small), at).toEqual(contents(real));
      }
    }
  });
});
