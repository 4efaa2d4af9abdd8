// Sensitive-word matching: one Aho-Corasick automaton over the normalised words of an app,
// run over the normalised text in one pass (cost O(text length + matches), whatever the
// number of words).
//
// Normalisation, the same for words and texts: Unicode NFKC (full-width Ａ１！ → A1!, the
// ideographic space → space, compatibility forms), lower case, then every space,
// punctuation, symbol and control character is dropped, so `b a d`, `Ｂ.Ａ.Ｄ` and `b-a-d`
// all contain `bad`. The price: words are also found across word boundaries (`grab
// adder` contains `bad`) — the usual choice for Chinese text, which has no spaces.
//
// Own implementation rather than an npm package: the automaton must run over the
// normalised text and be rebuilt cheaply per app; transitions live in one Map keyed by
// state·65536 + UTF-16 unit, failure links and outputs in typed arrays.
const DROP = /[\p{P}\p{S}\p{Z}\p{C}]+/gu;
/** The matcher's view of a text or word. */
export function normalise(text) {
    return text.normalize('NFKC').toLowerCase().replace(DROP, '');
}
const SHIFT = 65536;
export function buildMatcher(words) {
    const list = [];
    const seen = new Set();
    for (const w of words) {
        const n = normalise(w);
        if (n && !seen.has(n)) {
            seen.add(n);
            list.push(n);
        }
    }
    // Trie: state 0 is the root.
    const next = new Map();
    const own = [-1];
    let states = 1;
    for (let wi = 0; wi < list.length; wi++) {
        const w = list[wi];
        let s = 0;
        for (let i = 0; i < w.length; i++) {
            const key = s * SHIFT + w.charCodeAt(i);
            let t = next.get(key);
            if (t === undefined) {
                t = states++;
                next.set(key, t);
                own.push(-1);
            }
            s = t;
        }
        if (own[s] === -1)
            own[s] = wi;
    }
    // Children per state for the breadth-first pass.
    const children = Array.from({ length: states }, () => []);
    for (const [key, t] of next)
        children[Math.floor(key / SHIFT)].push([key % SHIFT, t]);
    const fail = new Int32Array(states);
    const out = new Int32Array(states).fill(-1); // a word ending here, own or through the failure chain
    const queue = [];
    for (const [, t] of children[0]) {
        fail[t] = 0;
        out[t] = own[t];
        queue.push(t);
    }
    for (let qi = 0; qi < queue.length; qi++) {
        const s = queue[qi];
        for (const [c, t] of children[s]) {
            let f = fail[s];
            let to;
            for (;;) {
                to = next.get(f * SHIFT + c);
                if (to !== undefined || f === 0)
                    break;
                f = fail[f];
            }
            fail[t] = to !== undefined && to !== t ? to : 0;
            out[t] = own[t] >= 0 ? own[t] : out[fail[t]];
            queue.push(t);
        }
    }
    function scan(text, stopAtFirst) {
        const found = [];
        if (list.length === 0)
            return found;
        const t = normalise(text);
        let s = 0;
        for (let i = 0; i < t.length; i++) {
            const c = t.charCodeAt(i);
            for (;;) {
                const to = next.get(s * SHIFT + c);
                if (to !== undefined) {
                    s = to;
                    break;
                }
                if (s === 0)
                    break;
                s = fail[s];
            }
            if (out[s] >= 0) {
                // The longest word ending here; shorter ones ending here follow the failure chain.
                for (let u = s; u > 0; u = fail[u]) {
                    const w = own[u];
                    if (w >= 0) {
                        found.push(w);
                        if (stopAtFirst)
                            return found;
                    }
                }
            }
        }
        return found;
    }
    return {
        size: list.length,
        first(text) {
            const f = scan(text, true);
            return f.length ? list[f[0]] : null;
        },
        all(text) {
            return [...new Set(scan(text, false))].map((i) => list[i]);
        },
    };
}
//# sourceMappingURL=matcher.js.map