import type { BigNumberInput, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import { returnOrderCodesWorkflow } from "../workflows/return-order-codes"
import { cardVaultModule } from "./card-vault-module"

type OrderPaymentsRow = {
  id: string
  payment_collections?: { captured_amount: BigNumberInput | null; refunded_amount: BigNumberInput | null }[] | null
}

/** How far back the sweep looks for refunds whose `payment.refunded` event may have been lost. */
export const REFUND_LOOKBACK_MS = 24 * 3600_000

/**
 * A full refund takes the order's codes back (unrevealed ones to stock, revealed ones voided); a partial refund leaves
 * them with the order (the merchant voids single codes explicitly). Answers whether the codes were taken back.
 */
export async function returnCodesIfFullyRefunded(container: MedusaContainer, orderId: string): Promise<boolean> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: orders } = await query.graph({
    entity: "order",
    fields: ["id", "payment_collections.captured_amount", "payment_collections.refunded_amount"],
    filters: { id: orderId },
  })
  const collections = (orders as OrderPaymentsRow[])[0]?.payment_collections ?? []
  const captured = MathBN.sum(0, ...collections.map((c) => c.captured_amount ?? 0))
  const refunded = MathBN.sum(0, ...collections.map((c) => c.refunded_amount ?? 0))
  if (MathBN.lte(refunded, 0) || MathBN.lt(refunded, captured)) return false
  await returnOrderCodesWorkflow(container).run({ input: { order_id: orderId, reason: "order refunded" } })
  return true
}

/**
 * The reconciler of refunds: orders refunded in the last `REFUND_LOOKBACK_MS` whose codes are still delivered get them
 * taken back, as the `payment.refunded` subscriber would have — for when that event was lost (a process died between
 * the refund and the event's release, see docs/operations.md#scale-out). Answers the orders whose codes came back.
 */
export async function returnCodesOfRefundedOrders(container: MedusaContainer, now = Date.now()): Promise<string[]> {
  const refunds = await container
    .resolve(Modules.PAYMENT)
    .listRefunds({ created_at: { $gte: new Date(now - REFUND_LOOKBACK_MS).toISOString() } }, { select: ["id", "payment.id"], relations: ["payment"], take: 10_000 })
  const paymentIds = [...new Set(refunds.map((r) => r.payment?.id).filter((id): id is string => !!id))]
  if (!paymentIds.length) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: payments } = await query.graph({ entity: "payment", fields: ["id", "payment_collection_id"], filters: { id: paymentIds } })
  const collectionIds = [...new Set((payments as { payment_collection_id: string | null }[]).map((p) => p.payment_collection_id).filter((id): id is string => !!id))]
  if (!collectionIds.length) return []
  const { data: links } = await query.graph({ entity: "order_payment_collection", fields: ["order_id"], filters: { payment_collection_id: collectionIds } })
  const orderIds = [...new Set((links as { order_id: string }[]).map((l) => l.order_id))]
  if (!orderIds.length) return []
  const stillOut = await cardVaultModule(container).listCardDeliveries({ order_id: orderIds, status: "delivered" }, { select: ["order_id"], take: orderIds.length })
  const returned: string[] = []
  for (const { order_id } of stillOut) {
    if (await returnCodesIfFullyRefunded(container, order_id)) returned.push(order_id)
  }
  return returned
}
