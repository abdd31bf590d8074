import type { MedusaContainer } from "@medusajs/framework/types"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type AgentsModuleService from "../../../modules/agents/service"
import { orderTotal, toNumberAtBoundary } from "../utils/amounts"
import { agentsModule } from "../utils/agents-module"
import { wholesaleReservationKey } from "../utils/reservation-key"
import { prepareAgentOrder, WholesaleOrderPlan } from "../utils/wholesale-offers"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"
import { riskModule } from "../../risk/utils/risk-module"
import { suppliersModule } from "../../suppliers/utils/suppliers-module"

/** A wholesale order's Idempotency-Key and the hash of its body. */
export type AgentOrderKey = { agent_id: string; idempotency_key: string; request_hash: string }

/** An answered agent order as recorded (no codes): enough to answer the agent without reading it again. */
export type AgentOrderSummary = Awaited<ReturnType<AgentsModuleService["commitOrder"]>>

export type AnswerAgentOrderStepInput = {
  key: AgentOrderKey
  /** One line per variant: whole codes, or top-ups with their sealed recipient (id and mask, never the values). */
  items: { variant_id: string; quantity: number; recipient_id?: string | null; recipient?: string | null }[]
  /** The client IP of the request (a fact for the risk rules). */
  ip: string | null
}

export type AnswerAgentOrderStepOutput = {
  agent_order_id: string
  /** The key was used before with the same body: nothing was done again. */
  replayed: boolean
  /** A new order whose codes are held for a risk review. */
  held: boolean
  /** The new order as recorded (null for a replay). */
  order: AgentOrderSummary | null
}

/**
 * Looks an Idempotency-Key up before any work (reads only): a completed order with the same body is replayed as it is,
 * the same key with another body is refused (422). Otherwise `null`: the order is to be placed.
 */
export async function findAgentOrder(container: MedusaContainer, input: AgentOrderKey): Promise<{ id: string } | null> {
  const existing = await agentsModule(container).findOrderByKey({ agent_id: input.agent_id, idempotency_key: input.idempotency_key })
  if (!existing) return null
  if (existing.request_hash !== input.request_hash) {
    throw new MedusaError(
      MedusaError.Types.DUPLICATE_ERROR,
      `Idempotency-Key ${JSON.stringify(input.idempotency_key)} was already used with a different request body`
    )
  }
  // A row still processing (a concurrent duplicate): the key's own claim in the transaction waits for it.
  return existing.status === "completed" ? { id: existing.id } : null
}

/** The lines as the agent order records them: with every agent's unit price (a line's refund reverses exactly its share). */
const summaryOf = (plan: WholesaleOrderPlan, supplierOrderOf: Map<string, string>) =>
  plan.lines.map((l) => ({
    variant_id: l.variant_id,
    pool_id: l.pool_id,
    ...(l.components ? { components: l.components } : {}),
    quantity: l.quantity,
    unit_price: l.unit_price,
    unit_prices: l.unit_prices,
    title: l.title,
    product_title: l.product_title,
    ...(l.topup ? { supplier_order_id: supplierOrderOf.get(l.variant_id), recipient: l.topup.recipient } : {}),
  }))

/**
 * Places a wholesale order in ONE database transaction (every module call gets its context): the Idempotency-Key (a
 * concurrent duplicate waits for this transaction, then replays it), the risk decision (`block` refuses: nothing is
 * kept; `review` holds the codes), the quotas (conditional UPDATEs), the codes (claimed and delivered to the agent
 * order, or held), the ledger posting with the commissions and the price floor, and the agent order itself — answered,
 * with its bookkeeping (the Medusa order) pending for the worker. All of it commits or none of it does, so there is
 * nothing to compensate: an answered order is final (refunds are the admin's). Ids and amounts only, never a code.
 */
async function commitAgentOrder(
  container: MedusaContainer,
  input: { key: AgentOrderKey; plan: WholesaleOrderPlan; ip: string | null }
): Promise<{ agent_order_id: string; created: boolean; held: boolean; order: AgentOrderSummary | null }> {
  const service = agentsModule(container)
  const risk = riskModule(container)
  const vault = cardVaultModule(container)
  const { plan } = input
  return service.runInTransaction(async (ctx) => {
    const begun = await service.beginOrder(input.key, ctx)
    if (!begun.created) return { agent_order_id: begun.id, created: false, held: false, order: null }
    const decision = await risk.assess(
      {
        subject_type: "agent_order",
        subject_id: begun.id,
        new_subject: true,
        facts: {
          channel: "wholesale",
          agent_id: plan.agent_id,
          customer_id: plan.customer_id,
          email: plan.email,
          ip: input.ip,
          amount: toNumberAtBoundary(orderTotal(plan.lines.map((l) => ({ quantity: l.quantity, unit_price: l.unit_prices[plan.chain[0]] })))),
          quantity: plan.lines.reduce((n, l) => n + l.quantity, 0),
          first_purchase: false,
        },
      },
      ctx
    )
    if (decision.action === "block") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "This order was refused by risk control. Contact the store if you think this is a mistake.")
    }
    const wanted = new Map<string, number>()
    for (const l of plan.lines) wanted.set(l.variant_id, (wanted.get(l.variant_id) ?? 0) + l.quantity)
    const consumed: { agent_id: string; variant_id: string; quantity: number }[] = []
    for (const [variant_id, quantity] of wanted) {
      const quota = await service.consumeQuota({ agent_id: plan.agent_id, variant_id, quantity }, ctx)
      if (quota.limited) consumed.push({ agent_id: plan.agent_id, variant_id, quantity })
    }
    const held = decision.action === "review"
    // A bundle's line claims every component's codes: the one all-or-nothing claim covers them with the rest.
    const coded = plan.lines.flatMap((l) =>
      l.components ? l.components.map((c) => ({ pool_id: c.pool_id, quantity: c.quantity * l.quantity })) : l.pool_id ? [{ pool_id: l.pool_id, quantity: l.quantity }] : []
    )
    if (coded.length) {
      await vault.claimForOwner(
        { key: wholesaleReservationKey(begun.id), owner_id: begun.id, items: coded, hold: held, actor: { type: "agent", id: plan.agent_id, ip: input.ip } },
        ctx
      )
    }
    // Top-up lines: their supplier orders, pending in the same transaction (submitted once it commits — not while the
    // order is held for review — with the agent order's id as their owner).
    const topUps = plan.lines.filter((l) => !!l.topup)
    const supplierOrderOf = new Map<string, string>()
    if (topUps.length) {
      const created = await suppliersModule(container).createSupplierOrdersOnce(
        topUps.map((l) => ({
          supplier_id: l.topup!.supplier_id,
          supplier_product_id: l.topup!.supplier_product_id,
          kind: "topup" as const,
          upstream_product_id: l.topup!.upstream_product_id,
          quantity: l.quantity,
          agent_order_id: begun.id,
          recipient_id: l.topup!.recipient_id,
          recipient_masked: l.topup!.recipient,
          // What the agent pays for the line: what a definite failure gives back.
          amount: MathBN.mult(l.unit_price, l.quantity).toString(),
          currency_code: plan.currency_code,
          max_unit_cost: l.topup!.max_unit_cost,
        })),
        ctx
      )
      topUps.forEach((l, i) => supplierOrderOf.set(l.variant_id, created[i].id))
    }
    const posted = await service.postPurchase(
      {
        buyer_agent_id: plan.agent_id,
        currency_code: plan.currency_code,
        lines: plan.lines.map((l, i) => ({ quantity: l.quantity, unit_prices: l.unit_prices, label: `items[${i}] (${l.variant_id})` })),
        reference_type: "agent_order",
        reference_id: begun.id,
        actor: { type: "agent", id: plan.agent_id },
      },
      ctx
    )
    const committed = await service.commitOrder(
      {
        id: begun.id,
        currency_code: plan.currency_code,
        total: posted.total,
        items: summaryOf(plan, supplierOrderOf),
        agent_chain: plan.chain,
        transaction_id: posted.transaction_id,
        quota_consumed: consumed.length ? consumed : null,
      },
      ctx
    )
    return { agent_order_id: begun.id, created: true, held, order: committed }
  })
}

export const answerAgentOrderStepId = "answer-agent-order"

/**
 * A wholesale order, in one step: the Idempotency-Key looked up first (a used key with the same body is replayed as
 * it is — even if the prices changed since — and with another body refused, 422), then the reads (`prepareAgentOrder`),
 * then the ONE transaction (`commitAgentOrder`). Nothing to compensate: the transaction commits all or nothing, and an
 * answered order is final (refunds are the admin's). Ids, amounts and titles only — never a code.
 *
 * @example
 * const placed = answerAgentOrderStep({ key: { agent_id, idempotency_key: "po-0042", request_hash }, items, ip: null })
 */
export const answerAgentOrderStep = createStep(answerAgentOrderStepId, async (input: AnswerAgentOrderStepInput, { container }) => {
  const existing = await findAgentOrder(container, input.key)
  if (existing) return new StepResponse<AnswerAgentOrderStepOutput>({ agent_order_id: existing.id, replayed: true, held: false, order: null })
  const plan = await prepareAgentOrder(container, { agent_id: input.key.agent_id, items: input.items })
  const placed = await commitAgentOrder(container, { key: input.key, plan, ip: input.ip })
  return new StepResponse<AnswerAgentOrderStepOutput>({ agent_order_id: placed.agent_order_id, replayed: !placed.created, held: placed.held, order: placed.order })
})
