import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  createOrderPaymentCollectionWorkflow,
  createOrderWorkflow,
  createRemoteLinkStep,
  emitEventStep,
  markPaymentCollectionAsPaid,
} from "@medusajs/medusa/core-flows"
import { AGENTS_MODULE } from "../../modules/agents"
import { deliverOrderCodesWorkflow } from "../virtual-goods/workflows/deliver-order-codes"
import {
  AgentOrderSummary,
  bindAgentOrderCodesStep,
  finishAgentOrderBookkeepingStep,
  loadAgentOrderBookkeepingStep,
  placeAgentOrderStep,
  recordAgentMedusaOrderStep,
  wholesaleReservationKey,
} from "./wholesale-steps"

/** Emitted once a wholesale order is answered (data: `{ id }`, the agent order): its bookkeeping is pending. */
export const AGENT_ORDER_PLACED_EVENT = "agent_order.placed"

export type PlaceAgentOrderWorkflowInput = {
  agent_id: string
  idempotency_key: string
  /** SHA-256 of the request body in canonical form. */
  request_hash: string
  items: { variant_id: string; quantity: number }[]
  /** The client IP of the request (a fact for the risk rules). */
  ip?: string | null
}

export type PlaceAgentOrderWorkflowOutput = {
  agent_order_id: string
  /** The key was used before with the same body: nothing was done again. */
  replayed: boolean
  /** A new order whose codes are held for a risk review. */
  held: boolean
  /** The new order as recorded, without codes (null for a replay: read it again). */
  order: AgentOrderSummary | null
}

export const placeAgentOrderWorkflowId = "place-agent-order"

/**
 * A reseller's wholesale order, answered after ONE database transaction and exactly once per Idempotency-Key: a used
 * key with the same body is replayed, with another body refused (422); otherwise the order's prices are read
 * (the agent's tier and its ancestors' through Medusa's pricing, reads only), then one transaction claims the key,
 * judges the order with the risk rules, consumes the quotas, claims the codes (delivered to the agent order, or held
 * for a review), posts the purchase with the commissions up the chain under the price floor, and records the agent
 * order as answered — all or nothing. Its Medusa order (paid, fulfilled, linked) is recorded afterwards by the worker
 * (`recordAgentOrderWorkflow`, started by the `agent_order.placed` event and by the bookkeeping job). Ids and amounts
 * only — never a code — pass through the workflow.
 *
 * @example
 * const { result } = await placeAgentOrderWorkflow(container).run({
 *   input: { agent_id, idempotency_key: "po-2026-0042", request_hash, items: [{ variant_id: "variant_123", quantity: 100 }] },
 * })
 */
export const placeAgentOrderWorkflow = createWorkflow(placeAgentOrderWorkflowId, (input: PlaceAgentOrderWorkflowInput) => {
  // One step: a wholesale answer's path is measured in milliseconds, and every step costs the engine's bookkeeping.
  const placed = placeAgentOrderStep(
    transform({ input }, ({ input }) => ({
      key: { agent_id: input.agent_id, idempotency_key: input.idempotency_key, request_hash: input.request_hash },
      items: input.items,
      ip: input.ip ?? null,
    }))
  )

  when("agent-order-placed", { placed }, ({ placed }) => !placed.replayed).then(() => {
    emitEventStep({ eventName: AGENT_ORDER_PLACED_EVENT, data: transform({ placed }, ({ placed }) => ({ id: placed.agent_order_id })) })
  })

  return new WorkflowResponse(
    transform({ placed }, ({ placed }): PlaceAgentOrderWorkflowOutput => ({
      agent_order_id: placed.agent_order_id,
      replayed: placed.replayed,
      held: placed.held,
      order: placed.order,
    }))
  )
})

export type RecordAgentOrderWorkflowInput = { agent_order_id: string }

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
        display_id: (order as { display_id?: number | null }).display_id ?? null,
      }))
    )
    return order
  })
  const orderId = transform({ state, created }, ({ state, created }) => state?.order_id ?? created?.id ?? null)

  when("pay-agent-medusa-order", { state, orderId }, ({ state, orderId }) => !!state && !!orderId && state.needs_payment).then(() => {
    const collections = createOrderPaymentCollectionWorkflow.runAsStep({
      input: transform({ state, orderId }, ({ state, orderId }) => ({ order_id: orderId!, amount: Number(state!.total) })),
    })
    markPaymentCollectionAsPaid.runAsStep({
      input: transform({ orderId, collections }, ({ orderId, collections }) => ({ order_id: orderId!, payment_collection_id: collections[0].id })),
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
    finishAgentOrderBookkeepingStep(
      transform({ state, orderId, created, delivery }, ({ state, orderId, created, delivery }) => ({
        agent_order_id: state!.agent_order_id,
        agent_id: state!.agent_id,
        delivery_status: delivery?.status ?? null,
        payload: {
          id: state!.agent_order_id,
          order_id: orderId,
          display_id: (created as { display_id?: number | null } | undefined)?.display_id ?? state!.display_id,
          currency_code: state!.currency_code,
          total: state!.total,
          items: state!.items.map((l) => ({ variant_id: l.variant_id, quantity: l.quantity, unit_price: l.unit_price })),
          status: delivery?.status === "held_for_review" ? "held_for_review" : "delivered",
        },
      }))
    )
  })

  return new WorkflowResponse(transform({ state, orderId }, ({ state, orderId }) => ({ recorded: !!state && !!orderId, order_id: orderId })))
})
