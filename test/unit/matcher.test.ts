import { describe, expect, it } from 'vitest';
import { buildMatcher, normalise } from '../../src/modules/messaging/matcher.js';

/** The obvious O(words × text) check the automaton must agree with. */
const naive = (words: string[], text: string) => words.map(normalise).filter((w) => w && normalise(text).includes(w));

describe('sensitive-word matcher', () => {
  it('normalises case, full width and spaces/punctuation inside words', () => {
    expect(normalise('Ｂ Ａ-Ｄ！')).toBe('bad');
    expect(normalise('敏　感，词')).toBe('敏感词');
    const m = buildMatcher(['bad', '敏感词', 'Foo Bar']);
    expect(m.size).toBe(3);
    for (const t of ['this is BAD', 'b.a.d', 'ｂａｄ', 'B a D', '这是敏 感-词吗', 'FOOBAR', 'foo\tbar']) expect(m.first(t), t).not.toBeNull();
    for (const t of ['ba d'.replace(' ', 'x'), '敏感', 'fobar', '']) expect(m.first(t), t).toBeNull();
  });

  it('finds overlapping words and words that are suffixes of others', () => {
    const m = buildMatcher(['he', 'she', 'his', 'hers']);
    expect(m.all('ushers').sort()).toEqual(['he', 'hers', 'she']);
    expect(m.first('ahishers')).toBe('his');
    expect(buildMatcher([]).first('anything')).toBeNull();
    expect(buildMatcher(['', '  ', 'a']).size).toBe(1);
  });

  it('agrees with a naive search on random words and texts', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = 'abcab敏感词';
    const word = (len: number) => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');
    for (let round = 0; round < 200; round++) {
      const words = Array.from({ length: 1 + rnd(12) }, () => word(1 + rnd(4)));
      const m = buildMatcher(words);
      const text = word(rnd(30));
      expect(new Set(m.all(text)), `${words} / ${text}`).toEqual(new Set(naive(words, text)));
      expect(m.first(text) !== null).toBe(naive(words, text).length > 0);
    }
  });
});
