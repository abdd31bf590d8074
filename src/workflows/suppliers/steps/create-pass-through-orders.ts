import type { BigNumberInput } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { passThroughMaxUnitCost, passThroughOffers } from "../utils/pass-through"
import { suppliersModule } from "../utils/suppliers-module"

export type CreatePassThroughOrdersStepInput = {
  order_id: string
  /** The lines the vault could not cover, with how many codes each still misses. */
  short: { line_item_id: string; pool_id: string; missing: number }[]
}

export type CreatePassThroughOrdersStepOutput = { ids: string[]; created_ids: string[] }

export const createPassThroughOrdersStepId = "create-pass-through-orders"

type ItemRow = { id: string; unit_price?: BigNumberInput | null }

/**
 * Creates one pass-through purchase per short line of a paid order, once per line (a later run answers the same): the
 * codes the line misses, bought from its pool's supplier product with our id as the order number, at most the
 * product's maximum and never more than the line's price per code; the amount a definite failure refunds is the line's
 * price × the codes missing. Created pending, for the suppliers' engine to submit. Outputs ids; compensation removes
 * the ones it created.
 */
export const createPassThroughOrdersStep = createStep(
  createPassThroughOrdersStepId,
  async (input: CreatePassThroughOrdersStepInput, { container }) => {
    const none: CreatePassThroughOrdersStepOutput = { ids: [], created_ids: [] }
    if (!input.short.length) return new StepResponse(none, [] as string[])
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: orders } = await query.graph({ entity: "order", fields: ["id", "currency_code", "items.*"], filters: { id: input.order_id } })
    const order = orders[0] as { id: string; currency_code: string; items?: ItemRow[] | null } | undefined
    const priceOf = new Map((order?.items ?? []).map((i) => [i.id, i.unit_price ?? null]))
    const offers = await passThroughOffers(container, input.short.map((l) => l.pool_id))
    const lines = input.short.filter((l) => offers.has(l.pool_id) && l.missing > 0)
    if (!order || !lines.length) return new StepResponse(none, [] as string[])
    const created = await suppliersModule(container).createSupplierOrdersOnce(
      lines.map((line) => {
        const offer = offers.get(line.pool_id)!
        const price = priceOf.get(line.line_item_id) ?? null
        return {
          supplier_id: offer.supplier_id,
          supplier_product_id: offer.supplier_product_id,
          kind: "pass_through" as const,
          upstream_product_id: offer.upstream_product_id,
          quantity: line.missing,
          order_id: order.id,
          line_item_id: line.line_item_id,
          pool_id: line.pool_id,
          amount: price === null ? null : MathBN.mult(MathBN.convert(price), line.missing).toString(),
          currency_code: order.currency_code,
          max_unit_cost: passThroughMaxUnitCost(offer, price === null ? null : MathBN.convert(price).toString()),
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
