import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { toNumberAtBoundary } from "../../../workflows/agents/utils/amounts"
import { agentsModule } from "../../../workflows/agents/utils/agents-module"
import { agentUnitPrices } from "../../../workflows/agents/utils/pricing"
import { fetchCardPools, vaultOf } from "../../utils/card-vault"
import { agentOf, requireScope } from "../helpers"

/** What the catalog reads of a card pool and its variant. */
type CatalogPool = {
  product_variant?: { id: string; sku: string | null; title: string; product_id: string } | null
  stock: { available: number }
}

/**
 * What the agent can buy: every variant sold from a card pool or as a bundle (`bundle: true`, `available` = whole
 * bundles its pools can make), with the agent's unit price in its account's currency
 * (its tier's price list, through Medusa's pricing), the stock available now, what is left of its quota (null: none), and the agent's balance + credit.
 * Variants without a price in that currency are left out. Scope `catalog:read`.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "catalog:read")
  const agents = agentsModule(req.scope)
  const agent = await agents.retrieveAgent(principal.agent_id)
  const [account] = await agents.balances([principal.agent_id])
  if (!account) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Agent ${principal.agent_id} has no account`)
  const { pools } = await fetchCardPools(req, {})
  const linked: { variant: NonNullable<CatalogPool["product_variant"]>; available: number; bundle?: true }[] = (pools as CatalogPool[]).flatMap((p) =>
    p.product_variant?.id ? [{ variant: p.product_variant, available: p.stock.available }] : []
  )
  // Bundles: their variants, with the whole bundles their pools can make.
  const { data: bundles } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "card_bundle",
    fields: ["id", "product_variant.id", "product_variant.sku", "product_variant.title", "product_variant.product_id"],
  })
  const sold = (bundles as { id: string; product_variant?: CatalogPool["product_variant"] }[]).filter((b) => !!b.product_variant?.id)
  const whole = await vaultOf(req).getBundleStock(sold.map((b) => b.id))
  for (const b of sold) linked.push({ variant: b.product_variant!, available: whole[b.id] ?? 0, bundle: true })
  const tier = agent.customer_group_id ?? null
  const prices = await agentUnitPrices(req.scope, {
    variant_ids: linked.map((p) => p.variant.id),
    currency_code: account.currency_code,
    tiers: [tier],
  })
  const quotas = Object.fromEntries((await agents.quotasOf(principal.agent_id)).map((q) => [q.variant_id, q.remaining]))
  const items = linked.flatMap(({ variant, available, bundle }) => {
    const price = prices.get(variant.id)?.get(tier) ?? null
    if (price === null) return []
    return [
      {
        variant_id: variant.id,
        sku: variant.sku ?? null,
        title: variant.title,
        product_id: variant.product_id,
        // The catalog's JSON has always shown prices as numbers; they are exact decimals up to here.
        unit_price: toNumberAtBoundary(price),
        currency_code: account.currency_code,
        available,
        quota_remaining: quotas[variant.id] ?? null,
        ...(bundle ? { bundle: true } : {}),
      },
    ]
  })
  res.json({ items, account: { currency_code: account.currency_code, balance: account.balance, credit_limit: account.credit_limit, available: account.available } })
}
