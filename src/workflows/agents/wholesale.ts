import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  createOrderPaymentCollectionWorkflow,
  createOrderWorkflow,
  createRemoteLinkStep,
  createReservationsStep,
  markPaymentCollectionAsPaid,
  useQueryGraphStep,
} from "@medusajs/medusa/core-flows"
import { AGENTS_MODULE } from "../../modules/agents"
import { deliverOrderCodesWorkflow } from "../virtual-goods/workflows/deliver-order-codes"
import {
  assertAgentOrderDeliveredStep,
  beginAgentOrderStep,
  completeAgentOrderStep,
  consumeAgentQuotasStep,
  postAgentPurchaseStep,
  prepareAgentOrderStep,
  queueAgentWebhookStep,
  assessAgentOrderRiskStep,
  recordAgentMedusaOrderStep,
  recordAgentOrderPlanStep,
  reserveAgentOrderCodesStep,
  wholesaleReservationKey,
} from "./wholesale-steps"

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
}

export const placeAgentOrderWorkflowId = "place-agent-order"

/**
 * A reseller's wholesale order, all or nothing and exactly once per Idempotency-Key: claims the key (a concurrent
 * duplicate → 409, another body → 422, a completed one → replayed), checks prices and stock source, consumes the
 * agent's quotas, reserves the codes, debits the agent and credits the commissions up its chain in one ledger
 * transaction, creates a real Medusa order at the agent's prices (tax inclusive) paid from the ledger (system payment
 * provider), reserves its inventory, delivers the codes with the digital fulfillment, links the order to the agent
 * order, queues the agent's webhook and records the order as complete. Any failure undoes every step before it.
 * Ids and amounts only — never a code — pass through the workflow.
 *
 * @example
 * const { result } = await placeAgentOrderWorkflow(container).run({
 *   input: { agent_id, idempotency_key: "po-2026-0042", request_hash, items: [{ variant_id: "variant_123", quantity: 100 }] },
 * })
 */
export const placeAgentOrderWorkflow = createWorkflow(placeAgentOrderWorkflowId, (input: PlaceAgentOrderWorkflowInput) => {
  const begun = beginAgentOrderStep(
    transform({ input }, ({ input }) => ({ agent_id: input.agent_id, idempotency_key: input.idempotency_key, request_hash: input.request_hash }))
  )

  when("place-new-agent-order", { begun }, ({ begun }) => begun.created).then(() => {
    const plan = prepareAgentOrderStep(transform({ input }, ({ input }) => ({ agent_id: input.agent_id, items: input.items })))
    recordAgentOrderPlanStep(transform({ plan, begun }, ({ plan, begun }) => ({ agent_order_id: begun.id, plan })))
    // The same risk rules as the store's checkouts (those for `all` and `wholesale`): block refuses the order here.
    assessAgentOrderRiskStep(transform({ plan, begun, input }, ({ plan, begun, input }) => ({ agent_order_id: begun.id, plan, ip: input.ip ?? null })))
    consumeAgentQuotasStep(transform({ plan, begun }, ({ plan, begun }) => ({ agent_order_id: begun.id, agent_id: plan.agent_id, lines: plan.lines })))
    reserveAgentOrderCodesStep(transform({ plan, begun }, ({ plan, begun }) => ({ agent_order_id: begun.id, agent_id: plan.agent_id, lines: plan.lines })))
    const posted = postAgentPurchaseStep(transform({ plan, begun }, ({ plan, begun }) => ({ agent_order_id: begun.id, plan })))

    const order = createOrderWorkflow.runAsStep({
      input: transform({ plan, begun }, ({ plan, begun }) => ({
        region_id: plan.region_id,
        sales_channel_id: plan.sales_channel_id ?? undefined,
        currency_code: plan.currency_code,
        customer_id: plan.customer_id ?? undefined,
        email: plan.email ?? undefined,
        items: plan.lines.map((l) => ({
          variant_id: l.variant_id,
          quantity: l.quantity,
          title: l.product_title ?? l.title,
          subtitle: l.title,
          unit_price: Number(l.unit_price),
          is_tax_inclusive: true,
          requires_shipping: false,
        })),
        metadata: { agent_order_id: begun.id, agent_id: plan.agent_id, virtual_goods_reservation_key: wholesaleReservationKey(begun.id) },
      })),
    })

    // Recorded at once: a crash from here on leaves a Medusa order the recovery job must find. A review decision
    // follows the order: its delivery waits for an admin.
    recordAgentMedusaOrderStep(
      transform({ order, begun }, ({ order, begun }) => ({ agent_order_id: begun.id, order_id: order.id, display_id: (order as any).display_id ?? null }))
    )

    const paymentCollections = createOrderPaymentCollectionWorkflow.runAsStep({
      input: transform({ order, posted }, ({ order, posted }) => ({ order_id: order.id, amount: Number(posted.total) })),
    })
    markPaymentCollectionAsPaid.runAsStep({
      input: transform({ order, paymentCollections }, ({ order, paymentCollections }) => ({
        order_id: order.id,
        payment_collection_id: (paymentCollections as any)[0].id,
      })),
    })

    const { data: created } = useQueryGraphStep({
      entity: "order",
      fields: ["id", "display_id", "items.*"],
      filters: transform({ order }, ({ order }) => ({ id: order.id })),
      options: { isList: false, throwIfKeyNotFound: true },
    }).config({ name: "read-agent-medusa-order" })

    const reservations = transform({ plan, created }, ({ plan, created }) =>
      ((created as any).items ?? []).flatMap((item: any) => {
        const line = plan.lines.find((l) => l.variant_id === item.variant_id)
        return line?.inventory_item_id && line.location_id
          ? [{ line_item_id: item.id, inventory_item_id: line.inventory_item_id, location_id: line.location_id, quantity: Number(item.quantity) }]
          : []
      })
    )
    // Inventory reservations for the lines (Medusa's fulfillment of an inventory-managed variant needs them); an
    // empty list when no variant manages inventory. (No nested `when` inside a `when`: the composer does not support it.)
    createReservationsStep(reservations).config({ name: "reserve-agent-order-inventory" })

    const delivery = deliverOrderCodesWorkflow.runAsStep({
      input: transform({ order, begun }, ({ order, begun }) => ({
        order_id: order.id,
        reservation_key: wholesaleReservationKey(begun.id),
        notify: false,
      })),
    })
    assertAgentOrderDeliveredStep(transform({ order, delivery }, ({ order, delivery }) => ({ order_id: order.id, status: delivery.status })))

    createRemoteLinkStep(
      transform({ order, begun }, ({ order, begun }) => [{ [AGENTS_MODULE]: { agent_order_id: begun.id }, [Modules.ORDER]: { order_id: order.id } }])
    ).config({ name: "link-agent-order" })

    queueAgentWebhookStep(
      transform({ plan, begun, created, posted, delivery }, ({ plan, begun, created, posted, delivery }) => ({
        agent_id: plan.agent_id,
        event: "agent_order.completed",
        payload: {
          id: begun.id,
          order_id: (created as any).id,
          display_id: (created as any).display_id ?? null,
          currency_code: plan.currency_code,
          total: posted.total,
          items: plan.lines.map((l) => ({ variant_id: l.variant_id, quantity: l.quantity, unit_price: l.unit_price })),
          status: delivery.status === "held_for_review" ? "held_for_review" : "delivered",
        },
      }))
    )

    completeAgentOrderStep(
      transform({ plan, begun, created, posted }, ({ plan, begun, created, posted }) => ({
        agent_order_id: begun.id,
        order_id: (created as any).id,
        display_id: (created as any).display_id ?? null,
        plan,
        transaction_id: posted.transaction_id,
        total: posted.total,
      }))
    )
  })

  return new WorkflowResponse(
    transform({ begun }, ({ begun }): PlaceAgentOrderWorkflowOutput => ({ agent_order_id: begun.id, replayed: !begun.created }))
  )
})
