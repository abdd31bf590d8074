import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { SupplierEvents } from "../../../utils/events"
import { VIRTUAL_GOODS_PURCHASE_REFUNDED_TEMPLATE, VIRTUAL_GOODS_TOPUP_REFUNDED_TEMPLATE } from "../../../utils/notification-templates"
import { sendPaymentNotificationStep } from "../../payments/steps"
import { claimSupplierRefundStep } from "../steps/claim-supplier-refund"
import { finishSupplierRefundStep } from "../steps/finish-supplier-refund"
import { refundAgentTopUpStep } from "../steps/refund-agent-top-up"
import { refundSupplierOrderPaymentStep } from "../steps/refund-supplier-order-payment"

export type RefundSupplierOrderWorkflowInput = {
  supplier_order_id: string
  /** For the recovery of a refund whose process died (an order left `refunding`). */
  retake?: boolean
  /** The admin who decided, or null for the automatic refund of a definite failure. */
  actor?: string | null
  /** What the customer is told about the order (from the Medusa order). */
  email?: string | null
  display_id?: number | null
  product?: string | null
  locale?: string | null
}
export type RefundSupplierOrderWorkflowOutput = { refunded: boolean }

export const refundSupplierOrderWorkflowId = "refund-supplier-order"

/**
 * Refunds a failed top-up's line (or the codes a pass-through purchase could not buy), once: the claim (one conditional UPDATE; only a failed order — a definite failure
 * or an admin's decision — can be refunded), Medusa's refund of the line's amount from the order's payment, the claim
 * finished, then the customer told and the event announced. A repeat refunds nothing.
 *
 * @example
 * await refundSupplierOrderWorkflow(container).run({ input: { supplier_order_id: "supo_123" } })
 *
 * @summary Refund a failed top-up.
 */
export const refundSupplierOrderWorkflow = createWorkflow(refundSupplierOrderWorkflowId, (input: RefundSupplierOrderWorkflowInput) => {
  const claim = claimSupplierRefundStep(transform({ input }, ({ input }) => ({ supplier_order_id: input.supplier_order_id, retake: input.retake })))
  const refundable = transform({ claim }, ({ claim }) => claim.claimed && !!claim.order.order_id && claim.order.amount !== null)
  const refund = when("refund-line", { refundable }, ({ refundable }) => refundable).then(() =>
    refundSupplierOrderPaymentStep(
      transform({ claim, input }, ({ claim, input }) => ({
        supplier_order_id: claim.order.id,
        order_id: claim.order.order_id!,
        amount: claim.order.amount!,
        created_by: input.actor ?? null,
      }))
    )
  )
  // An agent's wholesale top-up: its ledger gives the line back (the agent is told by its webhook).
  const agentRefund = when("refund-agent-line", { claim }, ({ claim }) => claim.claimed && !claim.order.order_id && !!claim.order.agent_order_id).then(() =>
    refundAgentTopUpStep(
      transform({ claim, input }, ({ claim, input }) => ({
        supplier_order_id: claim.order.id,
        agent_order_id: claim.order.agent_order_id!,
        actor: input.actor ?? null,
        recipient: claim.order.recipient_masked,
        reason: claim.order.failure_reason,
      }))
    )
  )
  // After the refund (a failing refund step stops the run; its compensation gives the claim back for the next try).
  const finished = when("finish-refund", { claim, agentRefund }, ({ claim }) => claim.claimed).then(() =>
    finishSupplierRefundStep(transform({ claim, input }, ({ claim, input }) => ({ supplier_order_id: claim.order.id, actor: input.actor ?? null })))
  )
  when("tell-customer", { refund, input }, ({ refund, input }) => !!refund?.refunded && !refund.already && !!input.email).then(() => {
    sendPaymentNotificationStep(
      transform({ claim, input }, ({ claim, input }) => ({
        to: input.email ?? "",
        // A pass-through purchase's codes were not bought: told in its own words (no recipient).
        template: claim.order.kind === "pass_through" ? VIRTUAL_GOODS_PURCHASE_REFUNDED_TEMPLATE : VIRTUAL_GOODS_TOPUP_REFUNDED_TEMPLATE,
        idempotency_key: `virtual-goods-${claim.order.kind === "pass_through" ? "purchase" : "topup"}-refunded:${claim.order.id}`,
        resource_id: claim.order.order_id ?? claim.order.id,
        resource_type: "order",
        data: {
          order_id: claim.order.order_id,
          display_id: input.display_id ?? null,
          product: input.product ?? claim.order.upstream_product_id,
          recipient: claim.order.recipient_masked,
          quantity: claim.order.quantity,
          amount: claim.order.amount,
          currency_code: claim.order.currency_code,
          reason: claim.order.failure_reason?.slice(0, 200) ?? null,
          locale: input.locale ?? null,
        },
      }))
    )
  })
  when("emit-refunded", { finished }, ({ finished }) => !!finished?.finished).then(() => {
    emitEventStep({
      eventName: SupplierEvents.ORDER_REFUNDED,
      data: transform({ claim }, ({ claim }) => ({ id: claim.order.id, order_id: claim.order.order_id })),
    })
  })
  return new WorkflowResponse(transform({ finished }, ({ finished }): RefundSupplierOrderWorkflowOutput => ({ refunded: !!finished?.finished })))
})
