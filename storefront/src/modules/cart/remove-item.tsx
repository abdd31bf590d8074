"use client"

import { useTransition } from "react"
import { removeLineItem } from "@lib/data/cart"

export default function RemoveItem({ lineId, label }: { lineId: string; label: string }) {
  const [pending, start] = useTransition()
  return (
    <button className="secondary" disabled={pending} onClick={() => start(() => removeLineItem(lineId))}>
      {label}
    </button>
  )
}
