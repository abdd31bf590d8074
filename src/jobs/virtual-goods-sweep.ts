import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { runOrderDelivery } from "../workflows/virtual-goods/utils/run-order-delivery"
import { sweepCardReservationsWorkflow } from "../workflows/virtual-goods/workflows/sweep-card-reservations"
import { AGENTS_MODULE } from "../modules/agents"
import type AgentsModuleService from "../modules/agents/service"
import { wholesaleReservationKey } from "../workflows/agents/utils/reservation-key"
import { cardVaultModule } from "../workflows/virtual-goods/utils/card-vault-module"
import { paymentReconciliationModule } from "../workflows/payments/utils/payment-reconciliation-module"
import { labelPickableCodesWorkflow } from "../workflows/picks/workflows/label-pickable-codes"
import { returnCodesOfRefundedOrders } from "../workflows/virtual-goods/utils/return-refunded-orders"
import { CutOffCheckoutOutcome, finishCutOffCheckout } from "../workflows/virtual-goods/utils/finish-cut-off-checkout"
import { runOncePerTick } from "../utils/once-per-tick"

type OrderCartRow = { cart_id: string; order_id: string }

/**
 * Every minute: finishes deliveries that subscribers missed (a cart whose reservation is over a minute old and that
 * became an order; one whose checkout was cut off before its payment was authorized is authorized now, or canceled
 * once its reservation outlived the TTL), retries held deliveries, takes back the codes of fully refunded orders whose refund event was lost,
 * releases reservations of carts that never became orders (unless held for an asynchronous payment), re-mirrors
 * stock into inventory, and closes imports whose process died (nothing of them was stored) so they can be re-run.
 * Buyer's choice: labels codes that came into pools offering picking since (imports, returns to stock), at most
 * `PICK_LABELS_PER_RUN` a minute, and clears the labels of pools that stopped offering it.
 */
export default async function virtualGoodsSweep(container: MedusaContainer) {
  await runOncePerTick(container, config, () => sweepVirtualGoods(container))
}

export async function sweepVirtualGoods(container: MedusaContainer) {
  const vault = cardVaultModule(container)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const staleCarts = await vault.listStaleReservations(vault.getOptions().reservation_ttl_seconds)
  // Carts that became orders are delivered a minute after their reservation (their events were lost), not after the TTL.
  const waiting = [...new Set([...(await vault.listStaleReservations(ORDER_CHECK_AFTER_SECONDS)), ...staleCarts])]
  const { data: links } = waiting.length
    ? await query.graph({ entity: "order_cart", fields: ["cart_id", "order_id"], filters: { cart_id: waiting } })
    : { data: [] }
  const orderOfCart = new Map((links as OrderCartRow[]).map((l) => [l.cart_id, l.order_id]))
  // A wholesale order held for review keeps its codes reserved under its own key until an admin decides.
  const wholesale = staleCarts.filter((c) => !orderOfCart.has(c) && c.startsWith(wholesaleReservationKey("")))
  const answered = wholesale.length
    ? new Set(
        (
          await (container.resolve(AGENTS_MODULE) as AgentsModuleService).listAgentOrders(
            { id: wholesale.map((k) => k.slice(wholesaleReservationKey("").length)), status: "completed" },
            { select: ["id"] }
          )
        ).map((o) => wholesaleReservationKey(o.id))
      )
    : new Set<string>()
  // A cart whose shopper is paying asynchronously keeps its codes until its hold expires (reconciliation decides then).
  const unanswered = staleCarts.filter((c) => !orderOfCart.has(c) && !answered.has(c))
  const held = new Set(await paymentReconciliationModule(container).heldCartIds(unanswered))
  const orphanCarts = unanswered.filter((c) => !held.has(c))
  const orders = new Set<string>([...orderOfCart.values(), ...(await vault.listHeldDeliveries(60))])
  const fromCarts = new Set(orderOfCart.values())
  const expiredOrders = new Set(staleCarts.map((c) => orderOfCart.get(c)).filter((o): o is string => !!o))
  const cutOff: Record<string, CutOffCheckoutOutcome> = {}
  for (const orderId of orders) {
    const delivery = await runOrderDelivery(container, orderId)
    // Awaiting a payment that was never authorized: a checkout cut off between the order and its payment.
    if (delivery?.status === "awaiting_payment" && fromCarts.has(orderId)) {
      const outcome = await finishCutOffCheckout(container, orderId, expiredOrders.has(orderId))
      if (outcome !== "not_cut_off") cutOff[orderId] = outcome
      if (outcome === "authorized") await runOrderDelivery(container, orderId)
    }
  }
  await sweepCardReservationsWorkflow(container).run({ input: { cart_ids: orphanCarts } })
  const refunded = await returnCodesOfRefundedOrders(container)
  const failedImports = await vault.failAbandonedImports()
  const { result: labels } = await labelPickableCodesWorkflow(container).run({ input: { limit: PICK_LABELS_PER_RUN } })
  return { delivered_orders: [...orders], released_carts: orphanCarts, returned_orders: refunded, cut_off_checkouts: cutOff, failed_imports: failedImports, pick_labels: labels }
}

/** How old a reservation is before the sweep asks whether its cart became an order (and delivers it if so). */
const ORDER_CHECK_AFTER_SECONDS = 60

/** Codes the minute sweep labels for buyer's choice at most (a pool's update labels its first 5000 at once). */
const PICK_LABELS_PER_RUN = 2000

export const config = {
  name: "virtual-goods-sweep",
  schedule: "* * * * *",
}
