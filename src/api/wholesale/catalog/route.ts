import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { agentUnitPrices } from "../../../lib/agent-pricing"
import { AGENTS_MODULE } from "../../../modules/agents"
import type AgentsModuleService from "../../../modules/agents/service"
import { fetchCardPools } from "../../utils"
import { agentOf, requireScope } from "../../agent-utils"

/**
 * What the agent can buy: every variant sold from a card pool, with the agent's unit price in its account's currency
 * (its tier's price list, through Medusa's pricing), the stock available now, what is left of its quota (null: none), and the agent's balance + credit.
 * Variants without a price in that currency are left out. Scope `catalog:read`.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "catalog:read")
  const agents = req.scope.resolve(AGENTS_MODULE) as AgentsModuleService
  const agent = await agents.retrieveAgent(principal.agent_id)
  const [account] = await agents.balances([principal.agent_id])
  if (!account) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${principal.agent_id} has no account`)
  const { pools } = await fetchCardPools(req, {})
  const linked = pools.filter((p: any) => p.product_variant?.id)
  const prices = await agentUnitPrices(req.scope, {
    variant_ids: linked.map((p: any) => p.product_variant.id),
    currency_code: account.currency_code,
    tiers: [agent.customer_group_id ?? null],
  })
  const quotas = Object.fromEntries((await agents.quotasOf(principal.agent_id)).map((q) => [q.variant_id, q.remaining]))
  const items = linked
    .map((p: any) => ({
      variant_id: p.product_variant.id as string,
      sku: p.product_variant.sku ?? null,
      title: p.product_variant.title as string,
      product_id: p.product_variant.product_id as string,
      unit_price: prices.get(p.product_variant.id)?.get(agent.customer_group_id ?? null) ?? null,
      currency_code: account.currency_code,
      available: p.stock.available as number,
      quota_remaining: quotas[p.product_variant.id] ?? null,
    }))
    .filter((i: any) => i.unit_price !== null)
  res.json({ items, account: { currency_code: account.currency_code, balance: account.balance, credit_limit: account.credit_limit, available: account.available } })
}
