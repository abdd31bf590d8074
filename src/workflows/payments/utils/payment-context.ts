import type { BigNumberInput, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** Where a provider's payment belongs in Medusa: its session, collection, cart, order and payment record. */
export type PaymentContext = {
  session_id: string
  provider_id: string
  session_status: string
  payment_collection_id: string
  cart_id: string | null
  order_id: string | null
  payment_id: string | null
  payment_captured: boolean
  /** In the currency's main unit, as Medusa stores it. */
  amount: BigNumberInput
  currency_code: string
  email: string | null
  locale: string | null
}

type SessionRow = {
  id: string
  provider_id: string
  status: string
  amount: BigNumberInput
  currency_code: string
  payment_collection_id: string
  payment?: { id: string; captured_at: Date | string | null } | null
}

/**
 * The Medusa records of a payment session (the provider's payment intent carries its id in `metadata.session_id`):
 * the cart through `cart_payment_collection`, the order through `order_cart`, and the payment if it was authorized.
 * Null when the session is unknown (an event from another integration on the same Stripe account).
 */
export async function paymentContextOfSession(container: MedusaContainer, sessionId: string): Promise<PaymentContext | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: sessions } = await query.graph({
    entity: "payment_session",
    fields: ["id", "provider_id", "status", "amount", "currency_code", "payment_collection_id", "payment.id", "payment.captured_at"],
    filters: { id: sessionId },
  })
  const session = (sessions as SessionRow[])[0]
  if (!session) return null
  const { data: cartLinks } = await query.graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: session.payment_collection_id },
  })
  const cartId = (cartLinks as { cart_id: string }[])[0]?.cart_id ?? null
  let orderId: string | null = null
  let email: string | null = null
  let locale: string | null = null
  if (cartId) {
    const [{ data: orderLinks }, { data: carts }] = await Promise.all([
      query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } }),
      query.graph({ entity: "cart", fields: ["id", "email", "locale"], filters: { id: cartId } }),
    ])
    orderId = (orderLinks as { order_id: string }[])[0]?.order_id ?? null
    const cart = (carts as { email: string | null; locale?: string | null }[])[0]
    email = cart?.email ?? null
    locale = cart?.locale ?? null
  } else {
    const { data: orderLinks } = await query.graph({
      entity: "order_payment_collection",
      fields: ["order_id"],
      filters: { payment_collection_id: session.payment_collection_id },
    })
    orderId = (orderLinks as { order_id: string }[])[0]?.order_id ?? null
  }
  return {
    session_id: session.id,
    provider_id: session.provider_id,
    session_status: session.status,
    payment_collection_id: session.payment_collection_id,
    cart_id: cartId,
    order_id: orderId,
    payment_id: session.payment?.id ?? null,
    payment_captured: !!session.payment?.captured_at,
    amount: session.amount,
    currency_code: session.currency_code,
    email,
    locale,
  }
}
