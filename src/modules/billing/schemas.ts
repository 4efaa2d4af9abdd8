import { Type, type Static } from 'typebox';
import { UserIdSchema } from '../accounts/schemas.js';

/** Money: integer minor units (cents, fen …), never floats. Bounded so Lua's doubles stay exact. */
export const MAX_MONEY = 1_000_000_000_000;
export const MoneySchema = Type.Integer({ minimum: 0, maximum: MAX_MONEY, description: 'integer minor units (e.g. fen)' });
export const SignedMoneySchema = Type.Integer({ minimum: -MAX_MONEY, maximum: MAX_MONEY, description: 'integer minor units; negative = debit' });

/** Call ids come from the calling feature (the conversation id of seed 000); `:` and `|` never occur in them. */
export const CallIdSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.@+-]+$',
  description: 'metered call id (e.g. the conversation_id)',
});
/** A price key: `default`, a language pair `CN-EN`, or any feature-chosen name. */
export const PriceKeySchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_]+(-[A-Za-z0-9_]+)?$',
  description: 'price key: `default`, a language pair such as `CN-EN`, or a product name',
});
/** Idempotency reference of a top-up or adjustment, chosen by the app's backend. */
export const RefSchema = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9_.:@+-]+$',
  description: 'idempotency reference: the same ref is applied once',
});
export const EndReasonSchema = Type.String({
  pattern: '^[a-z][a-z0-9_-]{0,31}$',
  description: 'why the call ended: balance (exhausted, by the server), payee, payer, app, conversation …',
});
export const ReportedSecondsSchema = Type.Integer({
  minimum: 0,
  maximum: 864000,
  description: "the agent app's own measure of the call, in seconds (seed charge_length)",
});

// ── prices ────────────────────────────────────────────────────────────────────
/** The shortest unit a price may have, in seconds (the tick loop's idle sleep relies on it: billing/service.ts). */
export const MIN_UNIT_SECONDS = 1;
export const PriceBody = Type.Object(
  {
    unitPrice: MoneySchema,
    unitSeconds: Type.Integer({
      minimum: MIN_UNIT_SECONDS,
      maximum: 86400,
      default: 60,
      description: 'length of one charged unit; every started unit is charged (default: per started minute)',
    }),
    directional: Type.Boolean({ default: false, description: 'false: a pair key A-B also prices B-A' }),
  },
  { additionalProperties: false },
);
export type PriceBodyT = Static<typeof PriceBody>;
export const PriceView = Type.Object({ priceKey: PriceKeySchema, unitPrice: MoneySchema, unitSeconds: Type.Integer(), directional: Type.Boolean() });
export type PriceViewT = Static<typeof PriceView>;
export const PriceList = Type.Object({ prices: Type.Array(PriceView) });

// ── ledger ────────────────────────────────────────────────────────────────────
export const EntryKind = Type.Union([Type.Literal('topup'), Type.Literal('adjustment'), Type.Literal('charge')]);
export type EntryKindT = Static<typeof EntryKind>;
export const LedgerEntry = Type.Object({
  id: Type.Integer({ minimum: 1, description: 'per-app sequence number of the entry' }),
  key: Type.String({ description: 'idempotency key: call:<id>:unit:<n>, topup:<ref>, adjust:<ref>' }),
  uid: UserIdSchema,
  kind: EntryKind,
  amount: SignedMoneySchema,
  balance: Type.Integer({ minimum: 0, description: 'balance after the entry' }),
  ts: Type.Integer({ description: 'unix ms' }),
  callId: Type.Optional(CallIdSchema),
  unit: Type.Optional(Type.Integer({ minimum: 1 })),
  note: Type.Optional(Type.String()),
});
export type LedgerEntryT = Static<typeof LedgerEntry>;
export const LedgerResult = Type.Object({
  entry: LedgerEntry,
  balance: Type.Integer({ description: 'the balance after this entry' }),
  replayed: Type.Boolean({ description: 'true when the key had been applied before: nothing changed, the original entry is returned' }),
});
export type LedgerResultT = Static<typeof LedgerResult>;
export const LedgerPage = Type.Object({
  entries: Type.Array(LedgerEntry, { description: 'newest first' }),
  next: Type.Optional(Type.Integer({ description: 'pass as `before` for the next (older) page' })),
});
export type LedgerPageT = Static<typeof LedgerPage>;
export const LedgerQuery = Type.Object(
  {
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'entries with id < before' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  },
  { additionalProperties: false },
);

export const TopupBody = Type.Object(
  {
    uid: UserIdSchema,
    amount: Type.Integer({ minimum: 1, maximum: MAX_MONEY }),
    ref: RefSchema,
    note: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export const AdjustBody = Type.Object(
  { uid: UserIdSchema, amount: SignedMoneySchema, ref: RefSchema, note: Type.Optional(Type.String({ maxLength: 256 })) },
  { additionalProperties: false },
);
export const BalanceView = Type.Object({ uid: UserIdSchema, balance: Type.Integer({ minimum: 0 }) });

// ── metered calls ─────────────────────────────────────────────────────────────
export const CallState = Type.Union([Type.Literal('active'), Type.Literal('ended'), Type.Literal('confirmed')]);
export type CallStateT = Static<typeof CallState>;

export const BeginBody = Type.Object(
  { callId: CallIdSchema, payer: UserIdSchema, payee: UserIdSchema, priceKey: Type.Optional(PriceKeySchema) },
  { additionalProperties: false },
);
export type BeginInput = Static<typeof BeginBody>;
export const ReportBody = Type.Object({ reportedSeconds: ReportedSecondsSchema }, { additionalProperties: false });
export const EndBody = Type.Object(
  { reportedSeconds: Type.Optional(ReportedSecondsSchema), reason: Type.Optional(EndReasonSchema) },
  { additionalProperties: false },
);

/** A metered call (the bill once ended). */
export const CallView = Type.Object({
  callId: CallIdSchema,
  payer: UserIdSchema,
  payee: UserIdSchema,
  priceKey: Type.String({ description: 'the price actually applied (after direction and default fallback)' }),
  unitPrice: MoneySchema,
  unitSeconds: Type.Integer(),
  state: CallState,
  startedAt: Type.Integer({ description: 'unix ms' }),
  units: Type.Integer({ minimum: 0, description: 'units charged so far' }),
  amount: MoneySchema,
  elapsedMs: Type.Integer({ minimum: 0, description: "the server's measure (authoritative): now − start, or end − start" }),
  endedAt: Type.Optional(Type.Integer()),
  reason: Type.Optional(EndReasonSchema),
  reportedSeconds: Type.Optional(Type.Integer({ description: "the agent app's last reported measure" })),
  diffSeconds: Type.Optional(Type.Integer({ description: 'last reported − server measure, when beyond CHARGE_RECONCILE_TOLERANCE_SECONDS' })),
  confirmedAt: Type.Optional(Type.Integer()),
});
export type CallViewT = Static<typeof CallView>;

/** One disagreement between the agent app's measure and the server's, kept for review. */
export const Reconciliation = Type.Object({
  callId: CallIdSchema,
  phase: Type.Union([Type.Literal('update'), Type.Literal('end')]),
  reportedSeconds: Type.Integer(),
  serverSeconds: Type.Integer({ description: "the server's measure at the report, whole seconds" }),
  diffSeconds: Type.Integer({ description: 'reported − server' }),
  at: Type.Integer({ description: 'unix ms' }),
});
export type ReconciliationT = Static<typeof Reconciliation>;
export const ReconciliationList = Type.Object({
  items: Type.Array(Reconciliation, { description: 'newest first' }),
  next: Type.Optional(Type.Integer({ description: 'pass as `before` (unix ms)' })),
});
export const ReconciliationQuery = Type.Object(
  { before: Type.Optional(Type.Integer({ minimum: 1 })), limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) },
  { additionalProperties: false },
);

// ── socket events ─────────────────────────────────────────────────────────────
export const ChargeTick = Type.Object({
  callId: CallIdSchema,
  payer: UserIdSchema,
  payee: UserIdSchema,
  seq: Type.Integer({ minimum: 1, description: 'tick number within the call' }),
  due: Type.Integer({ description: 'unix ms the tick was due (its lateness = arrival − due)' }),
  elapsedMs: Type.Integer({ minimum: 0, description: "server's measure at `due`" }),
  units: Type.Integer({ minimum: 0 }),
  unitPrice: MoneySchema,
  unitSeconds: Type.Integer(),
  amount: MoneySchema,
  balance: Type.Integer({ minimum: 0, description: "the payer's remaining balance" }),
});
export type ChargeTickT = Static<typeof ChargeTick>;
export const ChargeLow = Type.Object({
  callId: CallIdSchema,
  payer: UserIdSchema,
  balance: Type.Integer({ minimum: 0 }),
  unitPrice: MoneySchema,
  unitsLeft: Type.Integer({ minimum: 0, description: 'whole units the balance still pays' }),
});
export const ChargeStarted = CallView;
export const ChargeEnded = Type.Object({
  callId: CallIdSchema,
  reason: EndReasonSchema,
  units: Type.Integer(),
  amount: MoneySchema,
  elapsedMs: Type.Integer(),
  balance: Type.Integer({ minimum: 0, description: "the payer's balance" }),
});
export type ChargeEndedT = Static<typeof ChargeEnded>;

export const BalanceRequest = Type.Object({}, { additionalProperties: false });
export const BalanceAnswer = Type.Object({
  balance: Type.Integer({ minimum: 0 }),
  calls: Type.Array(CallView, { description: 'active metered calls of the user (payer or payee)' }),
});
export const CallRef = Type.Object({ callId: CallIdSchema }, { additionalProperties: false });
export const LedgerRequest = LedgerQuery;

// ── jobs ──────────────────────────────────────────────────────────────────────
/** billing/tick: one scheduler job per CHARGE_SWEEP_INTERVAL_MS; no payload. */
export const TickJob = Type.Object({}, { additionalProperties: false });
