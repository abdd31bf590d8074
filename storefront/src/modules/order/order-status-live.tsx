"use client"

import { useEffect, useState } from "react"
import { useRouter } from "next/navigation"
import { getOrderStatus, type OrderStatus } from "@lib/data/virtual-goods"

const FINAL: OrderStatus[] = ["delivered", "refunded", "canceled"]
const TONE: Record<OrderStatus, string> = { awaiting_payment: "warn", delivering: "warn", procuring: "warn", delivered: "ok", held: "warn", refunded: "bad", canceled: "bad" }

/** The order's status, followed live: every 1.5 s while it moves, every 5 s while its codes are bought from a supplier, every 10 s while held for review. */
export default function OrderStatusLive({ orderId, initial, labels, reloadWhenDelivered }: { orderId: string; initial: OrderStatus; labels: Record<string, string>; reloadWhenDelivered: boolean }) {
  const [status, setStatus] = useState<OrderStatus>(initial)
  const [polls, setPolls] = useState(0)
  const router = useRouter()
  useEffect(() => {
    if (FINAL.includes(status)) return
    const timer = setTimeout(async () => {
      const next = await getOrderStatus(orderId).catch(() => null)
      if (next && next.status !== status) {
        setStatus(next.status)
        if (next.status === "delivered" && reloadWhenDelivered) router.refresh()
      }
      setPolls((n) => n + 1)
    }, status === "held" ? 10_000 : status === "procuring" ? 5_000 : 1_500)
    return () => clearTimeout(timer)
  }, [status, polls, orderId, reloadWhenDelivered, router])
  return (
    <p>
      <span className={`badge ${TONE[status]}`} data-testid="order-status" data-status={status}>
        {labels[status]}
      </span>
    </p>
  )
}
