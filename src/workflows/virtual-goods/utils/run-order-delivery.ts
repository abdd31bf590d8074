import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { deliverOrderCodesWorkflow, DeliverOrderCodesWorkflowOutput } from "../workflows/deliver-order-codes"
import { holdOrderDeliveryWorkflow } from "../workflows/hold-order-delivery"
import { cardVaultModule } from "./card-vault-module"

/**
 * Runs delivery for an order and never loses it: when delivery fails (out of stock, a failing step), the order
 * is recorded as held with the reason, so admins see it and the sweep job retries it.
 */
export async function runOrderDelivery(
  container: MedusaContainer,
  orderId: string,
  options: { skip_if_delivered?: boolean } = {}
): Promise<DeliverOrderCodesWorkflowOutput | null> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  if (options.skip_if_delivered) {
    // Most such events come after the delivery finished: one read instead of a workflow run (the workflow checks
    // again under the order's lock for an event that overtakes a delivery still running).
    const vault = cardVaultModule(container)
    const [record] = await vault.listCardDeliveries({ order_id: orderId, status: "delivered" }, { select: ["id"], take: 1 })
    if (record) return { order_id: orderId, status: "delivered", code_ids: [], delivered_now: [], supplier_order_ids: [] }
  }
  try {
    const { result } = await deliverOrderCodesWorkflow(container).run({
      input: { order_id: orderId, skip_if_delivered: options.skip_if_delivered },
    })
    return result
  } catch (e: unknown) {
    const reason = String((e as Error | null)?.message ?? e)
    const { result } = await holdOrderDeliveryWorkflow(container).run({ input: { order_id: orderId, reason } })
    logger.warn(
      result.held
        ? `virtual-goods: delivery of order ${orderId} held: ${reason}`
        : `virtual-goods: a repeated delivery run of order ${orderId} failed (${reason}); the order stays as it was`
    )
    return null
  }
}
