import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  createOrderPaymentCollectionWorkflow,
  createOrderWorkflow,
  createRemoteLinkStep,
  emitEventStep,
  markPaymentCollectionAsPaid,
} from "@medusajs/medusa/core-flows"
import { AGENTS_MODULE } from "../../../modules/agents"
import { deliverOrderCodesWorkflow } from "../../virtual-goods/workflows/deliver-order-codes"
import { bindAgentOrderCodesStep, finishAgentOrderBookkeepingStep, loadAgentOrderBookkeepingStep, recordAgentMedusaOrderStep } from "../steps"
import { toNumberAtBoundary } from "../utils/amounts"
import { wholesaleReservationKey } from "../utils/reservation-key"
import { AgentEvents } from "../../../utils/events"
import { assertOrderDeliveredStep } from "../../virtual-goods/steps/assert-order-delivered"

export type RecordAgentOrderWorkflowInput = { agent_order_id: string }

export type RecordAgentOrderWorkflowOutput = {
  /** The order had pending bookkeeping and its Medusa order is now recorded. */
  recorded: boolean
  order_id: string | null
}

export const recordAgentOrderWorkflowId = "record-agent-order"

/**
 * The bookkeeping of an answered wholesale order, while it is pending (run it through `recordPendingAgentOrders`,
 * which holds the order's bookkeeping lease: one run per order at a time, freed at once when a worker dies):
 * a real Medusa order at the agent's prices (tax inclusive) — or the one an interrupted run already recorded — paid
 * from the ledger (system payment provider), the codes the agent got moved onto its lines, the digital fulfillment
 * created and delivered (a held order waits for the admin's approval instead), the order linked to the agent order and
 * its chain, the bookkeeping closed and the agent's `agent_order.completed` webhook queued. Any failure undoes the run
 * and leaves the order pending for the next run.
 *
 * @example
 * await agentsModule(container).withBookkeepingLease(id, () => recordAgentOrderWorkflow(container).run({ input: { agent_order_id: id } }))
 *
 * @summary Record a wholesale order's Medusa order.
 */
export const recordAgentOrderWorkflow = createWorkflow(recordAgentOrderWorkflowId, (input: RecordAgentOrderWorkflowInput) => {
  const state = loadAgentOrderBookkeepingStep(input)

  const created = when("create-agent-medusa-order", { state }, ({ state }) => !!state && !state.order_id).then(() => {
    const order = createOrderWorkflow.runAsStep({
      input: transform({ state }, ({ state }) => ({
        region_id: state!.region_id,
        sales_channel_id: state!.sales_channel_id ?? undefined,
        currency_code: state!.currency_code,
        customer_id: state!.customer_id ?? undefined,
        email: state!.email ?? undefined,
        items: state!.items.map((l) => ({
          variant_id: l.variant_id,
          quantity: l.quantity,
          title: l.product_title ?? l.title,
          subtitle: l.title,
          // Exact: Medusa's line items take the decimal string as it is.
          unit_price: l.unit_price,
          is_tax_inclusive: true,
          requires_shipping: false,
        })),
        metadata: {
          agent_order_id: state!.agent_order_id,
          agent_id: state!.agent_id,
          virtual_goods_reservation_key: wholesaleReservationKey(state!.agent_order_id),
        },
      })),
    })
    recordAgentMedusaOrderStep(
      transform({ order, state }, ({ order, state }) => ({
        agent_order_id: state!.agent_order_id,
        order_id: order.id,
        display_id: order.display_id ?? null,
      }))
    )
    return order
  })
  const orderId = transform({ state, created }, ({ state, created }) => state?.order_id ?? created?.id ?? null)

  // A collection a cut-off run created and did not pay is paid now; otherwise one is created.
  const collections = when(
    "create-agent-payment-collection",
    { state, orderId },
    ({ state, orderId }) => !!state && !!orderId && state.needs_payment && !state.unpaid_collection_id
  ).then(() =>
    createOrderPaymentCollectionWorkflow.runAsStep({
      // Medusa's input takes a number (and wraps it in its BigNumber at once); the total is an exact decimal.
      input: transform({ state, orderId }, ({ state, orderId }) => ({ order_id: orderId!, amount: toNumberAtBoundary(state!.total) })),
    })
  )
  when("pay-agent-medusa-order", { state, orderId }, ({ state, orderId }) => !!state && !!orderId && state.needs_payment).then(() => {
    markPaymentCollectionAsPaid.runAsStep({
      input: transform({ state, orderId, collections }, ({ state, orderId, collections }) => ({
        order_id: orderId!,
        payment_collection_id: state!.unpaid_collection_id ?? collections![0].id,
      })),
    })
  })

  const delivery = when("deliver-agent-medusa-order", { state, orderId }, ({ state, orderId }) => !!state && !!orderId).then(() => {
    bindAgentOrderCodesStep(
      transform({ state, orderId }, ({ state, orderId }) => ({ agent_order_id: state!.agent_order_id, order_id: orderId!, items: state!.items }))
    )
    return deliverOrderCodesWorkflow.runAsStep({
      input: transform({ state, orderId }, ({ state, orderId }) => ({
        order_id: orderId!,
        reservation_key: wholesaleReservationKey(state!.agent_order_id),
        notify: false,
      })),
    })
  })

  when("link-agent-medusa-order", { state, orderId }, ({ state, orderId }) => !!state && !!orderId && !state.linked).then(() => {
    createRemoteLinkStep(
      transform({ state, orderId }, ({ state, orderId }) => [
        { [AGENTS_MODULE]: { agent_order_id: state!.agent_order_id }, [Modules.ORDER]: { order_id: orderId! } },
      ])
    ).config({ name: "link-agent-order" })
  })

  when("finish-agent-order-bookkeeping", { state, orderId }, ({ state, orderId }) => !!state && !!orderId).then(() => {
    // Unless the delivery bound every code, the run is undone and tried again.
    assertOrderDeliveredStep(
      transform({ state, delivery }, ({ state, delivery }) => ({
        subject: `Agent order ${state!.agent_order_id}: its Medusa order`,
        status: delivery?.status ?? null,
        // An order of top-ups only has no codes to deliver: its suppliers fulfil it (see the suppliers' workflows).
        allowed: state!.items.some((l) => !!l.pool_id) ? ["delivered", "held_for_review"] : ["delivered", "held_for_review", "not_deliverable"],
        refusal: "unexpected_state" as const,
      }))
    )
    finishAgentOrderBookkeepingStep(
      transform({ state, orderId, created, delivery }, ({ state, orderId, created, delivery }) => ({
        agent_order_id: state!.agent_order_id,
        agent_id: state!.agent_id,
        payload: {
          id: state!.agent_order_id,
          order_id: orderId,
          display_id: created?.display_id ?? state!.display_id,
          currency_code: state!.currency_code,
          total: state!.total,
          items: state!.items.map((l) => ({ variant_id: l.variant_id, quantity: l.quantity, unit_price: l.unit_price })),
          status: delivery?.status === "held_for_review" ? "held_for_review" : "delivered",
        },
      }))
    )
  })

  when("emit-agent-order-completed", { state, orderId }, ({ state, orderId }) => !!state && !!orderId).then(() => {
    emitEventStep({
      eventName: AgentEvents.ORDER_COMPLETED,
      data: transform({ state, orderId, delivery }, ({ state, orderId, delivery }) => ({
        id: state!.agent_order_id,
        agent_id: state!.agent_id,
        order_id: orderId!,
        status: delivery?.status === "held_for_review" ? "held_for_review" : "delivered",
      })),
    })
  })

  return new WorkflowResponse(
    transform({ state, orderId }, ({ state, orderId }): RecordAgentOrderWorkflowOutput => ({ recorded: !!state && !!orderId, order_id: orderId }))
  )
})
