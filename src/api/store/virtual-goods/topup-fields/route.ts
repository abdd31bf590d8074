import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { StoreGetTopUpFieldsParamsType } from "../validators"

/** The recipient fields a top-up variant asks for (label, pattern, lengths), for the storefront's form; `fields: []` for other variants. */
export const GET = async (req: MedusaRequest<unknown, StoreGetTopUpFieldsParamsType>, res: MedusaResponse) => {
  const { variant_id } = req.validatedQuery as StoreGetTopUpFieldsParamsType
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_variant",
    fields: ["id", "supplier_product.kind", "supplier_product.recipient_fields", "supplier_product.status"],
    filters: { id: variant_id },
  })
  const product = (data as { supplier_product?: { kind: string; status: string; recipient_fields: unknown } | null }[])[0]?.supplier_product
  const fields = product?.kind === "topup" && Array.isArray(product.recipient_fields) ? product.recipient_fields : []
  res.json({ variant_id, top_up: product?.kind === "topup", fields })
}
