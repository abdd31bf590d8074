import { createHash, createHmac, randomBytes, timingSafeEqual } from "crypto"
import type { Context, DAL } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext, MedusaError, MedusaService } from "@medusajs/framework/utils"
import { signWebhook, webhookBackoffSeconds, webhookUrlProblem } from "./utils/webhooks"
import { Agent, AgentAccount, AgentApiKey, AgentLedgerEntry, AgentOrder, AgentQuota, AgentWebhookDelivery } from "./models"

type Knex = any

export type AgentsModuleOptions = {
  /**
   * Base64 server key the agents' webhook signing secrets are derived from (HMAC with the agent id and a version, so
   * no secret is stored). Default: VIRTUAL_GOODS_WEBHOOK_KEY, else VIRTUAL_GOODS_BLIND_INDEX_KEY.
   */
  webhook_key?: string
  /** Allow webhook URLs on private or loopback addresses and plain http. Default: VIRTUAL_GOODS_ALLOW_PRIVATE_WEBHOOKS=true or NODE_ENV=development. */
  allow_private_webhook_urls?: boolean
  /** Attempts before a delivery goes to the dead-letter list. Default 8 (VIRTUAL_GOODS_WEBHOOK_MAX_ATTEMPTS). */
  webhook_max_attempts?: number
  /** Time allowed for an agent's endpoint to answer. Default 10000 ms. */
  webhook_timeout_ms?: number
}

export type WebhookDeliveryResult = { id: string; status: "delivered" | "pending" | "dead"; attempts: number; last_status: number | null; last_error: string | null }

export type LedgerActor = { type: "user" | "system" | "agent"; id?: string | null }
export type LedgerKind = "topup" | "adjustment" | "purchase" | "commission" | "refund"
export type LedgerLeg = { account_id: string; amount: string | number }
export type LedgerPosting = {
  kind: LedgerKind
  legs: LedgerLeg[]
  reference_type?: string | null
  reference_id?: string | null
  note?: string | null
  actor: LedgerActor
}
export type AgentStatement = {
  agent_id: string
  currency_code: string
  from: string
  to: string
  opening_balance: string
  closing_balance: string
  /** Sum of the period's entries by kind (topup, purchase, commission, …). */
  totals: Record<string, string>
  entries: {
    id: string
    transaction_id: string
    kind: LedgerKind
    amount: string
    reference_type: string | null
    reference_id: string | null
    note: string | null
    actor_type: string
    actor_id: string | null
    created_at: string
    balance_after: string
  }[]
}

export type AccountBalance = {
  account_id: string
  agent_id: string | null
  currency_code: string
  balance: string
  credit_limit: string
  /** What the agent can still spend: balance + credit limit. */
  available: string
}

const POST_SQL = "SELECT agent_ledger_post($1, $2::jsonb, $3, $4, $5, $6, $7) AS transaction_id"

/** What the wholesale API's keys may be allowed to do. */
export const AGENT_KEY_SCOPES = ["catalog:read", "orders:read", "orders:write"] as const
export type AgentKeyScope = (typeof AGENT_KEY_SCOPES)[number]
export type AgentPrincipal = { agent_id: string; key_id: string; scopes: AgentKeyScope[] }

/** What the wholesale API shows of an agent order (no codes). */
export type AgentOrderRow = {
  id: string
  order_id: string | null
  display_id: number | null
  status: string
  bookkeeping_status: string | null
  currency_code: string | null
  total: string | null
  items: { variant_id: string; pool_id: string; title: string; product_title?: string | null; quantity: number; unit_price: string }[] | null
  created_at: Date
  completed_at: Date | null
}
const AGENT_ORDER_COLUMNS = ["id", "order_id", "display_id", "status", "bookkeeping_status", "currency_code", "total", "items", "created_at", "completed_at"]

/** A new key's parts: the full key (shown once, never stored) and what is stored of it. */
export function newAgentKey(): { key: string; prefix: string; secret_hash: string } {
  const prefix = randomBytes(6).toString("hex")
  const secret = randomBytes(32).toString("base64url")
  return { key: `vgk_${prefix}_${secret}`, prefix, secret_hash: hashSecret(secret) }
}

const hashSecret = (secret: string) => createHash("sha256").update(secret, "utf8").digest("hex")
const KEY_RE = /^vgk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/
/** last_used_at is written at most this often per key (not one write per request). */
const LAST_USED_RESOLUTION_SECONDS = 60

/** In SQL over `agent_quota`: the start of the current period of a row's quota (UTC calendar day, week or month). */
const QUOTA_PERIOD_START = `date_trunc(period, now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`
/**
 * In SQL over `agent_quota`: the row's `used` belongs to a period that has ended (it counts as 0). CASE, not AND:
 * PostgreSQL may evaluate AND's operands in any order, and date_trunc('none', …) would fail.
 */
const QUOTA_PERIOD_LAPSED = `(CASE WHEN period = 'none' THEN false ELSE (period_start IS NULL OR period_start < ${QUOTA_PERIOD_START}) END)`

/** SQLSTATEs raised by the ledger function (see the module's migration). */
export const LEDGER_INSUFFICIENT_FUNDS = "23514" // check_violation of agent_account_within_credit
export const LEDGER_UNBALANCED = "AG001"

/** A decimal amount as the ledger takes it: a finite number or a plain decimal string (no exponent), at most 4 places. */
export function toAmount(value: string | number, field = "amount"): string {
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value).trim()
  if (!/^-?\d{1,16}(\.\d{1,4})?$/.test(text)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `${field} must be a decimal amount with at most 16 digits before and 4 after the point, got ${JSON.stringify(value)}`
    )
  }
  return text
}

/**
 * Resellers (代理) and their money: the agent tree, one prepaid account per agent and currency with an optional
 * credit limit, and a double-entry ledger whose postings are one SQL call each (`agent_ledger_post`): the legs sum to
 * zero, balances change in the same statement's transaction, and PostgreSQL refuses any posting that would take an
 * agent below minus its credit limit — so no concurrency can overdraw an account.
 */
class AgentsModuleService extends MedusaService({ Agent, AgentAccount, AgentLedgerEntry, AgentApiKey, AgentQuota, AgentOrder, AgentWebhookDelivery }) {
  protected baseRepository_: DAL.RepositoryService
  protected options_: Required<Omit<AgentsModuleOptions, "webhook_key">> & { webhook_key: string | null }
  /** When this process last wrote each key's last_used_at (ms): at most one write per key and resolution. */
  private lastUsedWrites_ = new Map<string, number>()

  constructor(container: Record<string, any>, options: AgentsModuleOptions = {}) {
    super(...arguments)
    this.baseRepository_ = container.baseRepository
    const env = process.env
    this.options_ = {
      webhook_key: options.webhook_key ?? env.VIRTUAL_GOODS_WEBHOOK_KEY ?? env.VIRTUAL_GOODS_BLIND_INDEX_KEY ?? null,
      allow_private_webhook_urls:
        options.allow_private_webhook_urls ?? (env.VIRTUAL_GOODS_ALLOW_PRIVATE_WEBHOOKS === "true" || env.NODE_ENV === "development"),
      webhook_max_attempts: options.webhook_max_attempts ?? (Number(env.VIRTUAL_GOODS_WEBHOOK_MAX_ATTEMPTS) || 8),
      webhook_timeout_ms: options.webhook_timeout_ms ?? 10_000,
    }
  }

  private knex_(ctx: Context): Knex {
    const em: any = ctx.transactionManager ?? ctx.manager
    return em.getTransactionContext?.() ?? em.getKnex()
  }

  /**
   * Creates an agent under `parent_id` (which must exist and not be frozen) with an account in `currency_code`.
   * The parent is fixed for good: the tree cannot get a cycle.
   */
  @InjectTransactionManager()
  async createAgentWithAccount(
    input: { name: string; parent_id?: string | null; customer_group_id?: string | null; currency_code: string; credit_limit?: string | number },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ agent_id: string; account_id: string }> {
    const knex = this.knex_(ctx)
    if (!input.name?.trim()) throw new MedusaError(MedusaError.Types.INVALID_DATA, "name is required")
    const currency = String(input.currency_code ?? "").toLowerCase()
    if (!/^[a-z]{3}$/.test(currency)) throw new MedusaError(MedusaError.Types.INVALID_DATA, `currency_code must be a 3-letter ISO code, got ${JSON.stringify(input.currency_code)}`)
    const credit = toAmount(input.credit_limit ?? 0, "credit_limit")
    if (credit.startsWith("-")) throw new MedusaError(MedusaError.Types.INVALID_DATA, "credit_limit must not be negative")
    if (input.parent_id) {
      const parent = await knex("agent").first("id", "status").where({ id: input.parent_id }).whereNull("deleted_at")
      if (!parent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Parent agent with id: ${input.parent_id} was not found`)
      if (parent.status === "frozen") {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Parent agent ${input.parent_id} is frozen: it cannot take new sub-agents`)
      }
    }
    const agent = await this.createAgents(
      { name: input.name.trim(), parent_id: input.parent_id ?? null, customer_group_id: input.customer_group_id ?? null },
      ctx
    )
    const account = await this.createAgentAccounts(
      { agent_id: agent.id, kind: "agent", currency_code: currency, balance: 0, credit_limit: credit as any },
      ctx
    )
    return { agent_id: agent.id, account_id: account.id }
  }

  /**
   * The house account of a currency (where top-ups come from and purchases go to), created on first use. Read first:
   * an upsert on every purchase would lock the house row and queue all purchases behind one another.
   */
  @InjectTransactionManager()
  async houseAccount(currencyCode: string, @MedusaContext() ctx: Context = {}): Promise<string> {
    const knex = this.knex_(ctx)
    const currency = currencyCode.toLowerCase()
    const find = () => knex("agent_account").first("id").where({ kind: "house", currency_code: currency }).whereNull("deleted_at")
    const existing = await find()
    if (existing) return existing.id
    await knex.raw(
      `INSERT INTO agent_account (id, kind, currency_code, balance, raw_balance, credit_limit, raw_credit_limit)
       VALUES (?, 'house', ?, 0, '{"value":"0","precision":20}', 0, '{"value":"0","precision":20}')
       ON CONFLICT (currency_code) WHERE kind = 'house' AND deleted_at IS NULL DO NOTHING`,
      [`aacct_house_${currency}`, currency]
    )
    return (await find()).id
  }

  /**
   * Posts one ledger transaction: every leg in one SQL call, all or nothing. Legs must be in one currency and sum to
   * zero; an agent account may not end below minus its credit limit. Returns the transaction id.
   */
  @InjectManager()
  async post(input: LedgerPosting, @MedusaContext() ctx: Context = {}): Promise<{ transaction_id: string }> {
    if (!Array.isArray(input.legs) || input.legs.length < 2) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "A ledger transaction needs at least two legs")
    }
    const legs = input.legs.map((l, i) => ({ account_id: String(l.account_id), amount: toAmount(l.amount, `legs[${i}].amount`) }))
    const knex = this.knex_(ctx)
    try {
      const { rows } = await knex.raw(POST_SQL.replace(/\$\d/g, "?"), [
        input.kind,
        JSON.stringify(legs),
        input.reference_type ?? null,
        input.reference_id ?? null,
        input.note ?? null,
        input.actor.type,
        input.actor.id ?? null,
      ])
      return { transaction_id: rows[0].transaction_id }
    } catch (e: any) {
      if (e?.code === LEDGER_INSUFFICIENT_FUNDS && /agent_account_within_credit/.test(String(e?.constraint ?? e?.message))) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Insufficient funds: the posting would take an agent below its balance plus credit limit`)
      }
      if (e?.code === LEDGER_UNBALANCED) {
        // knex prefixes the statement to PostgreSQL's message: keep only the message the function raised.
        const message = String(e.message)
        const at = message.indexOf(POST_SQL)
        throw new MedusaError(MedusaError.Types.INVALID_DATA, at === 0 ? message.slice(POST_SQL.length + 3) : message)
      }
      throw e
    }
  }

  /** Money in: the house pays `amount` into the agent's account (a prepaid top-up). */
  async topUp(input: { agent_id: string; currency_code: string; amount: string | number; note?: string | null; actor: LedgerActor }) {
    const amount = toAmount(input.amount)
    if (Number(amount) <= 0) throw new MedusaError(MedusaError.Types.INVALID_DATA, "amount of a top-up must be positive")
    const account = await this.accountOf(input.agent_id, input.currency_code)
    const house = await this.houseAccount(input.currency_code)
    return this.post({
      kind: "topup",
      legs: [
        { account_id: house, amount: `-${amount}` },
        { account_id: account.account_id, amount },
      ],
      note: input.note ?? null,
      actor: input.actor,
    })
  }

  /**
   * A manual correction of an agent's balance (signed: negative debits), against the house account, with the reason
   * and who made it on the entry. A debit beyond balance + credit is refused like any other.
   */
  async adjust(input: { agent_id: string; currency_code: string; amount: string | number; note: string; actor: LedgerActor }) {
    const amount = toAmount(input.amount)
    if (toMinor(amount) === 0n) throw new MedusaError(MedusaError.Types.INVALID_DATA, "amount of an adjustment must not be zero")
    if (!input.note?.trim()) throw new MedusaError(MedusaError.Types.INVALID_DATA, "An adjustment needs a note saying why")
    const account = await this.accountOf(input.agent_id, input.currency_code)
    const house = await this.houseAccount(input.currency_code)
    return this.post({
      kind: "adjustment",
      legs: [
        { account_id: house, amount: fromMinor(-toMinor(amount)) },
        { account_id: account.account_id, amount },
      ],
      note: input.note.trim(),
      actor: input.actor,
    })
  }

  /**
   * Changes an agent's name, status (frozen agents cannot buy, their keys stop working) or credit limit in a currency.
   * A credit limit below what the agent already owes is refused by the same CHECK that guards every posting.
   * Returns what it was before.
   */
  @InjectTransactionManager()
  async updateAgent(
    input: { id: string; name?: string; status?: "active" | "frozen"; credit_limit?: string | number; currency_code?: string },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ name: string; status: "active" | "frozen"; credit_limit: string | null; currency_code: string | null }> {
    const knex = this.knex_(ctx)
    const agent = await knex("agent").first("id", "name", "status").where({ id: input.id }).whereNull("deleted_at")
    if (!agent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${input.id} was not found`)
    let previousCredit: string | null = null
    if (input.credit_limit !== undefined) {
      const credit = toAmount(input.credit_limit, "credit_limit")
      if (credit.startsWith("-")) throw new MedusaError(MedusaError.Types.INVALID_DATA, "credit_limit must not be negative")
      const account = await this.accountOf(input.id, input.currency_code ?? "", ctx)
      previousCredit = account.credit_limit
      try {
        await knex("agent_account")
          .where({ id: account.account_id })
          .update({ credit_limit: credit, raw_credit_limit: JSON.stringify({ value: credit, precision: 20 }), updated_at: knex.fn.now() })
      } catch (e: any) {
        if (/agent_account_within_credit/.test(String(e?.message))) {
          throw new MedusaError(
            MedusaError.Types.NOT_ALLOWED,
            `credit_limit ${credit} is less than agent ${input.id} owes (balance ${account.balance} ${account.currency_code.toUpperCase()})`
          )
        }
        throw e
      }
    }
    const changes: Record<string, unknown> = {}
    if (input.name !== undefined) changes.name = input.name.trim()
    if (input.status !== undefined) changes.status = input.status
    if (Object.keys(changes).length) await knex("agent").where({ id: input.id }).update({ ...changes, updated_at: knex.fn.now() })
    return { name: agent.name, status: agent.status, credit_limit: previousCredit, currency_code: input.currency_code?.toLowerCase() ?? null }
  }

  /**
   * A purchase by an agent with the commissions (分润) of the agents above it, as ONE ledger transaction: for every
   * line the buyer pays its unit price × quantity; each ancestor earns the difference between the price its child pays
   * and its own price; the house keeps what the top of the chain pays. All legs or none — an overdraft refuses the
   * whole posting. `unit_prices` maps the buyer and every ancestor to its unit price (exact decimals). A price below the
   * parent's (which the price floor prevents) is refused: commissions are never negative. One line may be given as
   * `quantity` + `unit_prices`, several as `lines`.
   */
  @InjectManager()
  async postPurchase(
    input: {
      buyer_agent_id: string
      currency_code: string
      quantity?: number
      unit_prices?: Record<string, string | number>
      lines?: { quantity: number; unit_prices: Record<string, string | number>; label?: string }[]
      reference_type: string
      reference_id: string
      actor: LedgerActor
    },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ transaction_id: string; legs: { agent_id: string | null; account_id: string; amount: string }[]; total: string }> {
    const lines = input.lines ?? [{ quantity: input.quantity as number, unit_prices: input.unit_prices ?? {} }]
    if (!lines.length) throw new MedusaError(MedusaError.Types.INVALID_DATA, "A purchase needs at least one line")
    const chained = await this.chainAccounts_(input.buyer_agent_id, input.currency_code, ctx)
    const chain = chained.map((c) => c.agent_id)
    const owed = new Map<string | null, bigint>(chain.map((id) => [id, 0n]))
    owed.set(null, 0n)
    let total = 0n
    for (const [n, line] of lines.entries()) {
      const label = line.label ?? (lines.length > 1 ? `line ${n + 1}` : "")
      if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `quantity${label ? ` of ${label}` : ""} must be a positive integer`)
      }
      const units = chain.map((id) => {
        if (line.unit_prices[id] === undefined) throw new MedusaError(MedusaError.Types.INVALID_DATA, `No unit price given for agent ${id}${label ? ` (${label})` : ""}`)
        return toMinor(toAmount(line.unit_prices[id], `unit price of agent ${id}`))
      })
      for (let i = 1; i < chain.length; i++) {
        if (units[i - 1] < units[i]) {
          throw new MedusaError(
            MedusaError.Types.NOT_ALLOWED,
            `Agent ${chain[i - 1]} would pay ${fromMinor(units[i - 1])}, less than its parent ${chain[i]} pays (${fromMinor(units[i])})${label ? ` for ${label}` : ""}: the price floor forbids it`
          )
        }
      }
      const q = BigInt(line.quantity)
      total += units[0] * q
      owed.set(chain[0], owed.get(chain[0])! - units[0] * q)
      for (let i = 1; i < chain.length; i++) owed.set(chain[i], owed.get(chain[i])! + (units[i - 1] - units[i]) * q)
      owed.set(null, owed.get(null)! + units[chain.length - 1] * q)
    }
    const missing = chained.find((c) => !c.account_id)
    if (missing) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent ${missing.agent_id} has no account in ${input.currency_code.toUpperCase()}`)
    const accounts = chained.map((c) => ({ account_id: c.account_id! }))
    const house = chained[0].house_account_id ?? (await this.houseAccount(input.currency_code, ctx))
    const legs: { agent_id: string | null; account_id: string; amount: string }[] = []
    for (const [i, id] of chain.entries()) {
      const amount = owed.get(id)!
      if (i === 0 || amount !== 0n) legs.push({ agent_id: id, account_id: accounts[i].account_id, amount: fromMinor(amount) })
    }
    legs.push({ agent_id: null, account_id: house, amount: fromMinor(owed.get(null)!) })
    const { transaction_id } = await this.post(
      {
        kind: "purchase",
        legs: legs.map(({ account_id, amount }) => ({ account_id, amount })),
        reference_type: input.reference_type,
        reference_id: input.reference_id,
        actor: input.actor,
      },
      ctx
    )
    return { transaction_id, legs, total: fromMinor(total) }
  }

  /**
   * Posts the exact reverse of a transaction (every leg negated) as a `refund`, referencing it: the ledger is
   * append-only, so an undone purchase stays visible as the pair. Reversing twice is refused.
   */
  @InjectManager()
  async reverseTransaction(
    input: { transaction_id: string; note: string; actor: LedgerActor },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ transaction_id: string }> {
    const knex = this.knex_(ctx)
    const legs = await knex("agent_ledger_entry")
      .select("account_id", knex.raw("trim_scale(-amount)::text AS amount"))
      .where({ transaction_id: input.transaction_id })
      .orderBy("id")
    if (!legs.length) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Ledger transaction ${input.transaction_id} was not found`)
    const done = await knex("agent_ledger_entry").first("transaction_id").where({ reference_type: "ledger_transaction", reference_id: input.transaction_id, kind: "refund" })
    if (done) return { transaction_id: done.transaction_id }
    return this.post(
      { kind: "refund", legs, reference_type: "ledger_transaction", reference_id: input.transaction_id, note: input.note, actor: input.actor },
      ctx
    )
  }

  /**
   * Claims an agent's `Idempotency-Key` for a wholesale order, in one INSERT that the unique index arbitrates: the
   * first request gets `created: true`; a later one with the same key gets the existing order when the body (its hash)
   * is the same and the order is complete, 409 while it is still being processed, and 422 when the body differs.
   */
  @InjectManager()
  async beginOrder(
    input: { agent_id: string; idempotency_key: string; request_hash: string },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ id: string; created: boolean }> {
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `INSERT INTO agent_order (id, agent_id, idempotency_key, request_hash, status)
       VALUES (?, ?, ?, ?, 'processing')
       ON CONFLICT (agent_id, idempotency_key) WHERE deleted_at IS NULL DO NOTHING
       RETURNING id`,
      [`aord_${randomBytes(12).toString("hex")}`, input.agent_id, input.idempotency_key, input.request_hash]
    )
    if (rows.length) return { id: rows[0].id, created: true }
    const existing = await knex("agent_order")
      .first("id", "request_hash", "status")
      .where({ agent_id: input.agent_id, idempotency_key: input.idempotency_key })
      .whereNull("deleted_at")
    if (existing && existing.request_hash !== input.request_hash) {
      throw new MedusaError(
        MedusaError.Types.DUPLICATE_ERROR,
        `Idempotency-Key ${JSON.stringify(input.idempotency_key)} was already used with a different request body`
      )
    }
    if (!existing || existing.status !== "completed") {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `A request with Idempotency-Key ${JSON.stringify(input.idempotency_key)} is still being processed: retry once it has finished`
      )
    }
    return { id: existing.id, created: false }
  }

  /** Frees the key of an order that did not go through (compensation of `beginOrder`): it may be sent again. */
  @InjectManager()
  async abandonOrder(id: string, @MedusaContext() ctx: Context = {}) {
    await this.knex_(ctx)("agent_order").where({ id, status: "processing" }).delete()
  }

  /**
   * Records how far a wholesale order got while it is processing (plan, quota consumed, ledger transaction, Medusa
   * order), for the recovery of a request cut off by a crash. Only a processing row is written.
   */
  @InjectManager()
  async recordOrderProgress(
    id: string,
    progress: {
      items?: unknown[]
      agent_chain?: string[]
      currency_code?: string
      quota_consumed?: unknown[] | null
      transaction_id?: string | null
      total?: string | null
      order_id?: string | null
      display_id?: number | null
    },
    @MedusaContext() ctx: Context = {}
  ) {
    const knex = this.knex_(ctx)
    const changes: Record<string, unknown> = { updated_at: knex.fn.now() }
    for (const [k, v] of Object.entries(progress)) {
      if (v === undefined) continue
      changes[k] = (k === "items" || k === "agent_chain" || k === "quota_consumed") && v !== null ? JSON.stringify(v) : v
    }
    await knex("agent_order").where({ id, status: "processing" }).update(changes)
  }

  /** Wholesale orders still processing after `olderThanSeconds` without progress: cut off by a crash. */
  @InjectManager()
  async listStaleOrders(olderThanSeconds: number, @MedusaContext() ctx: Context = {}): Promise<string[]> {
    const knex = this.knex_(ctx)
    const rows = await knex("agent_order")
      .select("id")
      .where({ status: "processing" })
      .whereNull("deleted_at")
      .where("updated_at", "<", knex.raw("now() - make_interval(secs => ?)", [olderThanSeconds]))
      .orderBy("updated_at")
      .limit(100)
    return rows.map((r: { id: string }) => r.id)
  }

  /**
   * Takes a stale processing order for recovery: one conditional UPDATE that renews its `updated_at`, so two recovery
   * runs never work on one order at once. Null when it finished, was taken, or is not stale.
   */
  @InjectManager()
  async claimStaleOrder(id: string, olderThanSeconds: number, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    const [row] = await knex("agent_order")
      .where({ id, status: "processing" })
      .where("updated_at", "<", knex.raw("now() - make_interval(secs => ?)", [olderThanSeconds]))
      .update({ updated_at: knex.fn.now() })
      .returning(["id", "agent_id", "order_id", "display_id", "currency_code", "total", "items", "agent_chain", "transaction_id", "quota_consumed"])
    return (row ?? null) as null | {
      id: string
      agent_id: string
      order_id: string | null
      display_id: number | null
      currency_code: string | null
      total: string | null
      items: any[] | null
      agent_chain: string[] | null
      transaction_id: string | null
      quota_consumed: { agent_id: string; variant_id: string; quantity: number }[] | null
    }
  }

  /** Records a wholesale order as complete, with what it bought, its chain, its ledger transaction and Medusa order. */
  @InjectManager()
  async completeOrder(
    input: {
      id: string
      order_id: string
      display_id: number | null
      currency_code: string
      total: string
      items: unknown[]
      agent_chain: string[]
      transaction_id: string
    },
    @MedusaContext() ctx: Context = {}
  ) {
    const knex = this.knex_(ctx)
    const updated: AgentOrderRow[] = await knex("agent_order")
      .where({ id: input.id, status: "processing" })
      .update({
        status: "completed",
        order_id: input.order_id,
        display_id: input.display_id,
        currency_code: input.currency_code,
        total: input.total,
        items: JSON.stringify(input.items),
        agent_chain: JSON.stringify(input.agent_chain),
        transaction_id: input.transaction_id,
        bookkeeping_status: "done",
        bookkept_at: knex.fn.now(),
        completed_at: knex.fn.now(),
        updated_at: knex.fn.now(),
      })
      .returning("id")
    if (!updated.length) throw new MedusaError(MedusaError.Types.CONFLICT, `Agent order ${input.id} is not being processed`)
  }

  /**
   * Runs `work` in one database transaction. `work` passes the context it gets to every module method it calls (the
   * plugin's modules live in one database), so that all of it commits or none of it does: a wholesale order's key,
   * quota, codes, ledger posting and agent order.
   */
  @InjectTransactionManager()
  async runInTransaction<T>(work: (ctx: Context) => Promise<T>, @MedusaContext() ctx: Context = {}): Promise<T> {
    return await work(ctx)
  }

  /**
   * Records a wholesale order as answered, in the transaction of its key, quota, codes and ledger posting: `completed`
   * with its plan and posting, its bookkeeping (the Medusa order) `pending` for the worker.
   */
  @InjectTransactionManager()
  async commitOrder(
    input: { id: string; currency_code: string; total: string; items: unknown[]; agent_chain: string[]; transaction_id: string; quota_consumed: unknown[] | null },
    @MedusaContext() ctx: Context = {}
  ) {
    const knex = this.knex_(ctx)
    const updated: AgentOrderRow[] = await knex("agent_order")
      .where({ id: input.id, status: "processing" })
      .update({
        status: "completed",
        currency_code: input.currency_code,
        total: input.total,
        items: JSON.stringify(input.items),
        agent_chain: JSON.stringify(input.agent_chain),
        transaction_id: input.transaction_id,
        quota_consumed: input.quota_consumed ? JSON.stringify(input.quota_consumed) : null,
        bookkeeping_status: "pending",
        completed_at: knex.fn.now(),
        updated_at: knex.fn.now(),
      })
      .returning(AGENT_ORDER_COLUMNS)
    if (!updated.length) throw new MedusaError(MedusaError.Types.CONFLICT, `Agent order ${input.id} is not being processed`)
    return updated[0]
  }

  /** The agent order of an Idempotency-Key (any status), or null: one indexed read. */
  @InjectManager()
  async findOrderByKey(
    input: { agent_id: string; idempotency_key: string },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ id: string; request_hash: string; status: string } | null> {
    const row = await this.knex_(ctx)("agent_order")
      .first("id", "request_hash", "status")
      .where({ agent_id: input.agent_id, idempotency_key: input.idempotency_key })
      .whereNull("deleted_at")
    return row ?? null
  }

  /** An agent's completed order as the wholesale API shows it, or null: one indexed read. */
  @InjectManager()
  async findCompletedOrder(input: { id: string; agent_id: string }, @MedusaContext() ctx: Context = {}): Promise<AgentOrderRow | null> {
    const row = await this.knex_(ctx)("agent_order")
      .first(AGENT_ORDER_COLUMNS)
      .where({ id: input.id, agent_id: input.agent_id, status: "completed" })
      .whereNull("deleted_at")
    return row ?? null
  }

  /**
   * Runs `work` while this process holds the bookkeeping lease of a wholesale order: a PostgreSQL session advisory lock
   * taken on a connection of its own, so that two workers never record one order at once and a worker that dies loses
   * the lease at that very moment (its connection closes) — no lock left to time out. `{ ran: false }` without running
   * `work` when another worker holds it.
   */
  async withBookkeepingLease<T>(id: string, work: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }> {
    const knex: Knex = (this.baseRepository_ as unknown as { getFreshManager(): { getKnex(): Knex } }).getFreshManager().getKnex()
    const conn = await knex.client.acquireConnection()
    const key = `agent-order-bookkeeping:${id}`
    try {
      const { rows } = await conn.query("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok", [key])
      if (!rows[0].ok) return { ran: false }
      try {
        return { ran: true, result: await work() }
      } finally {
        await conn.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [key])
      }
    } finally {
      await knex.client.releaseConnection(conn)
    }
  }

  /** Answered wholesale orders whose Medusa order is not recorded yet, oldest first (the bookkeeping outbox). */
  async listPendingBookkeeping(limit = 100): Promise<string[]> {
    return (await this.pendingBookkeeping(limit)).map((r) => r.id)
  }

  /** The bookkeeping outbox with each order's answer time, oldest first. */
  @InjectManager()
  async pendingBookkeeping(limit = 100, @MedusaContext() ctx: Context = {}): Promise<{ id: string; completed_at: Date }[]> {
    return await this.knex_(ctx)("agent_order")
      .select("id", "completed_at")
      .where({ bookkeeping_status: "pending" })
      .whereNull("deleted_at")
      .orderBy([{ column: "created_at" }, { column: "id" }])
      .limit(Math.max(1, Math.min(1000, Math.trunc(limit))))
  }

  /** Records the Medusa order of a wholesale order whose bookkeeping is pending (once: a recorded order is kept). */
  @InjectManager()
  async recordBookkeepingOrder(input: { id: string; order_id: string; display_id: number | null }, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    await knex("agent_order")
      .where({ id: input.id, bookkeeping_status: "pending" })
      .whereNull("order_id")
      .update({ order_id: input.order_id, display_id: input.display_id, updated_at: knex.fn.now() })
  }

  /** Forgets a Medusa order recorded by a bookkeeping run that was undone (compensation). */
  @InjectManager()
  async forgetBookkeepingOrder(input: { id: string; order_id: string }, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    await knex("agent_order")
      .where({ id: input.id, bookkeeping_status: "pending", order_id: input.order_id })
      .update({ order_id: null, display_id: null, updated_at: knex.fn.now() })
  }

  /**
   * Closes a wholesale order's bookkeeping (its Medusa order is paid, fulfilled and linked) and queues the agent's
   * webhook with it, in one transaction. A second call does nothing and queues nothing.
   */
  @InjectTransactionManager()
  async finishBookkeeping(
    input: { id: string; webhook: { agent_id: string; event: string; payload: Record<string, unknown> } },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ finished: boolean }> {
    const knex = this.knex_(ctx)
    const updated = await knex("agent_order")
      .where({ id: input.id, bookkeeping_status: "pending" })
      .whereNotNull("order_id")
      .update({ bookkeeping_status: "done", bookkeeping_error: null, bookkept_at: knex.fn.now(), updated_at: knex.fn.now() })
      .returning("id")
    if (!updated.length) return { finished: false }
    await this.queueWebhook(input.webhook, ctx)
    return { finished: true }
  }

  /** Counts a failed bookkeeping attempt and keeps its error for the admin (the job tries again). */
  @InjectManager()
  async failBookkeeping(input: { id: string; error: string }, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    await knex("agent_order")
      .where({ id: input.id, bookkeeping_status: "pending" })
      .update({
        bookkeeping_attempts: knex.raw("bookkeeping_attempts + 1"),
        bookkeeping_error: input.error.slice(0, 1000),
        updated_at: knex.fn.now(),
      })
  }

  /**
   * An agent's statement (对账单) for a period [from, to): the balance at `from`, every entry in order with the balance
   * after it, totals by kind, and the balance at `to` — which equals the opening balance plus the entries, and, for a
   * period reaching now, the account's balance.
   */
  @InjectManager()
  async statement(
    input: { agent_id: string; currency_code: string; from: Date; to: Date },
    @MedusaContext() ctx: Context = {}
  ): Promise<AgentStatement> {
    const account = await this.accountOf(input.agent_id, input.currency_code, ctx)
    const knex = this.knex_(ctx)
    const [opening] = (
      await knex.raw(`SELECT trim_scale(coalesce(sum(amount), 0))::text AS v FROM agent_ledger_entry WHERE account_id = ? AND created_at < ?`, [
        account.account_id,
        input.from.toISOString(),
      ])
    ).rows
    const { rows } = await knex.raw(
      `SELECT id, transaction_id, kind, trim_scale(amount)::text AS amount, reference_type, reference_id, note, actor_type, actor_id, created_at,
              trim_scale(?::numeric + sum(amount) OVER (ORDER BY created_at, id))::text AS balance_after
         FROM agent_ledger_entry
        WHERE account_id = ? AND created_at >= ? AND created_at < ?
        ORDER BY created_at, id`,
      [opening.v, account.account_id, input.from.toISOString(), input.to.toISOString()]
    )
    const totals: Record<string, bigint> = {}
    for (const r of rows) totals[r.kind] = (totals[r.kind] ?? 0n) + toMinor(r.amount)
    const closing = rows.length ? rows[rows.length - 1].balance_after : opening.v
    return {
      agent_id: input.agent_id,
      currency_code: account.currency_code,
      from: input.from.toISOString(),
      to: input.to.toISOString(),
      opening_balance: opening.v,
      closing_balance: closing,
      totals: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, fromMinor(v)])),
      entries: rows.map((r: any) => ({ ...r, created_at: new Date(r.created_at).toISOString() })),
    }
  }

  /** The agent's account in a currency, with what it can still spend. */
  @InjectManager()
  async accountOf(agentId: string, currencyCode: string, @MedusaContext() ctx: Context = {}): Promise<AccountBalance> {
    const knex = this.knex_(ctx)
    const row = await knex("agent_account")
      .first("id", "agent_id", "currency_code", ...BALANCE_COLUMNS(knex))
      .where({ agent_id: agentId, currency_code: currencyCode.toLowerCase() })
      .whereNull("deleted_at")
    if (!row) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent ${agentId} has no account in ${currencyCode.toUpperCase()}`)
    }
    return toBalance(row)
  }

  /**
   * Balances of the agent accounts (house accounts keep no running balance: theirs is the sum of their entries, and
   * the entries of every transaction sum to zero).
   */
  @InjectManager()
  async balances(agentIds?: string[], @MedusaContext() ctx: Context = {}): Promise<AccountBalance[]> {
    const knex = this.knex_(ctx)
    const q = knex("agent_account")
      .select("id", "agent_id", "currency_code", ...BALANCE_COLUMNS(knex))
      .where({ kind: "agent" })
      .whereNull("deleted_at")
      .orderBy("id")
    if (agentIds) q.whereIn("agent_id", agentIds)
    return (await q).map(toBalance)
  }

  /**
   * Stores a key for an agent: `prefix` and `secret_hash` from `newAgentKey()` (the caller keeps the full key to show
   * it once). Scopes must be known; an expiry must lie in the future; a frozen or unknown agent gets no key.
   */
  @InjectTransactionManager()
  async createApiKey(
    input: { agent_id: string; name: string; scopes: string[]; expires_at?: Date | null; prefix: string; secret_hash: string; created_by?: string | null },
    @MedusaContext() ctx: Context = {}
  ) {
    const knex = this.knex_(ctx)
    const agent = await knex("agent").first("id", "status").where({ id: input.agent_id }).whereNull("deleted_at")
    if (!agent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${input.agent_id} was not found`)
    if (agent.status === "frozen") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${input.agent_id} is frozen: it gets no new API key`)
    const unknown = input.scopes.filter((s) => !(AGENT_KEY_SCOPES as readonly string[]).includes(s))
    if (!input.scopes.length || unknown.length) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `scopes must be one or more of ${AGENT_KEY_SCOPES.join(", ")}${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}`
      )
    }
    if (input.expires_at && input.expires_at.getTime() <= Date.now()) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "expires_at must be in the future")
    }
    return this.createAgentApiKeys(
      {
        agent_id: input.agent_id,
        name: input.name,
        prefix: input.prefix,
        secret_hash: input.secret_hash,
        scopes: [...new Set(input.scopes)] as any,
        expires_at: input.expires_at ?? null,
        created_by: input.created_by ?? null,
      },
      ctx
    )
  }

  /**
   * The agent behind a wholesale API key, or an UNAUTHORIZED error that says the same for a malformed, unknown,
   * revoked or expired key and a wrong secret (nothing to probe). Revocation takes effect on the next request. The
   * agent must be active. Records when the key was last used (at most once a minute).
   */
  @InjectManager()
  async authenticateApiKey(key: string, @MedusaContext() ctx: Context = {}): Promise<AgentPrincipal> {
    const denied = () => new MedusaError(MedusaError.Types.UNAUTHORIZED, "Invalid, expired or revoked API key")
    const m = KEY_RE.exec(String(key ?? ""))
    const knex = this.knex_(ctx)
    const row = await knex("agent_api_key as k")
      .join("agent as a", "a.id", "k.agent_id")
      .first("k.id", "k.agent_id", "k.secret_hash", "k.scopes", "k.expires_at", "k.revoked_at", "a.status")
      // A malformed key takes the same path (a lookup that finds nothing, a hash, a comparison): no timing tells it apart.
      .where("k.prefix", m?.[1] ?? "-")
      .whereNull("k.deleted_at")
      .whereNull("a.deleted_at")
    const given = Buffer.from(hashSecret(m?.[2] ?? String(key ?? "")), "hex")
    const stored = Buffer.from(row?.secret_hash ?? "0".repeat(64), "hex")
    const match = given.length === stored.length && timingSafeEqual(given, stored)
    if (!m || !row || !match || row.revoked_at || (row.expires_at && new Date(row.expires_at).getTime() <= Date.now())) throw denied()
    if (row.status !== "active") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${row.agent_id} is frozen`)
    const principal = { agent_id: row.agent_id, key_id: row.id, scopes: typeof row.scopes === "string" ? JSON.parse(row.scopes) : row.scopes }
    // Written by this process less than a resolution ago: no statement (the conditional UPDATE guards the rest).
    const now = Date.now()
    if (now - (this.lastUsedWrites_.get(row.id) ?? 0) >= LAST_USED_RESOLUTION_SECONDS * 1000) {
      this.lastUsedWrites_.set(row.id, now)
      if (this.lastUsedWrites_.size > 10_000) this.lastUsedWrites_.delete(this.lastUsedWrites_.keys().next().value!)
      await knex.raw(
        `UPDATE agent_api_key SET last_used_at = now()
          WHERE id = ? AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => ?))`,
        [row.id, LAST_USED_RESOLUTION_SECONDS]
      )
    }
    return principal
  }

  /** Revokes an agent's key (idempotent); the next request with it is refused. */
  @InjectTransactionManager()
  async revokeApiKey(input: { agent_id: string; key_id: string }, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    const rows = await knex("agent_api_key")
      .where({ id: input.key_id, agent_id: input.agent_id })
      .whereNull("deleted_at")
      .update({ revoked_at: knex.raw("coalesce(revoked_at, now())"), updated_at: knex.fn.now() })
      .returning(["id", "revoked_at"])
    if (!rows.length) throw new MedusaError(MedusaError.Types.NOT_FOUND, `API key ${input.key_id} of agent ${input.agent_id} was not found`)
    return rows[0]
  }

  /**
   * Sets (or replaces) an agent's quota for a variant: `limit` codes in total (`period: "none"`) or per UTC calendar
   * day, week or month. Replacing keeps what was used in the current period (a lower limit than that is refused).
   */
  @InjectTransactionManager()
  async setQuota(
    input: { agent_id: string; variant_id: string; limit: number; period?: "none" | "day" | "week" | "month" },
    @MedusaContext() ctx: Context = {}
  ) {
    if (!Number.isInteger(input.limit) || input.limit < 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `limit must be a non-negative integer, got ${JSON.stringify(input.limit)}`)
    }
    const period = input.period ?? "none"
    const knex = this.knex_(ctx)
    const agent = await knex("agent").first("id").where({ id: input.agent_id }).whereNull("deleted_at")
    if (!agent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${input.agent_id} was not found`)
    const start = period === "none" ? null : knex.raw(`date_trunc('${period}', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`)
    try {
      const { rows } = await knex.raw(
        `INSERT INTO agent_quota (id, agent_id, variant_id, quota_limit, period, used, period_start)
         VALUES (?, ?, ?, ?, ?, 0, ${start ? "?" : "NULL"})
         ON CONFLICT (agent_id, variant_id) WHERE deleted_at IS NULL DO UPDATE
            SET quota_limit = EXCLUDED.quota_limit, period = EXCLUDED.period, updated_at = now(),
                used = CASE WHEN agent_quota.period = EXCLUDED.period THEN agent_quota.used ELSE 0 END,
                period_start = CASE WHEN agent_quota.period = EXCLUDED.period THEN agent_quota.period_start ELSE EXCLUDED.period_start END
         RETURNING id, quota_limit, period, used`,
        [`aquota_${randomBytes(10).toString("hex")}`, input.agent_id, input.variant_id, input.limit, period, ...(start ? [start] : [])]
      )
      return rows[0] as { id: string; quota_limit: number; period: string; used: number }
    } catch (e: any) {
      if (/agent_quota_within_limit/.test(String(e?.message))) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `limit ${input.limit} is below what agent ${input.agent_id} already used of variant ${input.variant_id} in this period`)
      }
      throw e
    }
  }

  /**
   * Consumes `quantity` of the agent's quota for a variant in one conditional statement (a new period starts from
   * zero). No quota means no limit: `{ limited: false }`. Beyond the quota nothing is consumed and NOT_ALLOWED says
   * what is left.
   */
  @InjectManager()
  async consumeQuota(
    input: { agent_id: string; variant_id: string; quantity: number },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ limited: boolean; used?: number; remaining?: number }> {
    if (!Number.isInteger(input.quantity) || input.quantity <= 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "quantity must be a positive integer")
    }
    const knex = this.knex_(ctx)
    // One statement in the common cases: the conditional UPDATE, and whether the agent has a quota for the variant at
    // all. Only a refusal reads the quota again (in a fresh snapshot, after the concurrent orders it waited for).
    const { rows } = await knex.raw(
      `WITH consumed AS (
         UPDATE agent_quota
            SET used = (CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN 0 ELSE used END) + ?,
                period_start = CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN ${QUOTA_PERIOD_START} ELSE period_start END,
                updated_at = now()
          WHERE agent_id = ? AND variant_id = ? AND deleted_at IS NULL
            AND (CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN 0 ELSE used END) + ? <= quota_limit
          RETURNING used, quota_limit)
       SELECT (SELECT json_build_object('used', used, 'quota_limit', quota_limit) FROM consumed) AS consumed,
              EXISTS (SELECT 1 FROM agent_quota WHERE agent_id = ? AND variant_id = ? AND deleted_at IS NULL) AS has_quota`,
      [input.quantity, input.agent_id, input.variant_id, input.quantity, input.agent_id, input.variant_id]
    )
    const { consumed, has_quota } = rows[0] as { consumed: { used: number; quota_limit: number } | null; has_quota: boolean }
    if (consumed) return { limited: true, used: consumed.used, remaining: consumed.quota_limit - consumed.used }
    if (!has_quota) return { limited: false }
    const [quota] = (
      await knex.raw(
        `SELECT quota_limit, CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN 0 ELSE used END AS used, period FROM agent_quota
          WHERE agent_id = ? AND variant_id = ? AND deleted_at IS NULL`,
        [input.agent_id, input.variant_id]
      )
    ).rows
    if (!quota) return { limited: false }
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Quota exceeded: agent ${input.agent_id} may buy ${quota.quota_limit - quota.used} more of variant ${input.variant_id}${quota.period === "none" ? "" : ` this ${quota.period}`}, asked for ${input.quantity}`
    )
  }

  /** Gives back quantity consumed by an order that did not go through (compensation of `consumeQuota`). */
  @InjectManager()
  async releaseQuota(input: { agent_id: string; variant_id: string; quantity: number }, @MedusaContext() ctx: Context = {}) {
    await this.knex_(ctx).raw(
      `UPDATE agent_quota SET used = greatest(used - ?, 0), updated_at = now() WHERE agent_id = ? AND variant_id = ? AND deleted_at IS NULL`,
      [input.quantity, input.agent_id, input.variant_id]
    )
  }

  /** An agent's webhook signing secret (derived, never stored): `whsec_` + HMAC(server key, agent id, version). */
  webhookSecret(agentId: string, version: number): string {
    if (!this.options_.webhook_key) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Webhooks need a server key: set VIRTUAL_GOODS_WEBHOOK_KEY (base64, 32 bytes)")
    }
    const key = Buffer.from(this.options_.webhook_key, "base64")
    return `whsec_${createHmac("sha256", key).update(`agent-webhook:${agentId}:${version}`).digest("base64url")}`
  }

  /** Why a webhook URL is refused (see `webhookUrlProblem`), or null. */
  async webhookUrlProblem(url: string): Promise<string | null> {
    return webhookUrlProblem(url, { allowPrivate: this.options_.allow_private_webhook_urls })
  }

  /**
   * Sets (or with `url: null` removes) an agent's webhook URL. A new secret (the version bumped) when asked for or when
   * the agent had no URL; returns it so it can be shown once. A refused URL says why.
   */
  @InjectTransactionManager()
  async setWebhook(
    input: { agent_id: string; url: string | null; rotate_secret?: boolean },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ url: string | null; secret: string | null; previous: { url: string | null; version: number } }> {
    const knex = this.knex_(ctx)
    const agent = await knex("agent").first("id", "webhook_url", "webhook_secret_version").where({ id: input.agent_id }).whereNull("deleted_at")
    if (!agent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${input.agent_id} was not found`)
    const previous = { url: agent.webhook_url as string | null, version: Number(agent.webhook_secret_version) }
    if (input.url === null) {
      await knex("agent").where({ id: input.agent_id }).update({ webhook_url: null, updated_at: knex.fn.now() })
      return { url: null, secret: null, previous }
    }
    const problem = await this.webhookUrlProblem(input.url)
    if (problem) throw new MedusaError(MedusaError.Types.INVALID_DATA, `url is refused: ${problem}`)
    const newSecret = !!input.rotate_secret || !agent.webhook_url
    const version = previous.version + (newSecret ? 1 : 0)
    const secret = newSecret ? this.webhookSecret(input.agent_id, version) : null
    await knex("agent").where({ id: input.agent_id }).update({ webhook_url: input.url, webhook_secret_version: version, updated_at: knex.fn.now() })
    return { url: input.url, secret, previous }
  }

  /** Puts back an agent's webhook URL and secret version (compensation of `setWebhook`). */
  @InjectManager()
  async restoreWebhook(input: { agent_id: string; url: string | null; version: number }, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    await knex("agent").where({ id: input.agent_id }).update({ webhook_url: input.url, webhook_secret_version: input.version, updated_at: knex.fn.now() })
  }

  /** Queues an event for the agent's webhook; nothing (null) when the agent has no URL. */
  @InjectManager()
  async queueWebhook(
    input: { agent_id: string; event: string; payload: Record<string, unknown> },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ id: string } | null> {
    const knex = this.knex_(ctx)
    const { rows } = await knex.raw(
      `INSERT INTO agent_webhook_delivery (id, agent_id, event, payload, status, attempts, next_attempt_at)
       SELECT ?, a.id, ?, ?::jsonb, 'pending', 0, now() FROM agent a WHERE a.id = ? AND a.webhook_url IS NOT NULL
       RETURNING id`,
      [`awhd_${randomBytes(12).toString("hex")}`, input.event, JSON.stringify(input.payload), input.agent_id]
    )
    return rows[0] ?? null
  }

  /** Removes a queued delivery that was never attempted (compensation of `queueWebhook`). */
  @InjectManager()
  async discardWebhook(id: string, @MedusaContext() ctx: Context = {}) {
    await this.knex_(ctx)("agent_webhook_delivery").where({ id, attempts: 0 }).delete()
  }

  /**
   * Sends the deliveries that are due, each claimed with `FOR UPDATE SKIP LOCKED` and leased for a while (so two
   * workers never send one twice at once): POST with `X-VG-Signature: v1=HMAC(secret, "<timestamp>.<body>")`, no
   * redirects followed, the URL checked again first. A 2xx delivers; anything else retries with backoff and, after
   * the last attempt, leaves it `dead` for an admin to replay.
   */
  @InjectManager()
  async sendDueWebhooks(input: { limit?: number; ids?: string[] } = {}, @MedusaContext() ctx: Context = {}): Promise<WebhookDeliveryResult[]> {
    const knex = this.knex_(ctx)
    const limit = Number.isInteger(input.limit) && input.limit! > 0 ? input.limit! : 20
    const { rows } = await knex.raw(
      `UPDATE agent_webhook_delivery d SET next_attempt_at = now() + make_interval(secs => ?), updated_at = now()
         FROM (SELECT id FROM agent_webhook_delivery
                WHERE status = 'pending' AND next_attempt_at <= now() AND deleted_at IS NULL ${input.ids ? "AND id = ANY(?)" : ""}
                ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due
        WHERE d.id = due.id
        RETURNING d.id, d.agent_id, d.event, d.payload, d.attempts, d.created_at`,
      [Math.ceil(this.options_.webhook_timeout_ms / 1000) + 60, ...(input.ids ? [input.ids] : []), limit]
    )
    const results: WebhookDeliveryResult[] = []
    for (const row of rows) {
      const agent = await knex("agent").first("webhook_url", "webhook_secret_version").where({ id: row.agent_id })
      let status: number | null = null
      let error: string | null = null
      try {
        if (!agent?.webhook_url) throw new Error("the agent has no webhook URL")
        const problem = await this.webhookUrlProblem(agent.webhook_url)
        if (problem) throw new Error(`URL refused: ${problem}`)
        const body = JSON.stringify({ id: row.id, event: row.event, created_at: new Date(row.created_at).toISOString(), data: row.payload })
        const timestamp = Math.floor(Date.now() / 1000)
        const response = await fetch(agent.webhook_url, {
          method: "POST",
          redirect: "manual",
          signal: AbortSignal.timeout(this.options_.webhook_timeout_ms),
          headers: {
            "content-type": "application/json",
            "user-agent": "medusa-virtual-goods-webhooks",
            "x-vg-event": row.event,
            "x-vg-delivery": row.id,
            "x-vg-timestamp": String(timestamp),
            "x-vg-signature": signWebhook(this.webhookSecret(row.agent_id, Number(agent.webhook_secret_version)), timestamp, body),
          },
          body,
        })
        status = response.status
        await response.arrayBuffer().catch(() => undefined)
        if (status < 200 || status >= 300) error = `HTTP ${status}`
      } catch (e: any) {
        error = (e?.name === "TimeoutError" ? "timeout" : String(e?.cause?.code ?? e?.message ?? e)).slice(0, 500)
      }
      const attempts = Number(row.attempts) + 1
      const next = !error ? "delivered" : attempts >= this.options_.webhook_max_attempts ? "dead" : "pending"
      await knex("agent_webhook_delivery")
        .where({ id: row.id })
        .update({
          status: next,
          attempts,
          last_status: status,
          last_error: error,
          delivered_at: next === "delivered" ? knex.fn.now() : null,
          next_attempt_at: knex.raw("now() + make_interval(secs => ?)", [next === "pending" ? webhookBackoffSeconds(attempts) : 0]),
          updated_at: knex.fn.now(),
        })
      results.push({ id: row.id, status: next, attempts, last_status: status, last_error: error })
    }
    return results
  }

  /** Sends a dead (or pending) delivery again from the first attempt, now. Returns the state it had before. */
  @InjectManager()
  async replayWebhook(id: string, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    const before = await knex("agent_webhook_delivery").first("id", "status", "attempts", "next_attempt_at").where({ id }).whereNull("deleted_at")
    if (!before) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Webhook delivery with id: ${id} was not found`)
    if (before.status === "delivered") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Webhook delivery ${id} was delivered already`)
    await knex("agent_webhook_delivery").where({ id }).update({ status: "pending", attempts: 0, next_attempt_at: knex.fn.now(), updated_at: knex.fn.now() })
    return before as { id: string; status: string; attempts: number; next_attempt_at: Date }
  }

  /**
   * The agent's quotas as of now: `used` and `remaining` count the current period (a period that ended without a
   * purchase since shows 0 used, as the next purchase will).
   */
  @InjectManager()
  async quotasOf(agentId: string, ids?: string[], @MedusaContext() ctx: Context = {}) {
    const { rows } = await this.knex_(ctx).raw(
      `SELECT id, variant_id, quota_limit, period, CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN 0 ELSE used END AS used,
              quota_limit - (CASE WHEN ${QUOTA_PERIOD_LAPSED} THEN 0 ELSE used END) AS remaining,
              CASE WHEN period = 'none' THEN NULL ELSE ${QUOTA_PERIOD_START} END AS period_start, updated_at
         FROM agent_quota WHERE agent_id = ? AND deleted_at IS NULL ${ids ? "AND id = ANY(?)" : ""}
        ORDER BY created_at, id`,
      [agentId, ...(ids ? [ids] : [])]
    )
    return rows as { id: string; variant_id: string; quota_limit: number; period: string; used: number; remaining: number; period_start: Date | null; updated_at: Date }[]
  }

  /** The agent's ledger entries, newest first, with amounts as exact decimal strings. */
  @InjectManager()
  async ledgerOf(agentId: string, page: { limit: number; offset: number }, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    const base = knex("agent_ledger_entry").where({ agent_id: agentId }).whereNull("deleted_at")
    const [entries, [{ count }]] = await Promise.all([
      base
        .clone()
        .select("id", "transaction_id", "kind", knex.raw("trim_scale(amount)::text AS amount"), "currency_code", "reference_type", "reference_id", "note", "actor_type", "actor_id", "created_at")
        .orderBy([{ column: "created_at", order: "desc" }, { column: "id", order: "desc" }])
        .limit(page.limit)
        .offset(page.offset),
      base.clone().count({ count: "*" }),
    ])
    return { entries, count: Number(count) }
  }

  /**
   * The agents below `agentId` at any depth, as summaries: id, name, parent, status, depth, and per currency how many
   * completed orders they placed and their total.
   */
  @InjectManager()
  async subAgentSummaries(agentId: string, @MedusaContext() ctx: Context = {}) {
    const { rows } = await this.knex_(ctx).raw(
      `WITH RECURSIVE down AS (
         SELECT id, name, parent_id, status, 1 AS depth FROM agent WHERE parent_id = ? AND deleted_at IS NULL
         UNION ALL
         SELECT a.id, a.name, a.parent_id, a.status, down.depth + 1 FROM agent a JOIN down ON a.parent_id = down.id
          WHERE a.deleted_at IS NULL AND down.depth < 64)
       SELECT d.id, d.name, d.parent_id, d.status, d.depth,
              coalesce(json_agg(json_build_object('currency_code', o.currency_code, 'orders', o.n, 'total', o.total))
                         FILTER (WHERE o.currency_code IS NOT NULL), '[]') AS purchases
         FROM down d
         LEFT JOIN (SELECT agent_id, currency_code, count(*)::int AS n, trim_scale(sum(total::numeric))::text AS total
                      FROM agent_order WHERE status = 'completed' AND deleted_at IS NULL GROUP BY agent_id, currency_code) o
                ON o.agent_id = d.id
        GROUP BY d.id, d.name, d.parent_id, d.status, d.depth
        ORDER BY d.depth, d.name, d.id`,
      [agentId]
    )
    return rows as { id: string; name: string; parent_id: string; status: string; depth: number; purchases: { currency_code: string; orders: number; total: string }[] }[]
  }

  /**
   * The buyer and its ancestors (nearest first) with their accounts in `currency` (null: none), and the house account
   * of the currency (null: not created yet) on every row — in one statement.
   */
  private async chainAccounts_(
    agentId: string,
    currency: string,
    ctx: Context
  ): Promise<{ agent_id: string; account_id: string | null; house_account_id: string | null }[]> {
    const { rows } = await this.knex_(ctx).raw(
      `WITH RECURSIVE up AS (
         SELECT id, parent_id, 0 AS depth FROM agent WHERE id = :agent AND deleted_at IS NULL
         UNION ALL
         SELECT a.id, a.parent_id, up.depth + 1 FROM agent a JOIN up ON a.id = up.parent_id WHERE a.deleted_at IS NULL AND up.depth < 64)
       SELECT up.id AS agent_id,
              (SELECT c.id FROM agent_account c WHERE c.agent_id = up.id AND c.currency_code = :currency AND c.deleted_at IS NULL LIMIT 1) AS account_id,
              (SELECT h.id FROM agent_account h WHERE h.kind = 'house' AND h.currency_code = :currency AND h.deleted_at IS NULL LIMIT 1) AS house_account_id
         FROM up ORDER BY up.depth`,
      { agent: agentId, currency: currency.toLowerCase() }
    )
    // An unknown buyer is still a chain of one (as ancestorsOf would make it): its missing account says so.
    return rows.length ? rows : [{ agent_id: agentId, account_id: null, house_account_id: null }]
  }

  /** The chain of agents above `agentId`, nearest first (its parent, the parent's parent, …). */
  @InjectManager()
  async ancestorsOf(agentId: string, @MedusaContext() ctx: Context = {}): Promise<string[]> {
    const { rows } = await this.knex_(ctx).raw(
      `WITH RECURSIVE up AS (
         SELECT parent_id, 1 AS depth FROM agent WHERE id = ? AND deleted_at IS NULL
         UNION ALL
         SELECT a.parent_id, up.depth + 1 FROM agent a JOIN up ON a.id = up.parent_id WHERE a.deleted_at IS NULL AND up.depth < 64)
       SELECT parent_id FROM up WHERE parent_id IS NOT NULL ORDER BY depth`,
      [agentId]
    )
    return rows.map((r: { parent_id: string }) => r.parent_id)
  }
}

/** Decimal amounts (at most 4 places) as integers of 1/10,000, for exact arithmetic in JavaScript. */
export function toMinor(amount: string): bigint {
  const negative = amount.startsWith("-")
  const [whole, fraction = ""] = amount.replace(/^-/, "").split(".")
  const value = BigInt(whole) * 10_000n + BigInt((fraction + "0000").slice(0, 4))
  return negative ? -value : value
}

export function fromMinor(value: bigint): string {
  const negative = value < 0n
  const abs = negative ? -value : value
  const whole = abs / 10_000n
  const fraction = (abs % 10_000n).toString().padStart(4, "0").replace(/0+$/, "")
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`
}

/** Amounts as exact decimal strings computed by PostgreSQL (never floating point). */
const BALANCE_COLUMNS = (knex: Knex) => [
  knex.raw("trim_scale(balance)::text AS balance"),
  knex.raw("trim_scale(credit_limit)::text AS credit_limit"),
  knex.raw("trim_scale(balance + credit_limit)::text AS available"),
]

function toBalance(row: { id: string; agent_id: string | null; currency_code: string; balance: string; credit_limit: string; available: string }): AccountBalance {
  return {
    account_id: row.id,
    agent_id: row.agent_id,
    currency_code: row.currency_code,
    balance: row.balance,
    credit_limit: row.credit_limit,
    available: row.available,
  }
}

export default AgentsModuleService
