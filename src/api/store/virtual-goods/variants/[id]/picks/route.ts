import type { MedusaStoreRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { PICK_POOL_FIELDS, pickRuleOf, type PickPoolRow } from "../../../../../../workflows/picks/utils/pick-rule"
import { vaultOf } from "../../../../../utils/card-vault"
import type { StoreGetPickableCodesParamsType } from "../../../validators"

type VariantOfStore = {
  id: string
  card_pool?: PickPoolRow | null
  product?: { status: string; sales_channels?: { id: string }[] } | null
}

/**
 * Buyer's choice (自选卡密): the codes a shopper may pick for a variant — ids and labels (what the pool's rule shows,
 * e.g. `138****5678`), never codes — with the pool's premium and rule. `q` keeps labels containing it. 404 when the
 * variant is not sold in the key's sales channels, has no pool, or its pool does not offer picking.
 */
export const GET = async (req: MedusaStoreRequest<unknown, StoreGetPickableCodesParamsType>, res: MedusaResponse) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_variant",
    fields: ["id", ...PICK_POOL_FIELDS, "product.status", "product.sales_channels.id"],
    filters: { id: req.params.id },
  })
  const variant = (data as VariantOfStore[])[0]
  const channels = new Set(req.publishable_key_context?.sales_channel_ids ?? [])
  const sold =
    !!variant &&
    variant.product?.status === "published" &&
    (!channels.size || (variant.product.sales_channels ?? []).some((c) => channels.has(c.id)))
  const rule = sold ? pickRuleOf(variant.card_pool) : null
  if (!rule) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Variant ${req.params.id} does not offer picking a code`)
  const { q, limit, offset } = req.validatedQuery
  const { codes, count } = await vaultOf(req).listPickable({ pool_id: rule.pool_id, q: q || null, limit, offset })
  res.setHeader("Cache-Control", "no-store")
  res.json({ pick: { premium_bp: rule.premium_bp, show_first: rule.show_first, show_last: rule.show_last }, codes, count, offset, limit })
}
