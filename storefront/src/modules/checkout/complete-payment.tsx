"use client"

import Link from "next/link"
import { useRouter } from "next/navigation"
import { useCallback, useEffect, useRef, useState, useTransition } from "react"
import { completeStripeCheckout } from "@lib/data/cart"
import { confirmationPath, RECHECK_DELAYS_MS, type ReturnView } from "./payment-outcome"
import type { OutcomeLabels } from "./payment-labels"

/**
 * Completes a cart once Stripe has confirmed its payment (in the checkout after an in-page confirmation, or on the
 * return page after a redirect) and shows what happened: an order goes to its confirmation; a payment still being processed says so — the codes are emailed once it is confirmed — and asks again
 * a few times; a failed payment leads back to the checkout.
 */
export default function CompletePayment({ countryCode, cartId, stripeStatus, labels }: { countryCode: string; cartId: string; stripeStatus: string | null; labels: OutcomeLabels }) {
  const [view, setView] = useState<ReturnView | null>(null)
  const [pending, startTransition] = useTransition()
  const started = useRef(false)
  const rechecks = useRef(0)
  const router = useRouter()

  const check = useCallback(() => {
    startTransition(async () => {
      let next: ReturnView
      try {
        next = await completeStripeCheckout(cartId, stripeStatus)
      } catch {
        // The storefront's server could not be reached: the payment may well be fine.
        next = { view: "processing" }
      }
      setView(next)
      if (next.view === "confirmed") router.replace(confirmationPath(countryCode, next.orderId))
    })
  }, [countryCode, cartId, stripeStatus, router])

  // Once per mount (Strict Mode runs effects twice in development: the cart is completed by one request).
  useEffect(() => {
    if (started.current) return
    started.current = true
    check()
  }, [check])

  // While processing, ask again after a few seconds (Stripe's webhook usually completes the order meanwhile).
  useEffect(() => {
    if (view?.view !== "processing" || pending) return
    const delay = RECHECK_DELAYS_MS[rechecks.current]
    if (delay === undefined) return
    const timer = setTimeout(() => {
      rechecks.current += 1
      check()
    }, delay)
    return () => clearTimeout(timer)
  }, [view, pending, check])

  if (!view || view.view === "confirmed") {
    return (
      <p className="muted" data-testid="payment-confirming">
        {labels.confirming}
      </p>
    )
  }
  if (view.view === "failed") {
    return (
      <div data-testid="payment-failed">
        <h2>{labels.failedTitle}</h2>
        <p>{labels.failedText}</p>
        <p>
          <Link className="button" href={`/${countryCode}/checkout`} data-testid="payment-retry">
            {labels.retry}
          </Link>
        </p>
      </div>
    )
  }
  return (
    <div data-testid="payment-processing">
      <h2>{labels.processingTitle}</h2>
      <p>{labels.processingText}</p>
      <p className="muted">
        {labels.lookupText} <Link href={`/${countryCode}/order-lookup`}>{labels.lookupLink}</Link>
      </p>
      <button type="button" className="secondary" disabled={pending} onClick={check} data-testid="payment-check-again">
        {labels.checkAgain}
      </button>
    </div>
  )
}
