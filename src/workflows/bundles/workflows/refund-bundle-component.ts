import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import type { CardActor } from "../../../modules/card-vault/service"
import { BundleEvents } from "../../../utils/events"
import { syncCardPoolInventoryStep } from "../../virtual-goods/steps"
import {
  finishBundleComponentRefundStep,
  prepareBundleComponentRefundStep,
  refundBundleComponentPaymentStep,
  takeBackBundleComponentStep,
} from "../steps"

export type RefundBundleComponentWorkflowInput = {
  order_id: string
  line_item_id: string
  pool_id: string
  reason: string
  actor?: CardActor
}

export type RefundBundleComponentWorkflowOutput = {
  id: string
  order_id: string
  line_item_id: string
  pool_id: string
  amount: string
  currency_code: string
  restocked: number
  voided: number
}

export const refundBundleComponentWorkflowId = "refund-bundle-component"

/**
 * Refunds one component of a sold bundle (e.g. the music card of a "追剧达人包" that would not activate), leaving the
 * others with the customer: its codes are taken back — unrevealed ones to stock, revealed ones voided — and its share
 * of what the line cost is given back through Medusa's refund workflow, once per line and pool (a second request is a
 * 400). The money moves last; if it cannot, the codes are the line's again and nothing is recorded.
 *
 * @example
 * await refundBundleComponentWorkflow(container).run({
 *   input: { order_id: "order_123", line_item_id: "ordli_123", pool_id: "cpool_123", reason: "code would not activate" },
 * })
 *
 * @summary Refund one component of a bundle line.
 */
export const refundBundleComponentWorkflow = createWorkflow(refundBundleComponentWorkflowId, (input: RefundBundleComponentWorkflowInput) => {
  const plan = prepareBundleComponentRefundStep(
    transform({ input }, ({ input }) => ({ order_id: input.order_id, line_item_id: input.line_item_id, pool_id: input.pool_id }))
  )
  const taken = takeBackBundleComponentStep(
    transform({ input, plan }, ({ input, plan }) => ({
      order_id: plan.order_id,
      line_item_id: plan.line_item_id,
      pool_id: plan.pool_id,
      amount: plan.amount,
      currency_code: plan.currency_code,
      reason: input.reason,
      actor: input.actor,
    }))
  )
  syncCardPoolInventoryStep(transform({ plan }, ({ plan }) => ({ pool_ids: [plan.pool_id] })))
  // Irreversible: the money, last.
  refundBundleComponentPaymentStep(
    transform({ input, plan, taken }, ({ input, plan, taken }) => ({
      refund_id: taken.refund_id,
      order_id: plan.order_id,
      amount: plan.amount,
      created_by: input.actor?.type === "user" ? input.actor.id ?? null : null,
    }))
  )
  finishBundleComponentRefundStep(transform({ taken }, ({ taken }) => ({ refund_id: taken.refund_id })))
  const result = transform({ plan, taken }, ({ plan, taken }): RefundBundleComponentWorkflowOutput => ({
    id: taken.refund_id,
    order_id: plan.order_id,
    line_item_id: plan.line_item_id,
    pool_id: plan.pool_id,
    amount: plan.amount,
    currency_code: plan.currency_code,
    restocked: taken.restocked,
    voided: taken.voided,
  }))
  emitEventStep({ eventName: BundleEvents.COMPONENT_REFUNDED, data: result })
  return new WorkflowResponse(result)
})
