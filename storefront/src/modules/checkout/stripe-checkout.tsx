"use client"

import { lazy, Suspense, useState, useTransition, type FormEvent } from "react"
import { startStripePayment, type StripeSession } from "@lib/data/cart"
import type { StripeMethod, StripeOption } from "./payment-choice"
import type { StripeCheckoutLabels } from "./payment-labels"

// Stripe's code is fetched only once the shopper goes on to pay (and never by a store without Stripe).
const StripePayment = lazy(() => import("./stripe-payment").catch(() => ({ default: Unavailable })))

function Unavailable({ labels }: { labels: StripeCheckoutLabels }) {
  return (
    <p className="error" data-testid="stripe-unavailable">
      {labels.unavailable}
    </p>
  )
}

type Props = {
  countryCode: string
  email: string
  locked: boolean
  publishableKey: string
  options: StripeOption[]
  lang: string
  labels: StripeCheckoutLabels
  /** Why paying cannot start yet (a top-up line without its recipient): Continue stays disabled. */
  blocked?: string | null
}

/**
 * The checkout with Stripe: the email (the signed-in customer's, fixed) and the payment method — cards (the Payment
 * Element also lists the other methods the Stripe account enables), Alipay, WeChat Pay: those the region offers —
 * then Continue starts the payment session and shows Stripe's Payment Element. Change goes back (a new session is
 * made on the next Continue).
 */
export default function StripeCheckout({ countryCode, email, locked, publishableKey, options, lang, labels, blocked = null }: Props) {
  const [method, setMethod] = useState<StripeMethod>(options[0]?.method ?? "card")
  const [session, setSession] = useState<StripeSession | null>(null)
  const [paid, setPaid] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [pending, startTransition] = useTransition()

  const start = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    startTransition(async () => {
      setError(null)
      let res: StripeSession | { error: string }
      try {
        res = await startStripePayment({ email: String(form.get("email") ?? ""), method })
      } catch {
        res = { error: labels.generic }
      }
      if ("error" in res) setError(res.error)
      else setSession(res)
    })
  }

  return (
    <>
      <form onSubmit={start}>
        <fieldset disabled={Boolean(session) || pending} style={{ border: 0, padding: 0, margin: 0 }}>
          <label htmlFor="email">{labels.email}</label>
          <input id="email" name="email" type="email" required defaultValue={email} readOnly={locked} autoComplete="email" data-testid="checkout-email" />
          <p style={{ margin: "12px 0 4px", fontSize: 14 }}>{labels.method}</p>
          <div className="methods" role="radiogroup" aria-label={labels.method}>
            {options.map((o) => (
              <label key={o.method}>
                <input type="radio" name="method" value={o.method} checked={method === o.method} onChange={() => setMethod(o.method)} data-testid={`stripe-method-${o.method}`} />
                {labels.methods[o.method]}
              </label>
            ))}
          </div>
        </fieldset>
        <p className="muted">{labels.note}</p>
        <div className="actions">
          {paid ? null : session ? (
            <button type="button" className="secondary" onClick={() => setSession(null)} data-testid="stripe-change">
              {labels.change}
            </button>
          ) : (
            <button type="submit" disabled={pending || Boolean(blocked)} data-testid="stripe-continue">
              {labels.continue}
            </button>
          )}
        </div>
        {blocked && !session ? (
          <p className="error" data-testid="checkout-blocked">
            {blocked}
          </p>
        ) : null}
        {error ? (
          <p className="error" data-testid="checkout-error">
            {error}
          </p>
        ) : null}
      </form>
      {session ? (
        <div style={{ marginTop: 16 }}>
          <Suspense fallback={<p className="muted">{labels.loading}</p>}>
            <StripePayment
              key={session.clientSecret}
              publishableKey={publishableKey}
              clientSecret={session.clientSecret}
              cartId={session.cartId}
              countryCode={countryCode}
              lang={lang}
              labels={labels}
              onPaid={() => setPaid(true)}
            />
          </Suspense>
        </div>
      ) : null}
    </>
  )
}
