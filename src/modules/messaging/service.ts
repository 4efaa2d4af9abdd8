// Messaging (seed 003): the IM pre-send check (sensitive words, message price), machine
// translation, and server-sent tip/system messages with an inbox.
//
// Sensitive words: each app has its own list in Redis, seeded from SENSITIVE_WORDS_FILE the
// first time it is needed and edited by the app's backend afterwards. Every process keeps a
// compiled matcher per app with the list version it was built from; a check reads the
// version (one GET) and rebuilds only when it moved, so edits apply on every node at once.
//
// Tip/system messages: pushed at once to the target's socket room (every node, through the
// adapter) *and* kept in the target's inbox until the client acknowledges them
// (`message.ack`, `POST /v1/messaging/inbox/ack`). The inbox is part of `session.snapshot`,
// so a user offline at send time gets them on the next connect, and a user whose socket
// dropped the event (Socket.IO is at most once) gets them again — no fetchSockets round trip
// across nodes to decide who is online. Clients dedupe by id. Targets without a socket
// that have an iPhone device id also get an APNs push (seed 004 §3.1.3; modules/push).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../../infra/core.js';
import { AppError } from '../../infra/errors.js';
import { createTranslationProvider, type TranslationProvider } from '../../providers/translation/index.js';
import type { BillingService } from '../billing/service.js';
import type { PushService } from '../push/service.js';
import { buildMatcher, normalise, type Matcher } from './matcher.js';
import type {
  AckResultT,
  CheckBodyT,
  CheckResultT,
  InboxMessageT,
  MessageKindT,
  SendBodyT,
  SendResultT,
  TranslateBodyT,
  TranslateResultT,
  WordListT,
  WordsChangeT,
} from './schemas.js';
import { createMessagingStore } from './store.js';

/** The directory holding package.json (works from src/ under vitest and from dist/src/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export function resolveWordsFile(file: string): string {
  return isAbsolute(file) ? file : resolve(packageRoot(), file);
}

/** One word per line; blank lines and # comments skipped. */
export function parseWordList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export type MessagingService = ReturnType<typeof createMessagingService>;

export function createMessagingService(core: Core, deps: { billing: BillingService; push: PushService; translation?: TranslationProvider }) {
  const { config, emitter, log } = core;
  const store = createMessagingStore(core.redis, core.keys);
  const translation = deps.translation ?? createTranslationProvider(config);
  const cache = new Map<string, { version: number; matcher: Matcher }>();
  const building = new Map<string, Promise<Matcher>>();
  let fileWords: Promise<string[]> | undefined;

  function defaultWords(): Promise<string[]> {
    fileWords ??= readFile(resolveWordsFile(config.SENSITIVE_WORDS_FILE), 'utf8')
      .then((t) => normaliseAll(parseWordList(t)))
      .catch((err: unknown) => {
        fileWords = undefined; // try again next time
        log.error({ err, file: config.SENSITIVE_WORDS_FILE }, 'sensitive-word file unreadable');
        throw new AppError('UNAVAILABLE', 'the sensitive-word list could not be loaded');
      });
    return fileWords;
  }

  /** Normalised, deduplicated, non-empty. */
  function normaliseAll(words: string[]): string[] {
    return [...new Set(words.map(normalise).filter((w) => w !== ''))];
  }

  async function ensureSeeded(appid: string): Promise<number> {
    const v = await store.wordsVersion(appid);
    return v ?? store.seedWords(appid, await defaultWords());
  }

  /** The app's compiled matcher, rebuilt when the list's version moved. */
  async function matcherFor(appid: string): Promise<Matcher> {
    const version = await ensureSeeded(appid);
    const hit = cache.get(appid);
    if (hit && hit.version === version) return hit.matcher;
    let p = building.get(appid);
    if (!p) {
      p = store
        .words(appid)
        .then(({ version: v, words }) => {
          const matcher = buildMatcher(words);
          cache.set(appid, { version: v, matcher });
          return matcher;
        })
        .finally(() => building.delete(appid));
      building.set(appid, p);
    }
    return p;
  }

  async function edit(appid: string, op: 'sadd' | 'srem' | 'replace', words: string[]): Promise<WordsChangeT> {
    await ensureSeeded(appid);
    const r = await store.editWords(appid, op, normaliseAll(words));
    return { version: r.version, count: r.count, changed: r.changed };
  }

  /** The price of one message, 0 when MESSAGE_PRICE_KEY has no price in the app. */
  async function messagePrice(appid: string): Promise<number> {
    return (await deps.billing.priceOf(appid, config.MESSAGE_PRICE_KEY))?.unitPrice ?? 0;
  }

  return {
    matcherFor,

    // ── the word list (the app's backend) ───────────────────────────────────
    async words(appid: string): Promise<WordListT> {
      await ensureSeeded(appid);
      const { version, words } = await store.words(appid);
      words.sort();
      return { version, count: words.length, words };
    },
    addWords: (appid: string, words: string[]) => edit(appid, 'sadd', words),
    removeWords: (appid: string, words: string[]) => edit(appid, 'srem', words),
    /** Replaces the whole list (an empty list turns the check off). */
    replaceWords: (appid: string, words: string[]) => edit(appid, 'replace', words),

    // ── pre-send check (seed im/before/check) ───────────────────────────────
    /**
     * SENSITIVE_WORD (the word in details) when the content contains a word of the app's
     * list; INSUFFICIENT_BALANCE when messages are priced (MESSAGE_PRICE_KEY) and the
     * sender's balance is below one message. Nothing is debited: the check only answers
     * whether sending may go ahead.
     */
    async check(appid: string, uid: string, input: CheckBodyT): Promise<CheckResultT> {
      const [matcher, price] = await Promise.all([matcherFor(appid), messagePrice(appid)]);
      const word = matcher.first(input.content);
      if (word !== null) throw new AppError('SENSITIVE_WORD', 'the content contains a sensitive word', { word });
      if (price > 0) {
        const balance = await deps.billing.balance(appid, uid);
        if (balance < price)
          throw new AppError('INSUFFICIENT_BALANCE', `balance ${balance} does not cover one message (${price})`, { balance, price });
      }
      return { allowed: true, price };
    },

    // ── translation ─────────────────────────────────────────────────────────
    async translate(input: TranslateBodyT): Promise<TranslateResultT> {
      const translations = await translation.translate(input.text, input.target, input.source);
      return { provider: translation.name, translations };
    },

    // ── tip and system messages ─────────────────────────────────────────────
    /** Pushes `message.<kind>` to every target's sockets and keeps it in their inboxes until acknowledged. */
    async send(appid: string, kind: MessageKindT, input: SendBodyT): Promise<SendResultT> {
      const targets = [...new Set(input.targets)];
      const message = await store.deliver(
        appid,
        targets,
        { kind, from: input.from, msg: input.msg, at: Date.now() },
        config.MESSAGE_INBOX_MAX,
        config.MESSAGE_INBOX_TTL_SECONDS,
      );
      for (const uid of targets) emitter.toUser(appid, uid, `message.${kind}`, message);
      await deps.push.toOffline(appid, targets, { kind, id: String(message.id), from: input.from, body: input.msg, at: message.at });
      return { id: message.id, targets: targets.length };
    },
    inbox: (appid: string, uid: string): Promise<InboxMessageT[]> => store.inbox(appid, uid),
    inboxProbe: store.probe,
    ack: (appid: string, uid: string, upTo: number): Promise<AckResultT> => store.ack(appid, uid, upTo),
  };
}
