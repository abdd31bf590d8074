import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError, Modules } from "@medusajs/framework/utils"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { refundUnfulfillablePaymentWorkflow } from "../workflows/refund-unfulfillable-payment"
import { releaseUnpaidCartWorkflow } from "../workflows/release-unpaid-cart"
import { paymentContextOfSession, type PaymentContext } from "./payment-context"
import { processPaymentEvent } from "./process-payment-event"
import { paymentReconciliationModule } from "./payment-reconciliation-module"

export type ReconcilePaymentsResult = {
  /** Payments and holds looked at. */
  checked: number
  /** Orders placed by reconciliation (payments that had none). */
  completed: number
  /** Payments refunded because their order could not be placed. */
  refunded: number
  /** Holds released (the payment failed, was canceled or ran out of time). */
  released: number
  /** Inbox events processed (their announcement was lost, or they failed before). */
  events: number
  findings: number
}

type PaymentRow = {
  id: string
  captured_at: Date | string | null
  canceled_at: Date | string | null
  captures?: { amount: number | string }[] | null
  refunds?: { amount: number | string }[] | null
}

type CompletionOutcome = { order_id: string } | { error: string; permanent: boolean }

/**
 * Errors that say the cart can never become this order (out of stock, refused by risk control or a host's check, an
 * invalid cart): only these lead to a refund. Anything else — a lock held by a process that died, a timeout, the
 * database or Stripe unreachable — is tried again on the next run.
 */
const PERMANENT_COMPLETION_ERRORS: readonly string[] = [MedusaError.Types.NOT_ALLOWED, MedusaError.Types.INVALID_DATA]

/** Runs Medusa's cart completion (which reads the payment back from its provider); the order, or why not. */
async function completeCart(container: MedusaContainer, cartId: string): Promise<CompletionOutcome> {
  try {
    const { result } = await completeCartWorkflow(container).run({ input: { id: cartId } })
    return { order_id: result.id }
  } catch (e: unknown) {
    const type = typeof e === "object" && e !== null && "type" in e ? String((e as { type: unknown }).type) : ""
    return { error: String((e as Error | null)?.message ?? e), permanent: PERMANENT_COMPLETION_ERRORS.includes(type) }
  }
}

/** How long a succeeded payment may stay without an order, on errors that may pass, before an admin is asked to look. */
const STUCK_AFTER_MS = 60 * 60 * 1000

async function paymentOf(container: MedusaContainer, ctx: PaymentContext): Promise<PaymentRow | null> {
  if (!ctx.payment_id) return null
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "payment",
    fields: ["id", "captured_at", "canceled_at", "captures.amount", "refunds.amount"],
    filters: { id: ctx.payment_id },
  })
  return (data as PaymentRow[])[0] ?? null
}

/**
 * A payment that succeeded at the provider but whose cart has no order: completes the cart (once — Medusa's
 * completion is idempotent per cart); if it cannot become an order, refunds in full (unless Medusa's completion
 * already did) and tells the shopper and the admins.
 */
async function settleSucceededPayment(
  container: MedusaContainer,
  ctx: PaymentContext,
  paymentIntentId: string | null,
  result: ReconcilePaymentsResult,
  since?: Date
): Promise<"order" | "refunded" | "pending"> {
  if (!ctx.cart_id) return "pending"
  if (ctx.order_id) return "order"
  const module = paymentReconciliationModule(container)
  const refund = async (after: PaymentContext, payment: PaymentRow, reason: string) => {
    const captured = MathBN.sum(0, ...(payment.captures ?? []).map((c) => c.amount))
    const refunded = MathBN.sum(0, ...(payment.refunds ?? []).map((r) => r.amount))
    await refundUnfulfillablePaymentWorkflow(container).run({
      input: {
        cart_id: after.cart_id as string,
        payment_id: payment.id,
        payment_collection_id: after.payment_collection_id,
        provider_id: after.provider_id,
        payment_intent_id: paymentIntentId,
        amount: captured.toString(),
        currency_code: after.currency_code,
        reason,
        email: after.email,
        locale: after.locale,
        already_refunded: MathBN.gte(refunded, captured),
      },
    })
    result.refunded++
    result.findings++
    return "refunded" as const
  }
  // Medusa's own completion refunds a captured payment when it fails (out of stock at the webhook's completion): the
  // shopper is told, nothing is completed or refunded again.
  const before = await paymentOf(container, ctx)
  if (before?.captured_at) {
    const captured = MathBN.sum(0, ...(before.captures ?? []).map((c) => c.amount))
    const refunded = MathBN.sum(0, ...(before.refunds ?? []).map((r) => r.amount))
    if (MathBN.gt(captured, 0) && MathBN.gte(refunded, captured)) return refund(ctx, before, "the order could not be placed")
  }
  const outcome = await completeCart(container, ctx.cart_id)
  const after = await paymentContextOfSession(container, ctx.session_id)
  if ("order_id" in outcome || after?.order_id) {
    result.completed++
    await module.recordFinding({
      kind: "captured_without_order",
      status: "resolved",
      provider_id: ctx.provider_id,
      payment_intent_id: paymentIntentId,
      cart_id: ctx.cart_id,
      order_id: after?.order_id ?? ("order_id" in outcome ? outcome.order_id : null),
      amount: ctx.amount,
      currency_code: ctx.currency_code,
      detail: "A succeeded payment had no order after the reconciliation window",
      resolution: "order placed by reconciliation",
    })
    result.findings++
    await module.closeHold({ cart_id: ctx.cart_id, status: "completed", reason: "order placed by reconciliation" })
    return "order"
  }
  if (!after) return "pending"
  if (!outcome.permanent) {
    // Maybe a lock of a process that died, a timeout: next run. An admin hears of it when it lasts.
    if (since && Date.now() - since.getTime() > STUCK_AFTER_MS) {
      await module.recordFinding({
        kind: "stuck_pending",
        provider_id: ctx.provider_id,
        payment_intent_id: paymentIntentId,
        cart_id: ctx.cart_id,
        payment_id: after.payment_id,
        amount: ctx.amount,
        currency_code: ctx.currency_code,
        detail: `A succeeded payment has had no order for over an hour; completing its cart keeps failing: ${outcome.error.slice(0, 500)}`,
      })
      result.findings++
    }
    return "pending"
  }
  // The cart can never become the order. A completion refused before Medusa authorized the payment (the storefront's
  // own completion, stopped by the stock or the risk rules) leaves the money at Stripe with no record in Medusa:
  // record it from Stripe's state first, so it can be refunded or released through Medusa.
  let settled = after
  if (!settled.payment_id) {
    try {
      await container.resolve(Modules.PAYMENT).authorizePaymentSession(settled.session_id, {})
    } catch {
      // Not authorized at Stripe after all (still pending, or failed): nothing was taken.
      return "pending"
    }
    settled = (await paymentContextOfSession(container, settled.session_id)) ?? settled
  }
  const payment = await paymentOf(container, settled)
  if (!payment) return "pending"
  if (payment.captured_at) return refund(settled, payment, outcome.error)
  if (payment.canceled_at) return "refunded"
  // Authorized only (a card under manual capture): the hold on the shopper's card is released, nothing was taken.
  await container.resolve(Modules.PAYMENT).cancelPayment(payment.id)
  await releaseUnpaidCartWorkflow(container).run({
    input: {
      cart_id: settled.cart_id as string,
      reason: "refused",
      message: outcome.error.slice(0, 200),
      provider_id: settled.provider_id,
      payment_intent_id: paymentIntentId,
      email: settled.email,
      locale: settled.locale,
    },
  })
  result.released++
  result.findings++
  return "refunded"
}

type SessionDataRow = { id: string; data?: Record<string, unknown> | null }

/**
 * The reconciliation run (the `virtual-goods-payment-reconciliation` job every minute, and the admin's "Reconcile
 * now"): nothing depends on a single event arriving.
 * 1. Inbox events whose processing was lost or failed are processed.
 * 2. Succeeded payments older than `reconcile_after_seconds` whose cart has no order are completed or refunded.
 * 3. Carts held for an asynchronous payment are read back from the provider: paid → completed (or refunded);
 *    failed or canceled → released, shopper told; still pending after the hold → the payment is canceled at the
 *    provider and the codes released.
 */
export async function reconcilePayments(container: MedusaContainer): Promise<ReconcilePaymentsResult> {
  const module = paymentReconciliationModule(container)
  const options = module.getOptions()
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const result: ReconcilePaymentsResult = { checked: 0, completed: 0, refunded: 0, released: 0, events: 0, findings: 0 }

  for (const id of await module.listEventsToProcess({ older_than_seconds: 30, max_attempts: 5, limit: 200 })) {
    await processPaymentEvent(container, id)
    result.events++
  }

  for (const payment of await module.listUnsettledPayments({ older_than_seconds: options.reconcile_after_seconds, limit: 100 })) {
    result.checked++
    try {
      const ctx = await paymentContextOfSession(container, payment.session_id)
      if (!ctx?.cart_id) {
        await module.settlePayment(payment.payment_intent_id)
        continue
      }
      const settled = await settleSucceededPayment(container, ctx, payment.payment_intent_id, result, payment.received_at)
      if (settled !== "pending") await module.settlePayment(payment.payment_intent_id)
    } catch (e: unknown) {
      logger.warn(`virtual-goods: reconciling payment ${payment.payment_intent_id} failed: ${String((e as Error | null)?.message ?? e)}`)
    }
  }

  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  for (const hold of await module.listActiveHolds({ limit: 200 })) {
    result.checked++
    // A hold placed moments ago belongs to a shopper still confirming: it is read back from the next run on.
    const fresh = Date.now() - hold.held_at.getTime() < 30_000
    try {
      if (!hold.payment_session_id) {
        if (hold.expires_at <= new Date()) {
          await module.closeHold({ cart_id: hold.cart_id, status: "released", reason: "hold expired without a payment" })
          result.released++
        }
        continue
      }
      const ctx = await paymentContextOfSession(container, hold.payment_session_id)
      if (!ctx?.cart_id) continue
      if (ctx.order_id) {
        await module.closeHold({ cart_id: hold.cart_id, status: "completed", reason: "order placed" })
        continue
      }
      if (fresh) continue
      const { data: sessions } = await query.graph({ entity: "payment_session", fields: ["id", "data"], filters: { id: hold.payment_session_id } })
      const intentId = (sessions as SessionDataRow[])[0]?.data?.id
      const paymentIntentId = typeof intentId === "string" ? intentId : null
      const status = paymentIntentId && module.readsBack() ? (await module.retrievePaymentIntent(paymentIntentId)) : null
      if (status && (status.status === "succeeded" || status.status === "requires_capture")) {
        const settled = await settleSucceededPayment(container, ctx, paymentIntentId, result, hold.held_at)
        if (settled !== "pending" && paymentIntentId) await module.settlePayment(paymentIntentId)
        continue
      }
      const failed = status && (status.status === "canceled" || (status.status === "requires_payment_method" && !!status.failure_message))
      const expired = hold.expires_at <= new Date()
      if (!failed && !expired) continue
      if (!failed && expired) {
        // Out of time: cancel at the provider first, so the payment cannot succeed after its codes are gone. If it
        // succeeded meanwhile, the cancellation fails and the next run completes it.
        try {
          await container.resolve(Modules.PAYMENT).deletePaymentSession(hold.payment_session_id)
        } catch (e: unknown) {
          logger.warn(`virtual-goods: canceling the expired payment of cart ${hold.cart_id} failed: ${String((e as Error | null)?.message ?? e)}`)
          continue
        }
      }
      await releaseUnpaidCartWorkflow(container).run({
        input: {
          cart_id: hold.cart_id,
          reason: failed ? (status?.status === "canceled" ? "canceled" : "failed") : "expired",
          message: status?.failure_message ?? null,
          provider_id: ctx.provider_id,
          payment_intent_id: paymentIntentId,
          email: ctx.email,
          locale: ctx.locale,
        },
      })
      result.released++
      result.findings++
    } catch (e: unknown) {
      logger.warn(`virtual-goods: reconciling the hold of cart ${hold.cart_id} failed: ${String((e as Error | null)?.message ?? e)}`)
    }
  }
  return result
}
