import { randomBytes } from "crypto"
import type { Knex, SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext, MedusaError, MedusaService } from "@medusajs/framework/utils"
import { evaluateRisk, normalizeListValue, RiskAction, RiskFacts, RiskKey, RiskReason, RiskRuleInput, ruleProblem, velocityKeys } from "./evaluate"
import { RiskClient, RiskDecision, RiskEvent, RiskRule } from "./models"
import type { Redis } from "ioredis"

export type RiskModuleOptions = {
  /** Redis for the velocity counters (shared by every instance). Default: REDIS_URL; PostgreSQL without it. */
  redis_url?: string | null
}

export type RiskAssessment = { decision_id: string; action: RiskAction; reasons: RiskReason[]; review_status: string | null; created: boolean }

/** The hold a decision puts on its order's codes: one that asks for review and that no admin approved; else null. */
export function holdOf(decision: { id: string; action: RiskAction; review_status: string | null; reasons: RiskReason[] }) {
  return decision.action === "review" && decision.review_status !== "approved"
    ? { decision_id: decision.id, review_status: decision.review_status as string, reasons: decision.reasons }
    : null
}

/** Adds one order to a key's window and returns every member of the window (`<ms>:<rand>:<amount>:<quantity>`). */
const REDIS_WINDOW = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1] - ARGV[2], '+inf')`

/** A rule's fields as the model stores them: `values`, a list, lives in a JSON column (typed as an object by Medusa). */
function storedRule<T extends Partial<RiskRuleInput>>(rule: T): Omit<T, "values"> & { values?: Record<string, unknown> | null } {
  const { values, ...rest } = rule
  return values === undefined ? rest : { ...rest, values: values as unknown as Record<string, unknown> | null }
}

/**
 * Risk control (风控): rules, the decisions taken with them, and the counters of the velocity rules — atomic per key
 * (a Lua script in Redis, or an advisory lock in PostgreSQL), so concurrent orders cannot all slip under a threshold.
 * Evaluation itself is the pure `evaluateRisk`.
 */
class RiskModuleService extends MedusaService({ RiskRule, RiskDecision, RiskEvent, RiskClient }) {
  protected redisUrl_: string | null
  /** The Redis client, made on first use (held in an object: the service instance is a proxy). */
  protected connection_: { redis: Redis | null } = { redis: null }

  constructor(container: Record<string, unknown>, options: RiskModuleOptions = {}) {
    super(...arguments)
    this.redisUrl_ = options.redis_url ?? process.env.REDIS_URL ?? null
  }

  /** The knex of a module call's context: its transaction when it has one, else the manager's connection. */
  private knex_(ctx: Context): Knex {
    const em = (ctx.transactionManager ?? ctx.manager) as SqlEntityManager
    return em.getTransactionContext<Knex.Transaction>() ?? em.getKnex()
  }

  private redis(): Redis | null {
    if (!this.redisUrl_) return null
    if (!this.connection_.redis) {
      // Loaded only when the module has Redis.
      const RedisClient: typeof Redis = require("ioredis")
      const client = new RedisClient(this.redisUrl_, { maxRetriesPerRequest: 2 })
      client.on("error", () => undefined)
      this.connection_.redis = client
    }
    return this.connection_.redis
  }

  async __hooks_onApplicationShutdown() {
    const client = this.connection_.redis
    this.connection_.redis = null
    await client?.quit?.().catch(() => undefined)
  }

  /** A rule as stored, checked first: a bad one is refused with the field and the reason. */
  normalizeRule(input: Partial<RiskRuleInput>): Partial<RiskRuleInput> {
    const rule = { ...input, values: input.values ? input.values.map((v) => String(v).trim()) : input.values }
    const problem = ruleProblem(rule)
    if (problem) throw new MedusaError(MedusaError.Types.INVALID_DATA, problem)
    return rule
  }

  /** A rule's fields as a rule input (the stored threshold is a decimal; `values` a JSON list). */
  ruleInputOf(rule: { threshold?: unknown; values?: unknown } & Record<string, unknown>): RiskRuleInput {
    const { created_at: _c, updated_at: _u, deleted_at: _d, raw_threshold: _r, threshold, values, ...fields } = rule
    return {
      ...(fields as Omit<RiskRuleInput, "threshold" | "values">),
      threshold: threshold === null || threshold === undefined ? null : Number(threshold),
      values: Array.isArray(values) ? values.map(String) : null,
    }
  }

  /** Creates a rule, checked first: a bad one is refused with the field and the reason. */
  @InjectTransactionManager()
  async createRule(input: Partial<RiskRuleInput>, @MedusaContext() ctx: Context = {}): Promise<{ id: string }> {
    const rule = this.normalizeRule(input)
    const created = await this.createRiskRules(storedRule(rule), ctx)
    return { id: created.id }
  }

  /**
   * Changes a rule; the result is checked as a whole (a bad one is refused with the field and the reason). Returns the
   * rule as it was, for `restoreRule`.
   */
  @InjectTransactionManager()
  async updateRule(input: Partial<RiskRuleInput> & { id: string }, @MedusaContext() ctx: Context = {}): Promise<RiskRuleInput> {
    // Locked first: an entry `addToRiskList` appends meanwhile is not overwritten by the values read here.
    await this.knex_(ctx).raw(`SELECT id FROM risk_rule WHERE id = ? FOR UPDATE`, [input.id])
    const stored = await this.retrieveRiskRule(input.id, {}, ctx)
    const before = this.ruleInputOf(stored)
    if (stored.is_system) {
      for (const field of ["kind", "key", "list_type"] as const) {
        if (input[field] !== undefined && input[field] !== before[field]) {
          throw new MedusaError(
            MedusaError.Types.NOT_ALLOWED,
            `${field} of "${before.name}" cannot change: the plugin keeps this list (its entries, name, action and whether it is enabled can)`
          )
        }
      }
    }
    const { id: _id, ...merged } = this.normalizeRule({ ...before, ...input })
    await this.updateRiskRules({ id: input.id, ...storedRule(merged) }, ctx)
    return before
  }

  /** Puts a rule back as `updateRule` returned it. */
  @InjectTransactionManager()
  async restoreRule(previous: RiskRuleInput, @MedusaContext() ctx: Context = {}): Promise<void> {
    const { id, ...fields } = previous
    await this.updateRiskRules({ id, ...storedRule(fields) }, ctx)
  }

  /**
   * Puts `value` on the list the plugin keeps for `key` and `list_type` ("Disputed payments (email)" blocks, "Disputed
   * payments: review (card_fingerprint)" sends to review…), creating the list on first use. The value is normalized as
   * lists compare it (trimmed; emails and domains lowercased) and checked as a list entry of its key (INVALID_DATA
   * naming it otherwise); it is appended only when absent, with `reason` recorded in `value_reasons` (no earlier
   * reason is replaced). One statement on a unique index (one system list per key and list type): concurrent calls
   * neither make a second list nor lose a value. A list an admin disabled stays disabled. Returns the list rule's id.
   */
  @InjectManager()
  async addToRiskList(
    input: { key: RiskKey; value: string; list_type: "block" | "review"; reason: string },
    @MedusaContext() ctx: Context = {}
  ): Promise<string> {
    if (input.list_type !== "block" && input.list_type !== "review") {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "list_type must be block or review")
    }
    const reason = typeof input.reason === "string" ? input.reason.trim().slice(0, 1000) : ""
    if (!reason) throw new MedusaError(MedusaError.Types.INVALID_DATA, "reason is required")
    const value = normalizeListValue(input.key, String(input.value ?? ""))
    const name = input.list_type === "block" ? `Disputed payments (${input.key})` : `Disputed payments: review (${input.key})`
    const problem = ruleProblem({ name, kind: "list", key: input.key, list_type: input.list_type, values: [value] })
    if (problem) throw new MedusaError(MedusaError.Types.INVALID_DATA, problem.replace("values[0]", "value"))
    const { rows } = await this.knex_(ctx).raw(
      `INSERT INTO risk_rule (id, name, kind, "key", list_type, "values", action, applies_to, enabled, is_system, value_reasons)
       VALUES (?, ?, 'list', ?, ?, jsonb_build_array(?::text), ?, 'all', true, true,
               jsonb_build_object(?::text, jsonb_build_object('reason', ?::text, 'added_at', now())))
       ON CONFLICT ("key", list_type) WHERE is_system = true AND deleted_at IS NULL DO UPDATE SET
         "values" = CASE WHEN coalesce(risk_rule."values", '[]'::jsonb) @> EXCLUDED."values" THEN risk_rule."values"
                         ELSE coalesce(risk_rule."values", '[]'::jsonb) || EXCLUDED."values" END,
         value_reasons = CASE WHEN coalesce(risk_rule."values", '[]'::jsonb) @> EXCLUDED."values" THEN risk_rule.value_reasons
                              ELSE EXCLUDED.value_reasons || coalesce(risk_rule.value_reasons, '{}'::jsonb) END,
         updated_at = CASE WHEN coalesce(risk_rule."values", '[]'::jsonb) @> EXCLUDED."values" THEN risk_rule.updated_at ELSE now() END
       RETURNING id`,
      [generateEntityId(undefined, "rrule"), name, input.key, input.list_type, value, input.list_type, value, reason]
    )
    return rows[0].id as string
  }

  /** Remembers who completes a cart (client IP, device id) for its risk facts. */
  @InjectManager()
  async recordClient(input: { cart_id: string; ip: string | null; device_id: string | null }, @MedusaContext() ctx: Context = {}) {
    await this.knex_(ctx).raw(
      `INSERT INTO risk_client (id, cart_id, ip, device_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (cart_id) WHERE deleted_at IS NULL DO UPDATE SET ip = EXCLUDED.ip, device_id = EXCLUDED.device_id, updated_at = now()`,
      [`rcli_${randomBytes(10).toString("hex")}`, input.cart_id, input.ip, input.device_id ? input.device_id.slice(0, 200) : null]
    )
  }

  @InjectManager()
  async clientOf(cartId: string, @MedusaContext() ctx: Context = {}): Promise<{ ip: string | null; device_id: string | null }> {
    const row = await this.knex_(ctx)("risk_client").first("ip", "device_id").where({ cart_id: cartId }).whereNull("deleted_at")
    return { ip: row?.ip ?? null, device_id: row?.device_id ?? null }
  }

  /**
   * Judges a checkout or a wholesale order once: counts it in the velocity windows of its keys, evaluates the enabled
   * rules and records the decision. Asked again for the same subject (a retried checkout), it returns the recorded
   * decision without counting again.
   */
  @InjectManager()
  async assess(
    input: {
      subject_type: "cart" | "agent_order"
      subject_id: string
      facts: RiskFacts
      /** The subject was created in the caller's transaction, so it has no decision yet: skip looking for one. */
      new_subject?: boolean
    },
    @MedusaContext() ctx: Context = {}
  ): Promise<RiskAssessment> {
    const knex = this.knex_(ctx)
    const existing = input.new_subject ? null : await this.decisionOf_(knex, input.subject_type, input.subject_id)
    if (existing) return { ...existing, created: false }
    const stored: (Omit<RiskRuleInput, "threshold"> & { threshold: string | number | null })[] = await knex("risk_rule")
      .select("*")
      .where({ enabled: true })
      .whereNull("deleted_at")
      .orderBy("created_at")
    const rules = stored.map((r): RiskRuleInput => ({ ...r, threshold: r.threshold === null ? null : Number(r.threshold) }))
    const windows = await this.count_(knex, rules, input.facts)
    const result = evaluateRisk(rules, { ...input.facts, windows })
    const review = result.action === "review" ? "pending" : null
    const { rows } = await knex.raw(
      `INSERT INTO risk_decision (id, subject_type, subject_id, action, reasons, facts, review_status)
       VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)
       ON CONFLICT (subject_type, subject_id) WHERE deleted_at IS NULL DO NOTHING
       RETURNING id`,
      [
        `rdec_${randomBytes(12).toString("hex")}`,
        input.subject_type,
        input.subject_id,
        result.action,
        JSON.stringify(result.reasons),
        JSON.stringify({ ...input.facts, windows }),
        review,
      ]
    )
    if (!rows.length) return { ...(await this.decisionOf_(knex, input.subject_type, input.subject_id))!, created: false }
    return { decision_id: rows[0].id, action: result.action, reasons: result.reasons, review_status: review, created: true }
  }

  private async decisionOf_(knex: Knex, subjectType: string, subjectId: string) {
    const row = await knex("risk_decision")
      .first("id", "action", "reasons", "review_status")
      .where({ subject_type: subjectType, subject_id: subjectId })
      .whereNull("deleted_at")
    return row ? { decision_id: row.id as string, action: row.action as RiskAction, reasons: row.reasons as RiskReason[], review_status: row.review_status as string | null } : null
  }

  /** Adds the order to each key's window and returns the totals per velocity rule over its own window. */
  private async count_(knex: Knex, rules: RiskRuleInput[], facts: RiskFacts) {
    const windows: Record<string, { count: number; amount: number; quantity: number }> = {}
    const keys = velocityKeys(rules, facts)
    if (!keys.size) return windows
    const redis = this.redis()
    if (redis) {
      const now = Date.now()
      for (const [key, keyRules] of keys) {
        const longest = Math.max(...keyRules.map((r) => r.window_seconds!)) * 1000
        const member = `${now}:${randomBytes(6).toString("hex")}:${facts.amount}:${facts.quantity}`
        const members = (await redis.eval(REDIS_WINDOW, 1, `vg-risk:${key}`, now, longest, member)) as string[]
        for (const rule of keyRules) {
          const since = now - rule.window_seconds! * 1000
          const inWindow = members.map((m) => m.split(":")).filter(([t]) => Number(t) > since)
          windows[rule.id] = {
            count: inWindow.length,
            amount: inWindow.reduce((s, m) => s + Number(m[2]), 0),
            quantity: inWindow.reduce((s, m) => s + Number(m[3]), 0),
          }
        }
      }
      return windows
    }
    // PostgreSQL: one transaction; each key's advisory lock (taken in key order) serializes orders of the same key,
    // so each sees the ones before it.
    await knex.transaction(async (trx: Knex) => {
      for (const key of [...keys.keys()].sort()) {
        await trx.raw(`SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`, [`risk:${key}`])
        // The key's events older than its longest window count for nothing any more.
        await trx.raw(`DELETE FROM risk_event WHERE key = ? AND created_at < now() - make_interval(secs => ?)`, [
          key,
          Math.max(...keys.get(key)!.map((r) => r.window_seconds!)),
        ])
        await trx.raw(`INSERT INTO risk_event (id, key, amount, raw_amount, quantity) VALUES (?, ?, ?, ?::jsonb, ?)`, [
          `revt_${randomBytes(10).toString("hex")}`,
          key,
          facts.amount,
          JSON.stringify({ value: String(facts.amount), precision: 20 }),
          facts.quantity,
        ])
        for (const rule of keys.get(key)!) {
          const { rows } = await trx.raw(
            `SELECT count(*)::int AS count, coalesce(sum(amount), 0)::float AS amount, coalesce(sum(quantity), 0)::int AS quantity
               FROM risk_event WHERE key = ? AND created_at > now() - make_interval(secs => ?) AND deleted_at IS NULL`,
            [key, rule.window_seconds!]
          )
          windows[rule.id] = rows[0]
        }
      }
    })
    return windows
  }

  /** Ties a checkout's decision to the order it became (idempotent). Returns the decision, if any. */
  @InjectManager()
  async attachOrder(input: { subject_type: "cart" | "agent_order"; subject_id: string; order_id: string }, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    const [row] = await knex("risk_decision")
      .where({ subject_type: input.subject_type, subject_id: input.subject_id })
      .whereNull("deleted_at")
      .update({ order_id: knex.raw("coalesce(order_id, ?)", [input.order_id]), updated_at: knex.fn.now() })
      .returning(["id", "action", "review_status", "reasons", "order_id"])
    return (row ?? null) as null | { id: string; action: RiskAction; review_status: string | null; reasons: RiskReason[]; order_id: string }
  }

  /**
   * Records an admin's decision on a held order: `pending` → `approved` or `rejected`, in one conditional UPDATE (two
   * admins cannot both decide). Returns the decision with its order.
   */
  @InjectTransactionManager()
  async decide(
    input: { decision_id: string; status: "approved" | "rejected"; user_id: string | null; note?: string | null },
    @MedusaContext() ctx: Context = {}
  ) {
    const knex = this.knex_(ctx)
    const [row] = await knex("risk_decision")
      .where({ id: input.decision_id, review_status: "pending" })
      .whereNull("deleted_at")
      .update({ review_status: input.status, reviewed_by: input.user_id, reviewed_at: knex.fn.now(), review_note: input.note ?? null, updated_at: knex.fn.now() })
      .returning(["id", "order_id", "subject_type", "subject_id"])
    if (row) return row as { id: string; order_id: string | null; subject_type: string; subject_id: string }
    const current = await knex("risk_decision").first("review_status").where({ id: input.decision_id }).whereNull("deleted_at")
    if (!current) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Risk decision with id: ${input.decision_id} was not found`)
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Risk decision ${input.decision_id} is not awaiting review (${current.review_status ?? "no review"})`)
  }

  /** Puts a decision back to pending (compensation of `decide`). */
  @InjectManager()
  async reopen(decisionId: string, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    await knex("risk_decision")
      .where({ id: decisionId })
      .update({ review_status: "pending", reviewed_by: null, reviewed_at: null, review_note: null, updated_at: knex.fn.now() })
  }

  /** Whether an order's codes must wait: its decision asks for review and no admin approved it. */
  @InjectManager()
  async isHeld(input: { order_id?: string | null; cart_id?: string | null; agent_order_id?: string | null }, @MedusaContext() ctx: Context = {}) {
    if (!input.order_id && !input.cart_id && !input.agent_order_id) return null
    const q = this.knex_(ctx)("risk_decision").first("id", "action", "review_status", "reasons").where({ action: "review" }).whereNull("deleted_at")
    q.where((w) => {
      if (input.order_id) w.orWhere({ order_id: input.order_id })
      if (input.cart_id) w.orWhere({ subject_type: "cart", subject_id: input.cart_id })
      if (input.agent_order_id) w.orWhere({ subject_type: "agent_order", subject_id: input.agent_order_id })
    })
    const row = await q
    return row ? holdOf(row) : null
  }
}

export default RiskModuleService
