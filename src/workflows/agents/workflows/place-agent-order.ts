import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { answerAgentOrderStep, AgentOrderSummary } from "../steps"
import { AgentEvents } from "../../../utils/events"

/** Emitted once a wholesale order is answered (data: `{ id }`, the agent order): its bookkeeping is pending. */
/** @deprecated use `AgentEvents.ORDER_PLACED` */
export const AGENT_ORDER_PLACED_EVENT = AgentEvents.ORDER_PLACED

export type PlaceAgentOrderWorkflowInput = {
  agent_id: string
  idempotency_key: string
  /** SHA-256 of the request body in canonical form. */
  request_hash: string
  /** Codes, or top-ups with their recipient sealed by the caller first (its id and mask; never the values). */
  items: { variant_id: string; quantity: number; recipient_id?: string | null; recipient?: string | null }[]
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
 *
 * @summary Answer a wholesale order.
 */
export const placeAgentOrderWorkflow = createWorkflow(placeAgentOrderWorkflowId, (input: PlaceAgentOrderWorkflowInput) => {
  // One step: a wholesale answer's path is measured in milliseconds, and every step costs the engine's bookkeeping.
  const placed = answerAgentOrderStep(
    transform({ input }, ({ input }) => ({
      key: { agent_id: input.agent_id, idempotency_key: input.idempotency_key, request_hash: input.request_hash },
      items: input.items,
      ip: input.ip ?? null,
    }))
  )

  when("agent-order-placed", { placed }, ({ placed }) => !placed.replayed).then(() => {
    emitEventStep({ eventName: AgentEvents.ORDER_PLACED, data: transform({ placed }, ({ placed }) => ({ id: placed.agent_order_id })) })
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
