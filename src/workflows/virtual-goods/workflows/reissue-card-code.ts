import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { reissueCardCodeStep, ReissueCardCodeStepInput, sendDeliveryNotificationStep, syncCardPoolInventoryStep } from "../steps"

export type ReissueCardCodeWorkflowInput = ReissueCardCodeStepInput

export const reissueCardCodeWorkflowId = "reissue-card-code"

/** What the delivery notification needs of the order. */
type OrderContactRow = { id: string; email: string | null; display_id: number | null }

/**
 * Void & reissue (作废重发): voids a delivered code reported invalid (counted against its batch), delivers a fresh code
 * from the same pool to the same order line, re-mirrors stock, and sends the order's delivery notification again
 * (a new reveal link, masks only) — the irreversible step, last. Out of stock: nothing changes.
 *
 * @example
 * const { result } = await reissueCardCodeWorkflow(container).run({
 *   input: { code_id: "ccode_123", reason: "customer reports the code as already used", actor: { type: "user", id } },
 * })
 *
 * @summary Void a code as invalid and deliver a fresh one.
 */
export const reissueCardCodeWorkflow = createWorkflow(reissueCardCodeWorkflowId, (input: ReissueCardCodeWorkflowInput) => {
  const reissue = reissueCardCodeStep(input)
  syncCardPoolInventoryStep(transform({ reissue }, ({ reissue }) => ({ pool_ids: [reissue.pool_id] })))
  const { data: orders } = useQueryGraphStep({
    entity: "order",
    fields: ["id", "email", "display_id"],
    filters: transform({ reissue }, ({ reissue }) => ({ id: reissue.order_id })),
  })
  sendDeliveryNotificationStep(
    transform({ reissue, orders }, ({ reissue, orders }) => ({
      order_id: reissue.order_id,
      display_id: (orders as OrderContactRow[])[0]?.display_id ?? null,
      email: (orders as OrderContactRow[])[0]?.email ?? null,
      reissued_code_id: reissue.code_id,
    }))
  )
  return new WorkflowResponse(reissue)
})
