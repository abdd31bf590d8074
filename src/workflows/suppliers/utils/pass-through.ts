import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { suppliersModule } from "./suppliers-module"

/** A pool's upstream product that may be bought from at delivery (pass-through). Money as decimal text. */
export type PassThroughOffer = {
  supplier_product_id: string
  supplier_id: string
  upstream_product_id: string
  name: string
  unit_cost: string | null
  max_unit_cost: string | null
  currency_code: string | null
}

type PoolOfferRow = {
  id: string
  supplier_product?: {
    id: string
    supplier_id: string
    kind: string
    status: string
    pass_through: boolean
    upstream_product_id: string
    name: string
    unit_cost: unknown
    max_unit_cost: unknown
    currency_code: string | null
  } | null
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))

/**
 * The pools among `poolIds` whose sales may buy their codes from a supplier at delivery: linked to an active `codes`
 * product with `pass_through` on, of an active supplier. Read only when a pool runs out (the checkout's hot path never
 * pays for it).
 */
export async function passThroughOffers(container: Pick<MedusaContainer, "resolve">, poolIds: string[]): Promise<Map<string, PassThroughOffer>> {
  if (!poolIds.length) return new Map()
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "card_pool",
    fields: [
      "id",
      "supplier_product.id",
      "supplier_product.supplier_id",
      "supplier_product.kind",
      "supplier_product.status",
      "supplier_product.pass_through",
      "supplier_product.upstream_product_id",
      "supplier_product.name",
      "supplier_product.unit_cost",
      "supplier_product.max_unit_cost",
      "supplier_product.currency_code",
    ],
    filters: { id: [...new Set(poolIds)] },
  })
  const candidates = (data as PoolOfferRow[]).filter(
    (p) => p.supplier_product?.kind === "codes" && p.supplier_product.status === "active" && p.supplier_product.pass_through
  )
  if (!candidates.length) return new Map()
  const active = new Set(
    (await suppliersModule(container).listSuppliers({ id: candidates.map((p) => p.supplier_product!.supplier_id), status: "active" }, { select: ["id"] })).map((s) => s.id)
  )
  return new Map(
    candidates
      .filter((p) => active.has(p.supplier_product!.supplier_id))
      .map((p) => {
        const product = p.supplier_product!
        return [
          p.id,
          {
            supplier_product_id: product.id,
            supplier_id: product.supplier_id,
            upstream_product_id: product.upstream_product_id,
            name: product.name,
            unit_cost: text(product.unit_cost),
            max_unit_cost: text(product.max_unit_cost),
            currency_code: product.currency_code,
          },
        ] as const
      })
  )
}

/**
 * The price guard of a pass-through sale: the supplier's last known unit cost must not exceed the product's maximum
 * nor the price the line sells at (no sale at a loss). Unknown costs pass (the submission's guard checks the answer).
 */
export function passThroughAffordable(offer: PassThroughOffer, unitPrice: unknown): boolean {
  if (!offer.unit_cost) return true
  if (offer.max_unit_cost && MathBN.gt(offer.unit_cost, offer.max_unit_cost)) return false
  const price = text(unitPrice)
  return !(price && MathBN.gt(offer.unit_cost, price))
}

/** The most a pass-through purchase may cost per code: the product's maximum, and never more than the line's price. */
export function passThroughMaxUnitCost(offer: PassThroughOffer, unitPrice: unknown): string | null {
  const price = text(unitPrice)
  if (!offer.max_unit_cost) return price
  if (!price) return offer.max_unit_cost
  return MathBN.lt(price, offer.max_unit_cost) ? price : offer.max_unit_cost
}
