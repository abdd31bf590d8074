import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep, useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { VirtualGoodsEvents } from "../../../utils/events"
import { CardActor } from "../../../modules/card-vault/service"
import { returnOrderCodesStep, syncCardPoolInventoryStep } from "../steps"

export type ReturnOrderCodesWorkflowInput = { order_id: string; reason: string; actor?: CardActor }

export const returnOrderCodesWorkflowId = "return-order-codes"

type OrderCartRow = { id: string; cart?: { id: string } | null }

/**
 * Takes back an order's codes after a full refund or a cancellation: codes never revealed go back to stock,
 * revealed codes are voided and never sold again, reservations still held for the order's cart are released.
 *
 * @example
 * await returnOrderCodesWorkflow(container).run({ input: { order_id: "order_123", reason: "refunded" } })
 *
 * @summary Return an order's card codes to stock or void them.
 */
export const returnOrderCodesWorkflow = createWorkflow(returnOrderCodesWorkflowId, (input: ReturnOrderCodesWorkflowInput) => {
  const { data: orders } = useQueryGraphStep({
    entity: "order",
    fields: ["id", "cart.id"],
    filters: transform({ input }, ({ input }) => ({ id: input.order_id })),
  }).config({ name: "return-order-codes-order" })
  const result = returnOrderCodesStep(
    transform({ input, orders }, ({ input, orders }) => ({
      order_id: input.order_id,
      cart_id: (orders as OrderCartRow[])[0]?.cart?.id ?? null,
      reason: input.reason,
      actor: input.actor,
    }))
  )
  // Inventory mirrors stock: re-sync every linked pool the order touched (cheap, idempotent).
  syncCardPoolInventoryStep({})
  emitEventStep({
    eventName: VirtualGoodsEvents.CODES_RETURNED,
    data: transform({ input, result }, ({ input, result }) => ({
      order_id: input.order_id,
      restocked: result.restocked.length,
      voided: result.voided.length,
      released: result.released.length,
    })),
  })
  return new WorkflowResponse(result)
})
