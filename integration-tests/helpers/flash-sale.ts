import type { Agent } from "http"
import type { AxiosInstance } from "axios"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import {
  createCartWorkflow,
  createInventoryLevelsWorkflow,
  createPaymentCollectionForCartWorkflow,
  createPaymentSessionsWorkflow,
  createProductsWorkflow,
  updateInventoryItemsWorkflow,
} from "@medusajs/medusa/core-flows"
import type { VirtualStore } from "../../src/scripts/setup-virtual-store"
import { Api, completeCart, poolCounts, prepareCart, waitForDelivery } from "./index"

/** One buyer's completion in a burst, whatever came of it. */
export type Completion = {
  cart_id: string
  /** HTTP status of the answer; 0 when none came (the connection dropped or the client's timeout struck). */
  status: number
  /** From this completion's request being sent to its answer (or failure), ms. */
  latency_ms: number
  /** When the request was sent and when it was answered, ms after the first completion of the burst was sent. */
  sent_ms: number
  answered_ms: number
  /** The order placed, for a 200 with `type: "order"`. */
  order_id: string | null
  /** Message of a refusal (or of a 200 that placed no order), null for an order. */
  message: string | null
  /** The client's error code when no HTTP answer came (ECONNRESET, ECONNABORTED for a timeout, …). */
  client_error: string | null
}

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
  /** Every completion of the burst with its timing. */
  completions: Completion[]
}

/**
 * `buyers` carts of one unit of a variant each, ready to complete (an email, a payment collection, a system payment
 * session), prepared `concurrency` at a time through the store API. Returns the cart ids.
 */
export async function prepareFlashSaleCarts(
  api: Api,
  store: VirtualStore,
  variantId: string,
  buyers: number,
  options: { emailPrefix?: string; concurrency?: number } = {}
): Promise<string[]> {
  const prefix = options.emailPrefix ?? "drop"
  const concurrency = options.concurrency ?? 8
  return inBatches(buyers, concurrency, async (i) => {
    const cart: { id: string } = await prepareCart(api, store, [{ variant_id: variantId, quantity: 1 }], { email: `${prefix}${i}@example.com` })
    return cart.id
  })
}

/** `fn(0 … total - 1)`, `concurrency` at a time; the results in order. */
async function inBatches<T>(total: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < total; i += concurrency) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(concurrency, total - i) }, (_, j) => fn(i + j)))))
  }
  return out
}

/**
 * The same carts as prepareFlashSaleCarts, made in process by the workflows the store routes run (createCartWorkflow
 * with the store's sales channel — what the publishable key gives the route —, createPaymentCollectionForCartWorkflow,
 * createPaymentSessionsWorkflow), without the HTTP round trips and the routes' refetches: about 1.6x faster, for
 * benchmarks that prepare hundreds of carts before a burst. Returns the cart ids.
 */
export async function prepareFlashSaleCartsInProcess(
  container: MedusaContainer,
  store: VirtualStore,
  variantId: string,
  buyers: number,
  options: { emailPrefix?: string; concurrency?: number } = {}
): Promise<string[]> {
  const prefix = options.emailPrefix ?? "drop"
  const concurrency = options.concurrency ?? 8
  const one = async (i: number) => {
    const { result: cart } = await createCartWorkflow(container).run({
      input: {
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        email: `${prefix}${i}@example.com`,
        items: [{ variant_id: variantId, quantity: 1 }],
      },
    })
    const { result: collection } = await createPaymentCollectionForCartWorkflow(container).run({ input: { cart_id: cart.id } })
    await createPaymentSessionsWorkflow(container).run({ input: { payment_collection_id: collection.id, provider_id: "pp_system_default" } })
    return cart.id
  }
  return inBatches(buyers, concurrency, one)
}

/**
 * Opens `count` keep-alive connections of `agent` to the app (concurrent GET /health), so that a burst sent through
 * that agent starts on open sockets instead of queueing on connection set-up. The agent needs `maxSockets` and
 * `maxFreeSockets` ≥ `count`; the server closes idle sockets after its keep-alive timeout (Node's default 5 s), so
 * call this right before the burst. Returns the number of open idle sockets.
 */
export async function openConnections(api: Api, agent: Agent, count: number): Promise<number> {
  await Promise.all(Array.from({ length: count }, () => api.get("/health", { httpAgent: agent })))
  return Object.values(agent.freeSockets).reduce((n, sockets) => n + (sockets?.length ?? 0), 0)
}

const elapsedMs = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6

/**
 * Completes every cart at the same moment (all requests sent in one tick) and records each answer with its timing.
 * With `agent`, the requests go through it (see openConnections), with a client timeout of `timeoutMs` (none by
 * default); a request without an HTTP answer is reported with status 0 and the client's error code.
 */
export async function completeAllAtOnce(
  api: Api,
  store: VirtualStore,
  cartIds: string[],
  options: { agent?: Agent; timeoutMs?: number } = {}
): Promise<Completion[]> {
  // The test runner's client is an axios instance: a derived one keeps its base URL and defaults.
  const client: Api = options.agent || options.timeoutMs ? (api as AxiosInstance).create({ httpAgent: options.agent, timeout: options.timeoutMs ?? 0 }) : api
  const start = process.hrtime.bigint()
  return Promise.all(
    cartIds.map(async (cart_id): Promise<Completion> => {
      const sent_ms = elapsedMs(start)
      const done = (status: number, data: any, client_error: string | null): Completion => {
        const answered_ms = elapsedMs(start)
        const order_id: string | null = status === 200 && data?.type === "order" ? data.order.id : null
        const message = order_id ? null : client_error ?? String(data?.message ?? data?.error?.message ?? `status ${status}`)
        return { cart_id, status, latency_ms: answered_ms - sent_ms, sent_ms, answered_ms, order_id, message, client_error }
      }
      try {
        const r = await completeCart(client, store, cart_id)
        return done(r.status, r.data, null)
      } catch (e: any) {
        if (e?.response) return done(e.response.status, e.response.data, null)
        return done(0, undefined, String(e?.code ?? e?.message ?? e))
      }
    })
  )
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
  const carts = await prepareFlashSaleCarts(api, store, variantId, buyers)
  const completions = await completeAllAtOnce(api, store, carts)
  const statuses: Record<number, number> = {}
  const refusals = new Set<string>()
  const orders: string[] = []
  for (const c of completions) {
    statuses[c.status] = (statuses[c.status] ?? 0) + 1
    if (c.order_id) orders.push(c.order_id)
    else refusals.add(c.message ?? `status ${c.status}`)
  }
  let delivered = 0
  for (const id of orders) {
    const { card_codes } = await waitForDelivery(api, input.container, input.admin, id, 1, input.deliveryTimeoutMs ?? 60_000)
    delivered += card_codes.length
  }
  const { available } = await poolCounts(input.db, input.poolId)
  return { statuses, refusals: [...refusals].sort(), orders, delivered, unsold: available, completions }
}

/**
 * An ordinary product sold from the store's stock location: one variant with `manage_inventory`, exactly `stock`
 * units at the location, its inventory item marked as not requiring shipping (like a virtual variant's, so the same
 * no-address checkout applies). This is the product Medusa's own inventory (and its per-item lock) guards.
 */
export async function createStockedProduct(
  container: MedusaContainer,
  store: VirtualStore,
  spec: { title: string; handle: string; sku: string; price: number; stock: number }
): Promise<{ product_id: string; variant_id: string; inventory_item_id: string }> {
  const { result } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: spec.title,
          handle: spec.handle,
          status: "published",
          options: [{ title: "Size", values: ["One"] }],
          variants: [{ title: "One", sku: spec.sku, manage_inventory: true, options: { Size: "One" }, prices: [{ amount: spec.price, currency_code: "usd" }] }],
          sales_channels: [{ id: store.sales_channel_id }],
        },
      ],
    },
  })
  const variantId = result[0].variants[0].id
  const { data } = await container
    .resolve(ContainerRegistrationKeys.QUERY)
    .graph({ entity: "product_variant", fields: ["inventory_items.inventory_item_id"], filters: { id: variantId } })
  const itemId = (data[0] as { inventory_items?: { inventory_item_id: string }[] } | undefined)?.inventory_items?.[0]?.inventory_item_id
  if (!itemId) throw new Error(`variant ${variantId} of "${spec.handle}" has no inventory item`)
  await updateInventoryItemsWorkflow(container).run({ input: { updates: [{ id: itemId, requires_shipping: false }] } })
  await createInventoryLevelsWorkflow(container).run({
    input: { inventory_levels: [{ inventory_item_id: itemId, location_id: store.stock_location_id, stocked_quantity: spec.stock }] },
  })
  return { product_id: result[0].id, variant_id: variantId, inventory_item_id: itemId }
}
