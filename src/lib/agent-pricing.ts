import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, QueryContext } from "@medusajs/framework/utils"

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
  for (const tier of [...new Set(input.tiers)]) {
    const { data } = await query.graph({
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
    for (const v of data as any[]) {
      const amount = v.calculated_price?.calculated_amount
      result.get(v.id)?.set(tier, amount === undefined || amount === null ? null : Number(amount))
    }
  }
  return result
}
