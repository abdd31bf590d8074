import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, QueryContext } from "@medusajs/framework/utils"

/**
 * What each agent pays for a variant, in a currency: Medusa's pricing module decides, with the agent's tier (its
 * customer group) in the pricing context — so an agent's price is the price list of its tier, or the variant's own
 * price when no list of its tier prices it. Amounts as Medusa returns them (numbers in the currency's main unit);
 * null when the variant has no price in the currency.
 */
export async function agentUnitPrices(
  container: MedusaContainer,
  input: { variant_ids: string[]; currency_code: string; tiers: (string | null)[] }
): Promise<Map<string, Map<string | null, number | null>>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const result = new Map<string, Map<string | null, number | null>>()
  for (const id of input.variant_ids) result.set(id, new Map())
  if (!input.variant_ids.length) return result
  const tiers = [...new Set(input.tiers)]
  const answers = await Promise.all(
    tiers.map((tier) =>
      query.graph({
      entity: "product_variant",
      fields: ["id", "calculated_price.calculated_amount"],
      filters: { id: input.variant_ids },
      context: {
        calculated_price: QueryContext({
          currency_code: input.currency_code.toLowerCase(),
          ...(tier ? { customer: { groups: [{ id: tier }] } } : {}),
        }),
      },
      })
    )
  )
  for (const [i, tier] of tiers.entries()) {
    for (const v of answers[i].data as { id: string; calculated_price?: { calculated_amount?: number | string | null } | null }[]) {
      const amount = v.calculated_price?.calculated_amount
      result.get(v.id)?.set(tier, amount === undefined || amount === null ? null : Number(amount))
    }
  }
  return result
}

type PriceToSet = { variant_id: string; currency_code: string; amount: number }

/**
 * The price floor (防窜货) when tier prices change: an agent of one of `groups` may not be priced below what its parent
 * pays, nor above what any of its sub-agents pays, for the variants and currencies being set. Prices of other tiers
 * are what Medusa's pricing returns now; tiers in `groups` take the new amounts. Throws INVALID_DATA naming the price
 * (`prices[i]`), the agents and both amounts; purchases check the floor again, so nothing can slip through.
 */
export async function assertPriceFloor(container: MedusaContainer, input: { groups: string[]; prices: PriceToSet[] }) {
  if (!input.groups.length || !input.prices.length) return
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: tiered } = await query.graph({ entity: "agent", fields: ["id", "name", "parent_id", "customer_group_id"], filters: { customer_group_id: input.groups } })
  if (!tiered.length) return
  const ids = (tiered as any[]).map((a) => a.id)
  const parentIds = [...new Set((tiered as any[]).map((a) => a.parent_id).filter(Boolean))]
  const [{ data: parents }, { data: children }] = await Promise.all([
    query.graph({ entity: "agent", fields: ["id", "name", "customer_group_id"], filters: { id: parentIds.length ? parentIds : ["-"] } }),
    query.graph({ entity: "agent", fields: ["id", "name", "parent_id", "customer_group_id"], filters: { parent_id: ids } }),
  ])
  const groupSet = new Set(input.groups)
  for (const [i, price] of input.prices.entries()) {
    const current = await agentUnitPrices(container, {
      variant_ids: [price.variant_id],
      currency_code: price.currency_code,
      tiers: [...(parents as any[]), ...(children as any[])].map((a) => a.customer_group_id ?? null),
    })
    const priceOf = (agent: any) =>
      agent.customer_group_id && groupSet.has(agent.customer_group_id) ? price.amount : (current.get(price.variant_id)?.get(agent.customer_group_id ?? null) ?? null)
    const currency = price.currency_code.toUpperCase()
    for (const agent of tiered as any[]) {
      const parent = (parents as any[]).find((p) => p.id === agent.parent_id)
      const parentPrice = parent ? priceOf(parent) : null
      if (parentPrice !== null && price.amount < parentPrice) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `prices[${i}]: agent ${agent.name} (${agent.id}) would pay ${price.amount} ${currency} for variant ${price.variant_id}, less than its parent ${parent.name} (${parent.id}) pays (${parentPrice}): the price floor forbids it`
        )
      }
      for (const child of (children as any[]).filter((c) => c.parent_id === agent.id)) {
        const childPrice = priceOf(child)
        if (childPrice !== null && childPrice < price.amount) {
          throw new MedusaError(
            MedusaError.Types.INVALID_DATA,
            `prices[${i}]: agent ${agent.name} (${agent.id}) would pay ${price.amount} ${currency} for variant ${price.variant_id}, more than its sub-agent ${child.name} (${child.id}) pays (${childPrice}): the price floor forbids it`
          )
        }
      }
    }
  }
}
