import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { SupplierEvents } from "../../../utils/events"
import { createTopUpOrdersWorkflow } from "../workflows/create-top-up-orders"
import { querySupplierOrderWorkflow } from "../workflows/query-supplier-order"
import { refundSupplierOrderWorkflow } from "../workflows/refund-supplier-order"
import { submitSupplierOrderWorkflow } from "../workflows/submit-supplier-order"
import { orderPaymentFacts, OrderPaymentFacts } from "./order-payment"
import { riskModule } from "../../risk/utils/risk-module"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"
import { runOrderDelivery } from "../../virtual-goods/utils/run-order-delivery"
import { suppliersModule } from "./suppliers-module"

/**
 * A placed order's top-ups: their supplier orders created once, then each submitted if the order is paid. An order not
 * yet captured keeps them pending; the capture's event (or the tick) submits them. A store that sells no top-up pays
 * one indexed read per order.
 */
export async function runTopUpsOfOrder(container: MedusaContainer, orderId: string): Promise<string[]> {
  const [anyTopUp] = await suppliersModule(container).listSupplierProducts({ kind: "topup" }, { select: ["id"], take: 1 })
  if (!anyTopUp) return []
  const { result } = await createTopUpOrdersWorkflow(container).run({ input: { order_id: orderId } })
  if (!result.ids.length) return []
  const facts = await orderPaymentFacts(container, orderId)
  if (!facts?.paid) return result.ids
  for (const id of result.ids) await advanceSupplierOrder(container, id, facts)
  return result.ids
}

/**
 * A captured payment's order: its pending top-ups (created when the order was placed) submitted. Those created after
 * this read are submitted by the placement's own run, which sees the capture, or by the tick.
 */
export async function submitTopUpsOfPaidOrder(container: MedusaContainer, orderId: string): Promise<void> {
  const pending = await suppliersModule(container).listSupplierOrders({ order_id: orderId, status: "pending" }, { select: ["id"] })
  if (!pending.length) return
  const facts = await orderPaymentFacts(container, orderId)
  if (!facts?.paid) return
  for (const { id } of pending) await advanceSupplierOrder(container, id, facts)
}

/**
 * An answered wholesale order's top-ups (created pending in its transaction): each submitted now, unless the order is
 * held for a risk review. Those this misses (an event lost, a process gone) are submitted by the tick.
 */
export async function submitTopUpsOfAgentOrder(container: MedusaContainer, agentOrderId: string): Promise<string[]> {
  const pending = await suppliersModule(container).listSupplierOrders({ agent_order_id: agentOrderId, status: "pending" }, { select: ["id"] })
  for (const { id } of pending) await advanceSupplierOrder(container, id)
  return pending.map((p) => p.id)
}

/**
 * Moves one supplier order as far as it can go now: submits a pending one (only once its Medusa order is paid), asks
 * the supplier about a submitted or accepted one (submitting it again, same number, when the supplier has none), and
 * refunds a failed top-up's line. Never throws for a supplier's failure; each step is idempotent, so a crash anywhere
 * is finished by the next run.
 */
export async function advanceSupplierOrder(container: MedusaContainer, id: string, known?: OrderPaymentFacts | null): Promise<string> {
  const suppliers = suppliersModule(container)
  let row = await suppliers.retrieveSupplierOrderRow(id)
  let facts = known ?? null
  const factsOf = async () => (facts ??= row.order_id ? await orderPaymentFacts(container, row.order_id) : null)
  if (row.status === "pending") {
    if (row.kind === "topup" && row.order_id && !(await factsOf())?.paid) return row.status
    if (row.kind === "topup" && row.agent_order_id && !row.order_id) {
      // An agent's wholesale top-up is paid from its ledger when answered; one the risk rules hold waits for the review.
      const review = await agentOrderReview(container, row.agent_order_id)
      if (review === "pending") return row.status
      if (review === "rejected") {
        await suppliers.applyTransition({ id, transition: "fail", answer: { reason: "the order was rejected after a risk review" }, event: { kind: "admin", outcome: "failed", reason: "the order was rejected after a risk review" } })
        row = await suppliers.retrieveSupplierOrderRow(id)
      }
    }
    if (row.status === "pending") await submitSupplierOrderWorkflow(container).run({ input: { supplier_order_id: id } })
  } else if (row.status === "submitting" || row.status === "accepted") {
    const { result } = await querySupplierOrderWorkflow(container).run({ input: { supplier_order_id: id } })
    if (result.resubmit) await submitSupplierOrderWorkflow(container).run({ input: { supplier_order_id: id } })
  }
  row = await suppliers.retrieveSupplierOrderRow(id)
  if (row.status === "failed" && row.refund_status !== "refunded" && (row.order_id || (row.kind === "topup" && row.agent_order_id))) {
    await refundFailedOrder(container, id, await factsOf(), row.refund_status === "refunding")
    row = await suppliers.retrieveSupplierOrderRow(id)
  }
  return row.status
}

/** Where a wholesale order stands with the risk rules: not held ("none"), held for a review ("pending"), or rejected. */
async function agentOrderReview(container: MedusaContainer, agentOrderId: string): Promise<"none" | "pending" | "rejected"> {
  const decisions = await riskModule(container).listRiskDecisions(
    { subject_type: "agent_order", subject_id: agentOrderId, action: "review" },
    { select: ["id", "review_status"] }
  )
  if (decisions.some((d) => d.review_status === "rejected")) return "rejected"
  return decisions.some((d) => d.review_status !== "approved") ? "pending" : "none"
}

async function refundFailedOrder(container: MedusaContainer, id: string, facts: OrderPaymentFacts | null, retake: boolean): Promise<void> {
  const suppliers = suppliersModule(container)
  const row = await suppliers.retrieveSupplierOrderRow(id)
  const product = await suppliers.retrieveSupplierProduct(row.supplier_product_id, { select: ["name"] })
  await refundSupplierOrderWorkflow(container).run({
    input: { supplier_order_id: id, retake, email: facts?.email ?? null, display_id: facts?.display_id ?? null, product: product.name },
  })
}

export type SupplierTickResult = { recovered: number; submitted: number; queried: number; given_up: number; refunded: number; errors: number }

/**
 * Orders placed in the last `window_seconds` (older than `grace_seconds`) with a top-up line but no supplier order:
 * their `order.placed` was lost (a process killed before it ran, an event dropped). Answers their ids.
 */
async function ordersMissingTopUps(container: MedusaContainer, windowSeconds: number, graceSeconds: number): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: products } = await query.graph({ entity: "supplier_product", fields: ["id", "product_variant.id"], filters: { kind: "topup" } })
  const variantIds = (products as { product_variant?: { id: string } | null }[]).flatMap((p) => (p.product_variant?.id ? [p.product_variant.id] : []))
  if (!variantIds.length) return []
  const now = Date.now()
  const { data: orders } = await query.graph({
    entity: "order",
    fields: ["id", "items.variant_id"],
    filters: { created_at: { $gte: new Date(now - windowSeconds * 1000), $lte: new Date(now - graceSeconds * 1000) }, items: { variant_id: variantIds } },
  })
  const withTopUps = (orders as { id: string; items?: { variant_id: string | null }[] | null }[])
    .filter((o) => (o.items ?? []).some((i) => !!i.variant_id && variantIds.includes(i.variant_id)))
    .map((o) => o.id)
  if (!withTopUps.length) return []
  const known = new Set((await suppliersModule(container).listSupplierOrders({ order_id: withTopUps }, { select: ["order_id"] })).map((o) => o.order_id))
  return withTopUps.filter((id) => !known.has(id))
}

/**
 * Orders placed in the last `window_seconds` (older than `grace_seconds`) with a line of a pass-through pool that holds
 * fewer codes than it sold and has no pass-through purchase: their delivery stopped between handing over the codes in
 * stock and creating the purchase (a process killed). A store without pass-through pools pays one indexed read.
 */
async function ordersMissingPurchases(container: MedusaContainer, windowSeconds: number, graceSeconds: number): Promise<string[]> {
  const [any] = await suppliersModule(container).listSupplierProducts({ kind: "codes", pass_through: true, status: "active" }, { select: ["id"], take: 1 })
  if (!any) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: products } = await query.graph({
    entity: "supplier_product",
    fields: ["id", "card_pool.product_variant.id"],
    filters: { kind: "codes", pass_through: true, status: "active" },
  })
  const variantIds = (products as { card_pool?: { product_variant?: { id: string } | null } | null }[]).flatMap((p) =>
    p.card_pool?.product_variant?.id ? [p.card_pool.product_variant.id] : []
  )
  if (!variantIds.length) return []
  const now = Date.now()
  const { data: orders } = await query.graph({
    entity: "order",
    // The order item's quantity is read with items.* (a field of its detail row, not listed by name).
    fields: ["id", "items.*"],
    filters: { created_at: { $gte: new Date(now - windowSeconds * 1000), $lte: new Date(now - graceSeconds * 1000) }, items: { variant_id: variantIds } },
  })
  const lines = (orders as { id: string; items?: { id: string; variant_id: string | null; quantity: unknown }[] | null }[]).flatMap((o) =>
    (o.items ?? []).filter((i) => !!i.variant_id && variantIds.includes(i.variant_id)).map((i) => ({ order_id: o.id, line_item_id: i.id, quantity: Number(i.quantity) }))
  )
  if (!lines.length) return []
  const codes = await cardVaultModule(container).listCardCodes(
    { line_item_id: lines.map((l) => l.line_item_id), status: ["delivered", "revealed"] },
    { select: ["line_item_id"] }
  )
  const held = new Map<string, number>()
  for (const c of codes) if (c.line_item_id) held.set(c.line_item_id, (held.get(c.line_item_id) ?? 0) + 1)
  const short = lines.filter((l) => (held.get(l.line_item_id) ?? 0) < l.quantity)
  if (!short.length) return []
  const bought = new Set(
    (await suppliersModule(container).listSupplierOrders({ kind: "pass_through", line_item_id: short.map((l) => l.line_item_id) }, { select: ["line_item_id"] })).map((o) => o.line_item_id)
  )
  return [...new Set(short.filter((l) => !bought.has(l.line_item_id)).map((l) => l.order_id))]
}

/**
 * The reconciler the job runs: paid orders of the last hour whose top-up lines have no supplier order (their event was
 * lost), or whose pass-through lines lack codes and a purchase (their delivery runs again), pending orders whose submission never started (an event lost, a process gone),
 * submitted or accepted orders due for a query, orders past the window (→ `unknown`, an admin's finding) and refunds
 * that did not finish. The database is the truth; events only make it faster.
 */
export async function runSupplierOrdersTick(
  container: MedusaContainer,
  options: { pending_after_seconds?: number; recover_window_seconds?: number; limit?: number } = {}
): Promise<SupplierTickResult> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const suppliers = suppliersModule(container)
  const limit = options.limit ?? 200
  const out: SupplierTickResult = { recovered: 0, submitted: 0, queried: 0, given_up: 0, refunded: 0, errors: 0 }
  const safely = async (id: string, what: keyof SupplierTickResult) => {
    try {
      await advanceSupplierOrder(container, id)
      out[what]++
    } catch (e) {
      out.errors++
      logger.warn(`virtual-goods: supplier order ${id} could not be advanced: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  for (const orderId of await ordersMissingTopUps(container, options.recover_window_seconds ?? 3600, options.pending_after_seconds ?? 30)) {
    try {
      await runTopUpsOfOrder(container, orderId)
      out.recovered++
    } catch (e) {
      out.errors++
      logger.warn(`virtual-goods: the top-ups of order ${orderId} could not be created: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  for (const orderId of await ordersMissingPurchases(container, options.recover_window_seconds ?? 3600, options.pending_after_seconds ?? 30)) {
    // An unpaid order answers "awaiting payment" and changes nothing; a paid one gets its purchases (and their event).
    const result = await runOrderDelivery(container, orderId)
    if (result?.supplier_order_ids.length) out.recovered++
  }
  for (const row of await suppliers.listStalePending(options.pending_after_seconds ?? 30, limit)) await safely(row.id, "submitted")
  for (const row of await suppliers.listDueForQuery(limit)) await safely(row.id, "queried")
  for (const row of await suppliers.listPastWindow(limit)) {
    const applied = await suppliers.applyTransition({
      id: row.id,
      transition: "give_up",
      event: { kind: "query", outcome: "unknown", reason: "no final answer within the window: for an admin to decide" },
    })
    if (!applied.changed) continue
    out.given_up++
    const finding = await suppliers.recordSupplierFinding({
      key: `unknown_outcome:${row.id}`,
      supplier_id: row.supplier_id,
      supplier_order_id: row.id,
      kind: "unknown_outcome",
      detail: `No final answer from the supplier for order ${row.id} after ${row.attempts} submission(s); retry, refund or mark it succeeded.`,
    })
    await container.resolve(Modules.EVENT_BUS).emit({ name: SupplierEvents.FINDING_RECORDED, data: { id: finding.id, kind: "unknown_outcome", supplier_id: row.supplier_id } })
  }
  for (const row of await suppliers.listRefundsDue(60, limit)) await safely(row.id, "refunded")
  return out
}
