"use client"

import { useEffect, useState, useTransition } from "react"
import { useRouter } from "next/navigation"
import { listPickableCodes, pickCode, type PickableCode } from "@lib/data/picks"

type Labels = { title: string; premium: string; search: string; none: string; count: string; choose: string; added: string }

/**
 * Buyer's choice (自选卡密): the codes of a variant a shopper may pick — labels only, e.g. 138****5678 — with a search
 * by the characters they show; choosing one adds it to the cart as its own line at the price plus the premium.
 */
export default function PickCode({ countryCode, variantId, premium, initial, labels }: { countryCode: string; variantId: string; premium: string; initial: { codes: PickableCode[]; count: number }; labels: Labels }) {
  const router = useRouter()
  const [q, setQ] = useState("")
  const [list, setList] = useState(initial)
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const [pending, start] = useTransition()
  useEffect(() => {
    if (!q.trim()) return setList(initial)
    const timer = setTimeout(() => {
      listPickableCodes(variantId, q.replace(/\*/g, "")).then((res) => res && setList({ codes: res.codes, count: res.count }))
    }, 250)
    return () => clearTimeout(timer)
  }, [q, variantId, initial])
  return (
    <section className="card" aria-labelledby="pick-title" data-testid="pick-code" style={{ marginTop: 16 }}>
      <h2 id="pick-title" style={{ marginTop: 0 }}>{labels.title}</h2>
      <p className="muted" data-testid="pick-premium">{labels.premium.replace("{premium}", premium)}</p>
      <label htmlFor="pick-q">{labels.search}</label>
      <input id="pick-q" type="search" value={q} maxLength={64} onChange={(e) => setQ(e.target.value)} data-testid="pick-search" autoComplete="off" />
      <p className="muted" aria-live="polite" data-testid="pick-count">{list.count ? labels.count.replace("{n}", String(list.count)) : labels.none}</p>
      <ul style={{ listStyle: "none", padding: 0, display: "flex", flexWrap: "wrap", gap: 8 }}>
        {list.codes.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="secondary"
              data-testid="pick-option"
              aria-label={labels.choose.replace("{label}", c.label)}
              disabled={pending}
              style={{ fontFamily: "monospace" }}
              onClick={() =>
                start(async () => {
                  const res = await pickCode({ countryCode, variantId, codeId: c.id })
                  setMessage(res.error ? { ok: false, text: res.error } : { ok: true, text: labels.added.replace("{label}", c.label) })
                  const fresh = await listPickableCodes(variantId, q.replace(/\*/g, ""))
                  if (fresh) setList({ codes: fresh.codes, count: fresh.count })
                  router.refresh()
                })
              }
            >
              {c.label}
            </button>
          </li>
        ))}
      </ul>
      {message ? <p className={message.ok ? "notice" : "error"} role="status" data-testid="pick-result">{message.text}</p> : null}
    </section>
  )
}
