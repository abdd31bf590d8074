"use client"

import { useActionState } from "react"
import { requestOrderLink } from "@lib/data/virtual-goods"

export default function LookupForm({ labels }: { labels: { email: string; number: string; submit: string; sent: string } }) {
  const [state, action, pending] = useActionState(requestOrderLink, null)
  return (
    <form action={action}>
      <label htmlFor="lookup-email">{labels.email}</label>
      <input id="lookup-email" name="email" type="email" required autoComplete="email" data-testid="lookup-email" />
      <label htmlFor="lookup-number">{labels.number}</label>
      <input id="lookup-number" name="order_number" required inputMode="numeric" placeholder="1042" data-testid="lookup-number" />
      <div className="actions">
        <button type="submit" disabled={pending} data-testid="lookup-submit">
          {labels.submit}
        </button>
      </div>
      {state?.sent ? <p className="notice" data-testid="lookup-sent">{labels.sent}</p> : null}
      {state?.error ? <p className="error">{state.error}</p> : null}
    </form>
  )
}
