"use client"

import { useState, useTransition } from "react"
import { useRouter } from "next/navigation"
import { addToCart } from "@lib/data/cart"

type Variant = { id: string; title: string; price: string; available: number | null; sold_out: boolean }

export default function AddToCart({ countryCode, variants, labels }: { countryCode: string; variants: Variant[]; labels: { add: string; added: string; soldOut: string; quantity: string; inStock: string } }) {
  const router = useRouter()
  const [variantId, setVariantId] = useState(variants.find((v) => !v.sold_out)?.id ?? variants[0]?.id)
  const [quantity, setQuantity] = useState(1)
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const [pending, start] = useTransition()
  const variant = variants.find((v) => v.id === variantId)
  const max = variant?.available ?? 99
  return (
    <div>
      {variants.length > 1 ? (
        <div className="row" style={{ justifyContent: "flex-start" }}>
          {variants.map((v) => (
            <button key={v.id} className={v.id === variantId ? "" : "secondary"} onClick={() => setVariantId(v.id)} type="button">
              {v.title}
            </button>
          ))}
        </div>
      ) : null}
      {variant ? (
        <>
          <p className="price" data-testid="product-price">{variant.price}</p>
          <p>
            {variant.sold_out ? (
              <span className="badge bad" data-testid="sold-out">{labels.soldOut}</span>
            ) : variant.available !== null ? (
              <span className="badge ok" data-testid="in-stock">{labels.inStock.replace("{n}", String(variant.available))}</span>
            ) : null}
          </p>
          <label htmlFor="qty">{labels.quantity}</label>
          <input id="qty" type="number" min={1} max={Math.max(1, max)} value={quantity} onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))} style={{ maxWidth: 120 }} />
          <div className="actions" style={{ marginTop: 16 }}>
            <button
              data-testid="add-to-cart"
              disabled={pending || variant.sold_out}
              onClick={() =>
                start(async () => {
                  const res = await addToCart({ countryCode, variantId: variant.id, quantity })
                  setMessage(res.error ? { ok: false, text: res.error } : { ok: true, text: labels.added })
                  router.refresh()
                })
              }
            >
              {variant.sold_out ? labels.soldOut : labels.add}
            </button>
          </div>
          {message ? <p className={message.ok ? "notice" : "error"} data-testid="add-result">{message.text}</p> : null}
        </>
      ) : null}
    </div>
  )
}
