import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import { authorizeCutOffPaymentWorkflow } from "../workflows/authorize-cut-off-payment"
import { errorMessage } from "../../../utils/errors"

type OrderPaymentRow = {
  id: string
  status: string
  payment_collections?: { id: string; payments?: { id: string }[] | null; payment_sessions?: { id: string; status: string }[] | null }[] | null
}

export type CutOffCheckoutOutcome = "authorized" | "canceled" | "waiting" | "not_cut_off"

/**
 * An order whose cart completion was cut off (the process died) after Medusa created the order and before it
 * authorized the payment: the order exists, its payment collection has a pending session and no payment, and its codes
 * stay reserved. Finishes what the completion would have done — authorizes the session (then the order is delivered
 * like any other) — or, when that fails and the reservation is older than the TTL (`expired`), cancels the order,
 * which gives the codes back. An order with a payment (authorized and waiting for a manual capture) is not touched.
 */
export async function finishCutOffCheckout(container: MedusaContainer, orderId: string, expired: boolean): Promise<CutOffCheckoutOutcome> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "status", "payment_collections.id", "payment_collections.payments.id", "payment_collections.payment_sessions.id", "payment_collections.payment_sessions.status"],
    filters: { id: orderId },
  })
  const order = (data as OrderPaymentRow[])[0]
  const collections = order?.payment_collections ?? []
  if (!order || order.status === "canceled" || collections.some((c) => (c.payments ?? []).length)) return "not_cut_off"
  const session = collections.flatMap((c) => c.payment_sessions ?? []).find((s) => s.status === "pending")
  if (!session) return "not_cut_off"
  try {
    await authorizeCutOffPaymentWorkflow(container).run({ input: { payment_session_id: session.id } })
    return "authorized"
  } catch (e: unknown) {
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    if (!expired) {
      logger.warn(`virtual-goods: the cut-off checkout of order ${orderId} could not be authorized yet: ${errorMessage(e)}`)
      return "waiting"
    }
    await cancelOrderWorkflow(container).run({ input: { order_id: orderId } })
    logger.warn(`virtual-goods: order ${orderId} canceled: its checkout was cut off and its payment could not be authorized (${errorMessage(e)})`)
    return "canceled"
  }
}
