import type { MedusaContainer } from "@medusajs/framework/types"
import type { VirtualStore } from "../../src/scripts/setup-virtual-store"
import { Api, completeCart, prepareCart, settle, waitForDelivery } from "./index"

export type FlashSaleResult = {
  /** How many completions got each HTTP status (a dropped connection counts as status 0). */
  statuses: Record<number, number>
  /** The distinct messages of the refused completions. */
  refusals: string[]
  orders: string[]
  /** Codes delivered to those orders once their deliveries finished. */
  delivered: number
  /** Codes of the pool still available afterwards (a buyer was refused while these were unsold if > 0). */
  unsold: number
}

/**
 * A hot drop through Medusa's standard store API: `buyers` carts of one code each are prepared (cart with an email,
 * payment collection, system payment session), then all of them are completed at the same moment. Waits until every
 * placed order's code is delivered and reports what each buyer got.
 */
export async function runFlashSale(input: {
  api: Api
  store: VirtualStore
  container: MedusaContainer
  db: any
  admin: { headers: Record<string, string> }
  variantId: string
  poolId: string
  buyers: number
  deliveryTimeoutMs?: number
}): Promise<FlashSaleResult> {
  const { api, store, variantId, buyers } = input
  const carts: string[] = []
  for (let i = 0; i < buyers; i += 8) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(8, buyers - i) }, (_, j) =>
        prepareCart(api, store, [{ variant_id: variantId, quantity: 1 }], { email: `drop${i + j}@example.com` })
      )
    )
    carts.push(...batch.map((c: { id: string }) => c.id))
  }
  const answers = await Promise.all(carts.map((id) => settle(completeCart(api, store, id))))
  const statuses: Record<number, number> = {}
  const refusals = new Set<string>()
  const orders: string[] = []
  for (const a of answers) {
    const status = a.status ?? 0
    statuses[status] = (statuses[status] ?? 0) + 1
    if (status === 200 && a.data?.type === "order") orders.push(a.data.order.id)
    else refusals.add(String(a.data?.message ?? a.data?.error?.message ?? `status ${status}`))
  }
  let delivered = 0
  for (const id of orders) {
    const { card_codes } = await waitForDelivery(api, input.container, input.admin, id, 1, input.deliveryTimeoutMs ?? 60_000)
    delivered += card_codes.length
  }
  const { rows } = await input.db.raw(
    `select count(*)::int as n from card_code where pool_id = ? and status = 'available' and deleted_at is null`,
    [input.poolId]
  )
  return { statuses, refusals: [...refusals].sort(), orders, delivered, unsold: rows[0].n }
}
