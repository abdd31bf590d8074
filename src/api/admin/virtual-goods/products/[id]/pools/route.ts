import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { type CardPoolWithStock, fetchCardPools } from "../../../../../utils/card-vault"
import { bundleViews } from "../../../../../utils/bundles"

type VariantPoolRow = { id: string; title: string; sku: string | null; card_pool?: { id: string } | null; card_bundle?: { id: string } | null }

/**
 * A product's variants with the card pool each one sells from (with stock and active alerts) or the bundle it sells
 * (components, their stock, whole bundles left), each null otherwise: what the product page's virtual-goods widget
 * shows.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: products } = await query.graph({ entity: "product", fields: ["id"], filters: { id: req.params.id } })
  if (!products.length) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product with id: ${req.params.id} was not found`)
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "title", "sku", "card_pool.id", "card_bundle.id"],
    filters: { product_id: req.params.id },
  })
  const rows = variants as VariantPoolRow[]
  const poolIds = rows.flatMap((v) => (v.card_pool?.id ? [v.card_pool.id] : []))
  const { pools } = poolIds.length ? await fetchCardPools(req, { id: poolIds }) : { pools: [] as CardPoolWithStock[] }
  const byId = new Map(pools.map((p) => [p.id, p]))
  const bundles = await bundleViews(req, rows.flatMap((v) => (v.card_bundle?.id ? [v.card_bundle.id] : [])))
  res.json({
    variants: rows.map((v) => {
      const pool = v.card_pool?.id ? byId.get(v.card_pool.id) : null
      return {
        id: v.id,
        title: v.title,
        sku: v.sku ?? null,
        card_pool: pool ? { id: pool.id, name: pool.name, stock: pool.stock, alerts: pool.alerts } : null,
        card_bundle: v.card_bundle?.id ? (bundles.get(v.card_bundle.id) ?? null) : null,
      }
    }),
  })
}
