import type { BigNumberRawValue, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError, QueryContext } from "@medusajs/framework/utils"
import { toDecimal } from "./amounts"

type PricedVariantRow = {
  id: string
  calculated_price?: { calculated_amount?: number | null; raw_calculated_amount?: BigNumberRawValue | null } | null
}

/**
 * What each agent pays for a variant, in a currency: Medusa's pricing module decides, with the agent's tier (its
 * customer group) in the pricing context — so an agent's price is the price list of its tier, or the variant's own
 * price when no list of its tier prices it. Amounts as exact decimal strings (from the price's raw amount, not
 * Medusa's float); null when the variant has no price in the currency.
 *
 * @example
 * const prices = await agentUnitPrices(container, { variant_ids: ["variant_123"], currency_code: "usd", tiers: ["cusgroup_1", null] })
 * prices.get("variant_123")?.get("cusgroup_1") // "13.5"
 */
export async function agentUnitPrices(
  container: MedusaContainer,
  input: { variant_ids: string[]; currency_code: string; tiers: (string | null)[] }
): Promise<Map<string, Map<string | null, string | null>>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const result = new Map<string, Map<string | null, string | null>>()
  for (const id of input.variant_ids) result.set(id, new Map())
  if (!input.variant_ids.length) return result
  const tiers = [...new Set(input.tiers)]
  const answers = await Promise.all(
    tiers.map((tier) =>
      query.graph({
        entity: "product_variant",
        fields: ["id", "calculated_price.calculated_amount", "calculated_price.raw_calculated_amount"],
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
    for (const v of answers[i].data as PricedVariantRow[]) {
      const price = v.calculated_price
      const amount = price?.raw_calculated_amount ?? price?.calculated_amount
      result.get(v.id)?.set(tier, amount === undefined || amount === null ? null : toDecimal(amount))
    }
  }
  return result
}

/** A price about to be set on a tier's price list (amounts as Medusa's price-list routes take them). */
export type PriceToSet = { variant_id: string; currency_code: string; amount: number | string }

type FloorAgentRow = { id: string; name: string; parent_id?: string | null; customer_group_id: string | null }

/**
 * The price floor (防窜货) when tier prices change: an agent of one of `groups` may not be priced below what its parent
 * pays, nor above what any of its sub-agents pays, for the variants and currencies being set. Prices of other tiers
 * are what Medusa's pricing returns now; tiers in `groups` take the new amounts. Compared exactly (`MathBN`). Throws
 * INVALID_DATA naming the price (`prices[i]`), the agents and both amounts; purchases check the floor again, so
 * nothing can slip through.
 */
export async function assertPriceFloor(container: MedusaContainer, input: { groups: string[]; prices: PriceToSet[] }) {
  if (!input.groups.length || !input.prices.length) return
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "agent", fields: ["id", "name", "parent_id", "customer_group_id"], filters: { customer_group_id: input.groups } })
  const tiered = data as FloorAgentRow[]
  if (!tiered.length) return
  const ids = tiered.map((a) => a.id)
  const parentIds = [...new Set(tiered.map((a) => a.parent_id).filter((id): id is string => !!id))]
  const [{ data: parentRows }, { data: childRows }] = await Promise.all([
    query.graph({ entity: "agent", fields: ["id", "name", "customer_group_id"], filters: { id: parentIds.length ? parentIds : ["-"] } }),
    query.graph({ entity: "agent", fields: ["id", "name", "parent_id", "customer_group_id"], filters: { parent_id: ids } }),
  ])
  const parents = parentRows as FloorAgentRow[]
  const children = childRows as FloorAgentRow[]
  const groupSet = new Set(input.groups)
  for (const [i, price] of input.prices.entries()) {
    const amount = toDecimal(price.amount)
    const current = await agentUnitPrices(container, {
      variant_ids: [price.variant_id],
      currency_code: price.currency_code,
      tiers: [...parents, ...children].map((a) => a.customer_group_id ?? null),
    })
    const priceOf = (agent: FloorAgentRow): string | null =>
      agent.customer_group_id && groupSet.has(agent.customer_group_id) ? amount : (current.get(price.variant_id)?.get(agent.customer_group_id ?? null) ?? null)
    const currency = price.currency_code.toUpperCase()
    for (const agent of tiered) {
      const parent = parents.find((p) => p.id === agent.parent_id)
      const parentPrice = parent ? priceOf(parent) : null
      if (parent && parentPrice !== null && MathBN.lt(amount, parentPrice)) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `prices[${i}]: agent ${agent.name} (${agent.id}) would pay ${amount} ${currency} for variant ${price.variant_id}, less than its parent ${parent.name} (${parent.id}) pays (${parentPrice}): the price floor forbids it`
        )
      }
      for (const child of children.filter((c) => c.parent_id === agent.id)) {
        const childPrice = priceOf(child)
        if (childPrice !== null && MathBN.lt(childPrice, amount)) {
          throw new MedusaError(
            MedusaError.Types.INVALID_DATA,
            `prices[${i}]: agent ${agent.name} (${agent.id}) would pay ${amount} ${currency} for variant ${price.variant_id}, more than its sub-agent ${child.name} (${child.id}) pays (${childPrice}): the price floor forbids it`
          )
        }
      }
    }
  }
}
