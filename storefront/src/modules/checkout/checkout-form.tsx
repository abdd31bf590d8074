"use client"

import { useActionState } from "react"
import { placeOrder } from "@lib/data/cart"

/** `blocked`: why the order cannot be placed yet (a top-up line without its recipient) — Pay stays disabled. */
export default function CheckoutForm({
  countryCode,
  email,
  locked,
  labels,
  blocked = null,
}: {
  countryCode: string
  email: string
  locked: boolean
  labels: { email: string; pay: string; note: string }
  blocked?: string | null
}) {
  const [state, action, pending] = useActionState(placeOrder.bind(null, countryCode), null)
  return (
    <form action={action}>
      <label htmlFor="email">{labels.email}</label>
      <input id="email" name="email" type="email" required defaultValue={email} readOnly={locked} autoComplete="email" data-testid="checkout-email" />
      <p className="muted">{labels.note}</p>
      <div className="actions">
        <button type="submit" disabled={pending || Boolean(blocked)} data-testid="place-order">
          {labels.pay}
        </button>
      </div>
      {blocked ? (
        <p className="error" data-testid="checkout-blocked">
          {blocked}
        </p>
      ) : null}
      {state?.error ? (
        <p className="error" data-testid="checkout-error">
          {state.error}
        </p>
      ) : null}
    </form>
  )
}
