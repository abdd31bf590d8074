"use client"

import { useEffect, useState, useTransition } from "react"
// The "pure" entry loads Stripe.js only when loadStripe is called (the main entry injects it on import).
import { loadStripe } from "@stripe/stripe-js/pure"
import type { Stripe } from "@stripe/stripe-js"
import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js"
import { holdCartForPayment } from "@lib/data/cart"
import { elementsLocale, stripeReturnUrl } from "./payment-choice"
import type { StripeCheckoutLabels } from "./payment-labels"
import CompletePayment from "./complete-payment"

const loading = new Map<string, Promise<Stripe | null>>()

/** Stripe.js for a publishable key, loaded once per page (null when it cannot be loaded: offline, blocked). */
function stripeFor(key: string): Promise<Stripe | null> {
  let p = loading.get(key)
  if (!p) {
    p = loadStripe(key).catch(() => null)
    loading.set(key, p)
  }
  return p
}

type Props = { publishableKey: string; clientSecret: string; cartId: string; countryCode: string; lang: string; labels: StripeCheckoutLabels; onPaid?: () => void }

/**
 * Stripe's Payment Element for the cart's payment session (cards, and what the session's provider allows: Alipay,
 * WeChat Pay…), then Pay: hold the codes, confirm with Stripe (redirecting only when the method needs it), complete.
 */
export default function StripePayment({ publishableKey, clientSecret, cartId, countryCode, lang, labels, onPaid }: Props) {
  const [stripe] = useState(() => stripeFor(publishableKey))
  const [unavailable, setUnavailable] = useState(false)
  const [paid, setPaid] = useState<{ status: string | null } | null>(null)
  useEffect(() => {
    let live = true
    stripe.then((s) => live && !s && setUnavailable(true))
    return () => {
      live = false
    }
  }, [stripe])

  if (paid) return <CompletePayment countryCode={countryCode} cartId={cartId} stripeStatus={paid.status} labels={labels.outcome} />
  if (unavailable) {
    return (
      <p className="error" data-testid="stripe-unavailable">
        {labels.unavailable}
      </p>
    )
  }
  return (
    <Elements stripe={stripe} options={{ clientSecret, locale: elementsLocale(lang), appearance: { theme: "stripe" } }}>
      <PayForm cartId={cartId} countryCode={countryCode} labels={labels} onPaid={(status) => {
          setPaid({ status })
          onPaid?.()
        }} onUnavailable={() => setUnavailable(true)} />
    </Elements>
  )
}

function PayForm({ cartId, countryCode, labels, onPaid, onUnavailable }: { cartId: string; countryCode: string; labels: StripeCheckoutLabels; onPaid: (status: string | null) => void; onUnavailable: () => void }) {
  const stripe = useStripe()
  const elements = useElements()
  const [ready, setReady] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [pending, startTransition] = useTransition()

  const pay = () =>
    startTransition(async () => {
      if (!stripe || !elements) return
      setError(null)
      // The form first (nothing is held for a card number with a typo)…
      const submitted = await elements.submit()
      if (submitted.error) {
        setError(submitted.error.message ?? labels.generic)
        return
      }
      // …then the codes, held while the shopper pays: sold out or refused here costs them nothing…
      let hold: { error?: string }
      try {
        hold = await holdCartForPayment()
      } catch {
        hold = { error: labels.generic }
      }
      if (hold.error) {
        setError(hold.error)
        return
      }
      // …then the payment: 3-D Secure in a dialog, Alipay and WeChat Pay by redirect to the return page when needed.
      const result = await stripe.confirmPayment({
        elements,
        confirmParams: { return_url: stripeReturnUrl(window.location.origin, countryCode, cartId) },
        redirect: "if_required",
      })
      if (result.error) {
        setError(result.error.message ?? labels.generic)
        return
      }
      onPaid(result.paymentIntent?.status ?? null)
    })

  return (
    <div data-testid="stripe-payment">
      {!ready ? <p className="muted">{labels.loading}</p> : null}
      <PaymentElement onReady={() => setReady(true)} onLoadError={onUnavailable} />
      <div className="actions" style={{ marginTop: 16 }}>
        <button type="button" onClick={pay} disabled={!ready || !stripe || !elements || pending} data-testid="stripe-pay">
          {pending ? labels.paying : labels.pay}
        </button>
      </div>
      {error ? (
        <p className="error" data-testid="checkout-error">
          {error}
        </p>
      ) : null}
    </div>
  )
}
