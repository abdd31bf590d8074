import type { Context } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { toAmount } from "../utils/amounts"
import { knexOf } from "../utils/sql"
import type LedgerService from "./ledger"

type AgentStatus = "active" | "frozen"

/** The agent tree: who may take sub-agents, changes to an agent, the chain above an agent. */
export default class AgentTreeService {
  protected ledger_: LedgerService

  constructor({ ledgerService }: { ledgerService: LedgerService }) {
    this.ledger_ = ledgerService
  }

  /** Checks a new agent (its name, currency, credit limit and parent: known and not frozen) and normalizes it. */
  async checkNewAgent(
    input: { name: string; parent_id?: string | null; customer_group_id?: string | null; currency_code: string; credit_limit?: string | number },
    ctx: Context
  ): Promise<{ name: string; parent_id: string | null; customer_group_id: string | null; currency_code: string; credit_limit: string }> {
    if (!input.name?.trim()) throw new MedusaError(MedusaError.Types.INVALID_DATA, "name is required")
    const currency = String(input.currency_code ?? "").toLowerCase()
    if (!/^[a-z]{3}$/.test(currency)) throw new MedusaError(MedusaError.Types.INVALID_DATA, `currency_code must be a 3-letter ISO code, got ${JSON.stringify(input.currency_code)}`)
    const credit = toAmount(input.credit_limit ?? 0, "credit_limit")
    if (credit.startsWith("-")) throw new MedusaError(MedusaError.Types.INVALID_DATA, "credit_limit must not be negative")
    if (input.parent_id) {
      const parent = await knexOf(ctx)<{ id: string; status: AgentStatus }>("agent").first("id", "status").where({ id: input.parent_id }).whereNull("deleted_at")
      if (!parent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Parent agent with id: ${input.parent_id} was not found`)
      if (parent.status === "frozen") {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Parent agent ${input.parent_id} is frozen: it cannot take new sub-agents`)
      }
    }
    return { name: input.name.trim(), parent_id: input.parent_id ?? null, customer_group_id: input.customer_group_id ?? null, currency_code: currency, credit_limit: credit }
  }

  async updateAgent(
    input: { id: string; name?: string; status?: AgentStatus; credit_limit?: string | number; currency_code?: string },
    ctx: Context
  ): Promise<{ name: string; status: AgentStatus; credit_limit: string | null; currency_code: string | null }> {
    const knex = knexOf(ctx)
    const agent = await knex<{ id: string; name: string; status: AgentStatus }>("agent").first("id", "name", "status").where({ id: input.id }).whereNull("deleted_at")
    if (!agent) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Agent with id: ${input.id} was not found`)
    let previousCredit: string | null = null
    if (input.credit_limit !== undefined) {
      previousCredit = await this.ledger_.setCreditLimit({ agent_id: input.id, currency_code: input.currency_code ?? "", credit_limit: input.credit_limit }, ctx)
    }
    const changes: { name?: string; status?: AgentStatus } = {}
    if (input.name !== undefined) changes.name = input.name.trim()
    if (input.status !== undefined) changes.status = input.status
    if (Object.keys(changes).length) await knex("agent").where({ id: input.id }).update({ ...changes, updated_at: knex.fn.now() })
    return { name: agent.name, status: agent.status, credit_limit: previousCredit, currency_code: input.currency_code?.toLowerCase() ?? null }
  }

  async ancestorsOf(agentId: string, ctx: Context): Promise<string[]> {
    const { rows } = await knexOf(ctx).raw<{ rows: { parent_id: string }[] }>(
      `WITH RECURSIVE up AS (
         SELECT parent_id, 1 AS depth FROM agent WHERE id = ? AND deleted_at IS NULL
         UNION ALL
         SELECT a.parent_id, up.depth + 1 FROM agent a JOIN up ON a.id = up.parent_id WHERE a.deleted_at IS NULL AND up.depth < 64)
       SELECT parent_id FROM up WHERE parent_id IS NOT NULL ORDER BY depth`,
      [agentId]
    )
    return rows.map((r) => r.parent_id)
  }
}
