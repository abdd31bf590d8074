import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import { AGENTS_MODULE } from "../../modules/agents"
import type AgentsModuleService from "../../modules/agents/service"
import { CARD_VAULT_MODULE } from "../../modules/card-vault"
import type CardVaultModuleService from "../../modules/card-vault/service"
import { deliverOrderCodesWorkflow } from "../virtual-goods/workflows/deliver-order-codes"
import { wholesaleReservationKey } from "./wholesale-steps"

const agents = (container: any): AgentsModuleService => container.resolve(AGENTS_MODULE)
const vault = (container: any): CardVaultModuleService => container.resolve(CARD_VAULT_MODULE)

export type StaleAgentOrder = {
  agent_order_id: string
  /** complete: the codes were delivered, only the bookkeeping is missing; undo: take everything back; none: not stale. */
  action: "complete" | "undo" | "none"
  agent_id: string | null
  order_id: string | null
  display_id: number | null
  /** The Medusa order exists and is not canceled (undo cancels it, which refunds its payment). */
  order_open: boolean
  order_linked: boolean
  transaction_id: string | null
  total: string | null
  currency_code: string | null
  items: any[]
  agent_chain: string[]
  quota_consumed: { agent_id: string; variant_id: string; quantity: number }[]
}

/**
 * Takes a wholesale order left processing (its request cut off by a crash) and decides: when its Medusa order holds
 * every code it bought, it is finished; otherwise everything it did is taken back. Reads, plus the claim that keeps
 * two recoveries apart.
 */
export const inspectStaleAgentOrderStep = createStep(
  "inspect-stale-agent-order",
  async (input: { agent_order_id: string; stale_after_seconds: number }, { container }) => {
    const row = await agents(container).claimStaleOrder(input.agent_order_id, input.stale_after_seconds)
    const base: StaleAgentOrder = {
      agent_order_id: input.agent_order_id,
      action: "none",
      agent_id: row?.agent_id ?? null,
      order_id: row?.order_id ?? null,
      display_id: row?.display_id ?? null,
      order_open: false,
      order_linked: false,
      transaction_id: row?.transaction_id ?? null,
      total: row?.total ?? null,
      currency_code: row?.currency_code ?? null,
      items: row?.items ?? [],
      agent_chain: row?.agent_chain ?? [],
      quota_consumed: row?.quota_consumed ?? [],
    }
    if (!row) return new StepResponse(base)
    if (!row.order_id) return new StepResponse({ ...base, action: "undo" as const })
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: ["id", "display_id", "status", "canceled_at", "items.*", "agent_order.id", "payment_collections.captured_amount", "payment_collections.amount"],
      filters: { id: row.order_id },
    })
    const order: any = data[0]
    if (!order) return new StepResponse({ ...base, action: "undo" as const })
    const wanted = (order.items ?? []).reduce((n: number, i: any) => n + Number(i.quantity), 0)
    const bound = await vault(container).listCardCodes({ order_id: order.id, status: ["delivered", "revealed"] }, { select: ["id"] })
    const canceled = order.status === "canceled" || !!order.canceled_at
    const captured = (order.payment_collections ?? []).some((c: any) => MathBN.gt(c.captured_amount ?? 0, 0) && MathBN.gte(c.captured_amount, c.amount))
    const finished = !canceled && captured && !!row.transaction_id && wanted > 0 && bound.length === wanted
    return new StepResponse({
      ...base,
      action: finished ? ("complete" as const) : ("undo" as const),
      display_id: order.display_id ?? null,
      order_open: !canceled,
      order_linked: !!order.agent_order?.id,
    })
  }
)

/** Links the agent order to its Medusa order when the cut-off request had not yet. Compensation removes that link. */
export const linkRecoveredAgentOrderStep = createStep(
  "link-recovered-agent-order",
  async (input: { agent_order_id: string; order_id: string; linked: boolean }, { container }) => {
    if (input.linked) return new StepResponse(void 0, null)
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const definition = { [AGENTS_MODULE]: { agent_order_id: input.agent_order_id }, [Modules.ORDER]: { order_id: input.order_id } }
    await link.create([definition])
    return new StepResponse(void 0, definition)
  },
  async (definition, { container }) => {
    if (!definition) return
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss([definition])
  }
)

/** Records the recovered order as complete and queues its webhook, as the request would have. */
export const completeRecoveredAgentOrderStep = createStep("complete-recovered-agent-order", async (input: StaleAgentOrder, { container }) => {
  const service = agents(container)
  await service.queueWebhook({
    agent_id: input.agent_id!,
    event: "agent_order.completed",
    payload: {
      id: input.agent_order_id,
      order_id: input.order_id,
      display_id: input.display_id,
      currency_code: input.currency_code,
      total: input.total,
      items: input.items.map((l: any) => ({ variant_id: l.variant_id, quantity: l.quantity, unit_price: l.unit_price })),
    },
  })
  await service.completeOrder({
    id: input.agent_order_id,
    order_id: input.order_id!,
    display_id: input.display_id,
    currency_code: input.currency_code!,
    total: input.total!,
    items: input.items,
    agent_chain: input.agent_chain,
    transaction_id: input.transaction_id!,
  })
  return new StepResponse(void 0)
})

/**
 * Takes back what a cut-off wholesale order did (after its Medusa order, if any, was canceled and refunded): its codes
 * go back to stock, the debit and commissions are reversed by a `refund` posting, the quota is given back, and the
 * Idempotency-Key is freed so the agent can send the request again. Every part is idempotent; it is itself the undo.
 */
export const undoAgentOrderStep = createStep("undo-agent-order", async (input: StaleAgentOrder, { container }) => {
  await vault(container).releaseReservations({ cart_id: wholesaleReservationKey(input.agent_order_id), reason: "wholesale request interrupted" })
  const service = agents(container)
  if (input.transaction_id) {
    await service.reverseTransaction({ transaction_id: input.transaction_id, note: "wholesale request interrupted", actor: { type: "system" } })
  }
  for (const q of input.quota_consumed) await service.releaseQuota(q)
  await service.abandonOrder(input.agent_order_id)
  return new StepResponse(void 0)
})

/**
 * Resolves a wholesale order whose request was cut off (a crash between its steps leaves it `processing`): finishes
 * it when its codes were delivered (fulfillment, link, webhook, completion), or cancels its Medusa order (refunding
 * the ledger-paid payment) and takes back codes, money and quota, freeing the key. Run by the recovery job for
 * orders without progress for a while.
 */
export const recoverAgentOrderWorkflow = createWorkflow(
  "recover-agent-order",
  (input: { agent_order_id: string; stale_after_seconds: number }) => {
    const state = inspectStaleAgentOrderStep(input)

    when("finish-interrupted-agent-order", { state }, ({ state }) => state.action === "complete").then(() => {
      deliverOrderCodesWorkflow.runAsStep({
        input: transform({ state }, ({ state }) => ({
          order_id: state.order_id!,
          reservation_key: wholesaleReservationKey(state.agent_order_id),
          notify: false,
        })),
      })
      linkRecoveredAgentOrderStep(
        transform({ state }, ({ state }) => ({ agent_order_id: state.agent_order_id, order_id: state.order_id!, linked: state.order_linked }))
      )
      completeRecoveredAgentOrderStep(state)
    })

    when("cancel-interrupted-medusa-order", { state }, ({ state }) => state.action === "undo" && state.order_open).then(() => {
      cancelOrderWorkflow.runAsStep({ input: transform({ state }, ({ state }) => ({ order_id: state.order_id! })) })
    })
    when("undo-interrupted-agent-order", { state }, ({ state }) => state.action === "undo").then(() => {
      undoAgentOrderStep(state)
    })

    return new WorkflowResponse(transform({ state }, ({ state }) => ({ agent_order_id: state.agent_order_id, action: state.action })))
  }
)
