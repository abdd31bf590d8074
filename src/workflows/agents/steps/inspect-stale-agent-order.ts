import type { BigNumberValue } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"
import type { AgentOrderLine } from "./load-agent-order-bookkeeping"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

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
  /** What the buyer paid (exact decimal string). */
  total: string | null
  currency_code: string | null
  items: AgentOrderLine[]
  agent_chain: string[]
  quota_consumed: { agent_id: string; variant_id: string; quantity: number }[]
}

export type InspectStaleAgentOrderStepInput = {
  agent_order_id: string
  /** An order without progress for this long counts as cut off. */
  stale_after_seconds: number
}

type StaleMedusaOrderRow = {
  id: string
  display_id: number | null
  status: string
  canceled_at: Date | string | null
  items?: { quantity: BigNumberValue; variant_id?: string | null }[] | null
  agent_order?: { id: string } | null
  payment_collections?: { captured_amount: BigNumberValue | null; amount: BigNumberValue }[] | null
}

export const inspectStaleAgentOrderStepId = "inspect-stale-agent-order"

/**
 * Takes a wholesale order left processing (its request cut off by a crash) and decides: when its Medusa order holds
 * every code it bought, it is finished; otherwise everything it did is taken back. Reads, plus the claim that keeps
 * two recoveries apart.
 *
 * @example
 * const state = inspectStaleAgentOrderStep({ agent_order_id: "aord_123", stale_after_seconds: 600 })
 */
export const inspectStaleAgentOrderStep = createStep(
  inspectStaleAgentOrderStepId,
  async (input: InspectStaleAgentOrderStepInput, { container }) => {
    const row = await agentsModule(container).claimStaleOrder(input.agent_order_id, input.stale_after_seconds)
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
      // The lines the request recorded while it ran.
      items: (row?.items as AgentOrderLine[] | null) ?? [],
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
    const order = data[0] as StaleMedusaOrderRow | undefined
    if (!order) return new StepResponse({ ...base, action: "undo" as const })
    // Codes bound to the order: one per unit of its code lines (a top-up line gets none).
    const coded = new Set(base.items.filter((i) => !!i.pool_id).map((i) => i.variant_id))
    const wanted = MathBN.sum(0, ...(order.items ?? []).filter((i) => !base.items.length || coded.has(i.variant_id ?? "")).map((i) => i.quantity))
    const vault = cardVaultModule(container)
    const bound = await vault.listCardCodes({ order_id: order.id, status: ["delivered", "revealed"] }, { select: ["id"] })
    const canceled = order.status === "canceled" || !!order.canceled_at
    const captured = (order.payment_collections ?? []).some((c) => MathBN.gt(c.captured_amount ?? 0, 0) && MathBN.gte(c.captured_amount ?? 0, c.amount))
    const finished = !canceled && captured && !!row.transaction_id && MathBN.gt(wanted, 0) && MathBN.eq(wanted, bound.length)
    return new StepResponse({
      ...base,
      action: finished ? ("complete" as const) : ("undo" as const),
      display_id: order.display_id ?? null,
      order_open: !canceled,
      order_linked: !!order.agent_order?.id,
    })
  }
)
