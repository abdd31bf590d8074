import type { BigNumberInput } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { suppliersModule } from "../utils/suppliers-module"

export type CreateTopUpOrdersStepInput = { order_id: string }

export const createTopUpOrdersStepId = "create-top-up-orders"

type ItemRow = { id: string; variant_id: string | null; quantity: unknown; unit_price?: unknown; metadata?: Record<string, unknown> | null }
type VariantRow = { id: string; supplier_product?: { id: string; supplier_id: string; upstream_product_id: string; kind: string; max_unit_cost?: unknown } | null }

/**
 * Creates one supplier order per top-up line of a Medusa order (a variant linked to a supplier's top-up product),
 * once: a second run finds them. The recipient stays sealed: the order holds its id and mask only. Outputs ids.
 */
export const createTopUpOrdersStep = createStep(
  createTopUpOrdersStepId,
  async (input: CreateTopUpOrdersStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: orders } = await query.graph({
      entity: "order",
      fields: ["id", "currency_code", "items.*"],
      filters: { id: input.order_id },
    })
    const order = orders[0] as { id: string; currency_code: string; items?: ItemRow[] | null } | undefined
    const items = (order?.items ?? []).filter((i): i is ItemRow & { variant_id: string } => !!i?.variant_id)
    if (!order || !items.length) return new StepResponse({ ids: [] as string[], created_ids: [] as string[] }, [] as string[])
    const { data: variants } = await query.graph({
      entity: "product_variant",
      fields: ["id", "supplier_product.id", "supplier_product.supplier_id", "supplier_product.upstream_product_id", "supplier_product.kind", "supplier_product.max_unit_cost"],
      filters: { id: [...new Set(items.map((i) => i.variant_id))] },
    })
    const productOf = new Map((variants as VariantRow[]).flatMap((v) => (v.supplier_product?.kind === "topup" ? [[v.id, v.supplier_product] as const] : [])))
    const lines = items.filter((i) => productOf.has(i.variant_id))
    if (!lines.length) return new StepResponse({ ids: [] as string[], created_ids: [] as string[] }, [] as string[])
    const created = await suppliersModule(container).createSupplierOrdersOnce(
      lines.map((item) => {
        const product = productOf.get(item.variant_id)!
        const meta = item.metadata ?? {}
        return {
          supplier_id: product.supplier_id,
          supplier_product_id: product.id,
          kind: "topup" as const,
          upstream_product_id: product.upstream_product_id,
          quantity: MathBN.convert(item.quantity as BigNumberInput).toNumber(),
          order_id: order.id,
          line_item_id: item.id,
          recipient_id: typeof meta.virtual_goods_recipient_id === "string" ? meta.virtual_goods_recipient_id : null,
          recipient_masked: typeof meta.virtual_goods_recipient === "string" ? meta.virtual_goods_recipient : null,
          // The line as priced (unit price × quantity): what a definite failure refunds.
          amount: item.unit_price === undefined || item.unit_price === null ? null : MathBN.mult(MathBN.convert(item.unit_price as BigNumberInput), MathBN.convert(item.quantity as BigNumberInput)).toString(),
          currency_code: order.currency_code,
          max_unit_cost: product.max_unit_cost === undefined || product.max_unit_cost === null ? null : String(product.max_unit_cost),
        }
      })
    )
    const createdIds = created.filter((c) => c.created).map((c) => c.id)
    return new StepResponse({ ids: created.map((c) => c.id), created_ids: createdIds }, createdIds)
  },
  async (createdIds, { container }) => {
    if (createdIds?.length) await suppliersModule(container).softDeleteSupplierOrders(createdIds)
  }
)
