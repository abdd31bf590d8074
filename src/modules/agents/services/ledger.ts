import type { Context, DAL } from "@medusajs/framework/types"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import type { AccountBalance, LedgerPosting, PostedPurchase, PurchaseInput } from "../types"
import { fromMinor, rawAmount, splitPurchase, toAmount } from "../utils/amounts"
import { knexOf, pgError } from "../utils/sql"

/** The posting: one call of the database function defined in sql/agent-ledger-post.ts. */
const POST_SQL = "SELECT agent_ledger_post($1, $2::jsonb, $3, $4, $5, $6, $7) AS transaction_id"

/** SQLSTATEs raised by the ledger function (see the module's migration). */
export const LEDGER_INSUFFICIENT_FUNDS = "23514" // check_violation of agent_account_within_credit
export const LEDGER_UNBALANCED = "AG001"

type BalanceRow = { id: string; agent_id: string | null; currency_code: string; balance: string; credit_limit: string; available: string }
type ChainRow = { agent_id: string; account_id: string | null; house_account_id: string | null }

/** Amounts as exact decimal strings computed by PostgreSQL (never floating point). */
const balanceColumns = (knex: Knex) => [
  knex.raw("trim_scale(balance)::text AS balance"),
  knex.raw("trim_scale(credit_limit)::text AS credit_limit"),
  knex.raw("trim_scale(balance + credit_limit)::text AS available"),
]

const toBalance = (row: BalanceRow): AccountBalance => ({
  account_id: row.id,
  agent_id: row.agent_id,
  currency_code: row.currency_code,
  balance: row.balance,
  credit_limit: row.credit_limit,
  available: row.available,
})

/**
 * The double-entry ledger: accounts per agent and currency, the house account, postings (one SQL call each, through
 * `agent_ledger_post`), purchases with their commissions, reversals. Every method takes the caller's context.
 */
export default class LedgerService {
  protected baseRepository_: DAL.RepositoryService

  constructor({ baseRepository }: { baseRepository: DAL.RepositoryService }) {
    this.baseRepository_ = baseRepository
  }

  /** The house account of a currency, created on first use (read first: an upsert would lock the house row). */
  @InjectTransactionManager()
  async houseAccount(currencyCode: string, @MedusaContext() ctx: Context = {}): Promise<string> {
    const knex = knexOf(ctx)
    const currency = currencyCode.toLowerCase()
    const find = () => knex<{ id: string }>("agent_account").first("id").where({ kind: "house", currency_code: currency }).whereNull("deleted_at")
    const existing = await find()
    if (existing) return existing.id
    await knex.raw(
      `INSERT INTO agent_account (id, kind, currency_code, balance, raw_balance, credit_limit, raw_credit_limit)
       VALUES (?, 'house', ?, 0, '{"value":"0","precision":20}', 0, '{"value":"0","precision":20}')
       ON CONFLICT (currency_code) WHERE kind = 'house' AND deleted_at IS NULL DO NOTHING`,
      [`aacct_house_${currency}`, currency]
    )
    return (await find())!.id
  }

  async post(input: LedgerPosting, ctx: Context): Promise<{ transaction_id: string }> {
    if (!Array.isArray(input.legs) || input.legs.length < 2) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "A ledger transaction needs at least two legs")
    }
    const legs = input.legs.map((l, i) => ({ account_id: String(l.account_id), amount: toAmount(l.amount, `legs[${i}].amount`) }))
    try {
      const { rows } = await knexOf(ctx).raw<{ rows: { transaction_id: string }[] }>(POST_SQL.replace(/\$\d/g, "?"), [
        input.kind,
        JSON.stringify(legs),
        input.reference_type ?? null,
        input.reference_id ?? null,
        input.note ?? null,
        input.actor.type,
        input.actor.id ?? null,
      ])
      return { transaction_id: rows[0].transaction_id }
    } catch (e: unknown) {
      const error = pgError(e)
      if (error.code === LEDGER_INSUFFICIENT_FUNDS && /agent_account_within_credit/.test(error.constraint ?? error.message)) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Insufficient funds: the posting would take an agent below its balance plus credit limit`)
      }
      if (error.code === LEDGER_UNBALANCED) {
        // knex prefixes the statement to PostgreSQL's message: keep only the message the function raised.
        const at = error.message.indexOf(POST_SQL)
        throw new MedusaError(MedusaError.Types.INVALID_DATA, at === 0 ? error.message.slice(POST_SQL.length + 3) : error.message)
      }
      throw e
    }
  }

  async postPurchase(input: PurchaseInput, ctx: Context): Promise<PostedPurchase> {
    const lines = input.lines ?? [{ quantity: input.quantity as number, unit_prices: input.unit_prices ?? {} }]
    if (!lines.length) throw new MedusaError(MedusaError.Types.INVALID_DATA, "A purchase needs at least one line")
    const chained = await this.chainAccounts_(input.buyer_agent_id, input.currency_code, ctx)
    const chain = chained.map((c) => c.agent_id)
    const { total, owed } = splitPurchase(chain, lines)
    const missing = chained.find((c) => !c.account_id)
    if (missing) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent ${missing.agent_id} has no account in ${input.currency_code.toUpperCase()}`)
    const house = chained[0].house_account_id ?? (await this.houseAccount(input.currency_code, ctx))
    const legs: PostedPurchase["legs"] = []
    for (const [i, id] of chain.entries()) {
      const amount = owed.get(id)!
      if (i === 0 || amount !== 0n) legs.push({ agent_id: id, account_id: chained[i].account_id!, amount: fromMinor(amount) })
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

  async reverseTransaction(input: { transaction_id: string; note: string; actor: LedgerPosting["actor"] }, ctx: Context): Promise<{ transaction_id: string }> {
    const knex = knexOf(ctx)
    const legs: { account_id: string; amount: string }[] = await knex("agent_ledger_entry")
      .select("account_id", knex.raw("trim_scale(-amount)::text AS amount"))
      .where({ transaction_id: input.transaction_id })
      .orderBy("id")
    if (!legs.length) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Ledger transaction ${input.transaction_id} was not found`)
    const done = await knex<{ transaction_id: string }>("agent_ledger_entry")
      .first("transaction_id")
      .where({ reference_type: "ledger_transaction", reference_id: input.transaction_id, kind: "refund" })
    if (done) return { transaction_id: done.transaction_id }
    return this.post(
      { kind: "refund", legs, reference_type: "ledger_transaction", reference_id: input.transaction_id, note: input.note, actor: input.actor },
      ctx
    )
  }

  /**
   * Gives back some lines of a purchase — the exact negation of what those lines posted (the buyer's payment, each
   * ancestor's commission, the house's share), computed along the chain the purchase was posted on — as ONE `refund`
   * transaction referencing `reference_type`/`reference_id`, once: a refund already posted under that reference is
   * answered instead (`already`). Answers the amount given back to the buyer.
   */
  async refundPurchaseLines(
    input: {
      chain: string[]
      currency_code: string
      lines: { quantity: number; unit_prices: Record<string, string | number>; label?: string }[]
      reference_type: string
      reference_id: string
      note: string
      actor: LedgerPosting["actor"]
    },
    ctx: Context
  ): Promise<{ transaction_id: string; amount: string; already: boolean }> {
    const knex = knexOf(ctx)
    const { total, owed } = splitPurchase(input.chain, input.lines)
    const done = await knex<{ transaction_id: string }>("agent_ledger_entry")
      .first("transaction_id")
      .where({ reference_type: input.reference_type, reference_id: input.reference_id, kind: "refund" })
    if (done) return { transaction_id: done.transaction_id, amount: fromMinor(total), already: true }
    const currency = input.currency_code.toLowerCase()
    const accounts: { id: string; agent_id: string }[] = await knex("agent_account")
      .select("id", "agent_id")
      .whereIn("agent_id", input.chain)
      .where({ currency_code: currency })
      .whereNull("deleted_at")
    const accountOf = new Map(accounts.map((a) => [a.agent_id, a.id]))
    const legs: { account_id: string; amount: string }[] = []
    for (const [i, id] of input.chain.entries()) {
      const amount = owed.get(id)!
      const account = accountOf.get(id)
      if (!account) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent ${id} has no account in ${currency.toUpperCase()}`)
      if (i === 0 || amount !== 0n) legs.push({ account_id: account, amount: fromMinor(-amount) })
    }
    legs.push({ account_id: await this.houseAccount(currency, ctx), amount: fromMinor(-owed.get(null)!) })
    const { transaction_id } = await this.post(
      { kind: "refund", legs, reference_type: input.reference_type, reference_id: input.reference_id, note: input.note, actor: input.actor },
      ctx
    )
    return { transaction_id, amount: fromMinor(total), already: false }
  }

  async accountOf(agentId: string, currencyCode: string, ctx: Context): Promise<AccountBalance> {
    const knex = knexOf(ctx)
    const row: BalanceRow | undefined = await knex("agent_account")
      .first("id", "agent_id", "currency_code", ...balanceColumns(knex))
      .where({ agent_id: agentId, currency_code: currencyCode.toLowerCase() })
      .whereNull("deleted_at")
    if (!row) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent ${agentId} has no account in ${currencyCode.toUpperCase()}`)
    }
    return toBalance(row)
  }

  async balances(agentIds: string[] | undefined, ctx: Context): Promise<AccountBalance[]> {
    const knex = knexOf(ctx)
    const q = knex("agent_account")
      .select("id", "agent_id", "currency_code", ...balanceColumns(knex))
      .where({ kind: "agent" })
      .whereNull("deleted_at")
      .orderBy("id")
    if (agentIds) q.whereIn("agent_id", agentIds)
    return ((await q) as BalanceRow[]).map(toBalance)
  }

  /**
   * Sets an agent's credit limit in a currency; refused (by the CHECK that guards every posting) below what it owes.
   * Returns the limit it had.
   */
  async setCreditLimit(input: { agent_id: string; currency_code: string; credit_limit: string | number }, ctx: Context): Promise<string> {
    const credit = toAmount(input.credit_limit, "credit_limit")
    if (credit.startsWith("-")) throw new MedusaError(MedusaError.Types.INVALID_DATA, "credit_limit must not be negative")
    const account = await this.accountOf(input.agent_id, input.currency_code, ctx)
    const knex = knexOf(ctx)
    try {
      await knex("agent_account")
        .where({ id: account.account_id })
        .update({ credit_limit: credit, raw_credit_limit: rawAmount(credit), updated_at: knex.fn.now() })
    } catch (e: unknown) {
      if (/agent_account_within_credit/.test(pgError(e).message)) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `credit_limit ${credit} is less than agent ${input.agent_id} owes (balance ${account.balance} ${account.currency_code.toUpperCase()})`
        )
      }
      throw e
    }
    return account.credit_limit
  }

  /**
   * The buyer and its ancestors (nearest first) with their accounts in `currency` (null: none), and the house account
   * of the currency (null: not created yet) on every row — in one statement.
   */
  private async chainAccounts_(agentId: string, currency: string, ctx: Context): Promise<ChainRow[]> {
    const { rows } = await knexOf(ctx).raw<{ rows: ChainRow[] }>(
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
}
