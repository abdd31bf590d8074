import { createHash, randomBytes, timingSafeEqual } from "crypto"
import type { Context, DAL } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext, MedusaError, MedusaService } from "@medusajs/framework/utils"
import { Agent, AgentAccount, AgentApiKey, AgentLedgerEntry, AgentQuota } from "./models"

type Knex = any

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
class AgentsModuleService extends MedusaService({ Agent, AgentAccount, AgentLedgerEntry, AgentApiKey, AgentQuota }) {
  protected baseRepository_: DAL.RepositoryService

  constructor(container: Record<string, any>) {
    super(...arguments)
    this.baseRepository_ = container.baseRepository
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
   * A purchase by an agent with the commissions (分润) of the agents above it, as ONE ledger transaction: the buyer
   * pays its unit price × quantity; each ancestor earns the difference between the price its child pays and its own
   * price; the house keeps what the top of the chain pays. All legs or none — an overdraft refuses the whole posting.
   * `unit_prices` maps the buyer and every ancestor to its unit price (exact decimals). A price below the parent's
   * (which the price floor prevents) is refused: commissions are never negative.
   */
  @InjectManager()
  async postPurchase(
    input: {
      buyer_agent_id: string
      currency_code: string
      quantity: number
      unit_prices: Record<string, string | number>
      reference_type: string
      reference_id: string
      actor: LedgerActor
    },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ transaction_id: string; legs: { agent_id: string | null; account_id: string; amount: string }[] }> {
    if (!Number.isInteger(input.quantity) || input.quantity <= 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "quantity must be a positive integer")
    }
    const chain = [input.buyer_agent_id, ...(await this.ancestorsOf(input.buyer_agent_id, ctx))]
    const units = chain.map((id) => {
      if (input.unit_prices[id] === undefined) throw new MedusaError(MedusaError.Types.INVALID_DATA, `No unit price given for agent ${id}`)
      return toMinor(toAmount(input.unit_prices[id], `unit price of agent ${id}`))
    })
    for (let i = 1; i < chain.length; i++) {
      if (units[i - 1] < units[i]) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Agent ${chain[i - 1]} would pay ${fromMinor(units[i - 1])}, less than its parent ${chain[i]} pays (${fromMinor(units[i])}): the price floor forbids it`
        )
      }
    }
    const q = BigInt(input.quantity)
    const accounts = await Promise.all(chain.map((id) => this.accountOf(id, input.currency_code, ctx)))
    const house = await this.houseAccount(input.currency_code)
    const legs: { agent_id: string | null; account_id: string; amount: string }[] = [
      { agent_id: chain[0], account_id: accounts[0].account_id, amount: fromMinor(-units[0] * q) },
    ]
    for (let i = 1; i < chain.length; i++) {
      const commission = (units[i - 1] - units[i]) * q
      if (commission > 0n) legs.push({ agent_id: chain[i], account_id: accounts[i].account_id, amount: fromMinor(commission) })
    }
    legs.push({ agent_id: null, account_id: house, amount: fromMinor(units[chain.length - 1] * q) })
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
    return { transaction_id, legs }
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
    if (!m) throw denied()
    const knex = this.knex_(ctx)
    const row = await knex("agent_api_key as k")
      .join("agent as a", "a.id", "k.agent_id")
      .first("k.id", "k.agent_id", "k.secret_hash", "k.scopes", "k.expires_at", "k.revoked_at", "a.status")
      .where("k.prefix", m[1])
      .whereNull("k.deleted_at")
      .whereNull("a.deleted_at")
    const given = Buffer.from(hashSecret(m[2]), "hex")
    const stored = Buffer.from(row?.secret_hash ?? "0".repeat(64), "hex")
    const match = given.length === stored.length && timingSafeEqual(given, stored)
    if (!row || !match || row.revoked_at || (row.expires_at && new Date(row.expires_at).getTime() <= Date.now())) throw denied()
    if (row.status !== "active") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${row.agent_id} is frozen`)
    await knex.raw(
      `UPDATE agent_api_key SET last_used_at = now()
        WHERE id = ? AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => ?))`,
      [row.id, LAST_USED_RESOLUTION_SECONDS]
    )
    return { agent_id: row.agent_id, key_id: row.id, scopes: typeof row.scopes === "string" ? JSON.parse(row.scopes) : row.scopes }
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
    const current = `date_trunc(period, now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`
    // CASE, not AND: PostgreSQL may evaluate AND's operands in any order, and date_trunc('none', …) would fail.
    const fresh = `(CASE WHEN period = 'none' THEN false ELSE (period_start IS NULL OR period_start < ${current}) END)`
    const { rows } = await knex.raw(
      `UPDATE agent_quota
          SET used = (CASE WHEN ${fresh} THEN 0 ELSE used END) + ?,
              period_start = CASE WHEN ${fresh} THEN ${current} ELSE period_start END,
              updated_at = now()
        WHERE agent_id = ? AND variant_id = ? AND deleted_at IS NULL
          AND (CASE WHEN ${fresh} THEN 0 ELSE used END) + ? <= quota_limit
        RETURNING used, quota_limit`,
      [input.quantity, input.agent_id, input.variant_id, input.quantity]
    )
    if (rows.length) return { limited: true, used: rows[0].used, remaining: rows[0].quota_limit - rows[0].used }
    const [quota] = (
      await knex.raw(
        `SELECT quota_limit, CASE WHEN ${fresh} THEN 0 ELSE used END AS used, period FROM agent_quota
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
