"use client"

import { useActionState } from "react"
import { placeOrder } from "@lib/data/cart"

export default function CheckoutForm({ countryCode, email, locked, labels }: { countryCode: string; email: string; locked: boolean; labels: { email: string; pay: string; note: string } }) {
  const [state, action, pending] = useActionState(placeOrder.bind(null, countryCode), null)
  return (
    <form action={action}>
      <label htmlFor="email">{labels.email}</label>
      <input id="email" name="email" type="email" required defaultValue={email} readOnly={locked} autoComplete="email" data-testid="checkout-email" />
      <p className="muted">{labels.note}</p>
      <div className="actions">
        <button type="submit" disabled={pending} data-testid="place-order">
          {labels.pay}
        </button>
      </div>
      {state?.error ? (
        <p className="error" data-testid="checkout-error">
          {state.error}
        </p>
      ) : null}
    </form>
  )
}
