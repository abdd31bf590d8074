import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { completeCart, createVirtualStore, explainHttpErrors, prepareCart } from "../integration-tests/helpers"
import { alternate, combine, concurrent, fmt, goalText, log, peakRssMb, percentile, QUICK, ratio, Round, writeResult } from "./support"
import { emptyRedis, startTestWorker, WorkerProcess } from "../integration-tests/helpers/worker"
import { createStockedProduct } from "../integration-tests/helpers/flash-sale"

jest.setTimeout(3_600_000)

/**
 * Topology. `shared` (default): one process serves the store API and runs the subscribers (delivery) with the
 * in-memory event bus and workflow engine, as `medusa develop` does. `worker`: Medusa's production deployment — this
 * process serves the API only (MEDUSA_WORKER_MODE=server) and a second process started with `medusa start` in worker
 * mode runs the subscribers, both on the Redis event bus, workflow engine and locking. Medusa's test runner loads
 * medusa-config before it applies its `env` option, so the variables are set here, before it starts.
 */
const TOPOLOGY = process.env.BENCH_TOPOLOGY === "worker" ? "worker" : "shared"
const REDIS_URL = process.env.BENCH_REDIS_URL || "redis://localhost:6379/6"
if (TOPOLOGY === "worker") {
  process.env.REDIS_URL = REDIS_URL
  process.env.MEDUSA_WORKER_MODE = "server"
}

type VirtualRound = Round & { orders: string[]; delivered_seconds: number }

/**
 * Checkout through Medusa's store API, the calls a storefront makes (create a cart with an email and the item, create
 * the payment collection, start a `pp_system_default` payment session, complete the cart): a virtual code against an
 * ordinary in-stock product (manage_inventory, stocked at the same location, no shipping profile and no shipping
 * needed, so the same calls apply), at 1 and 4 concurrent buyers, alternating rounds. For the virtual side also the
 * time from order placed to codes delivered (the delivery runs after the order is placed, from its event); each virtual
 * round is followed by waiting for its deliveries, so that no delivery work spills into the next round.
 */
medusaIntegrationTestRunner({
  dbName: process.env.BENCH_DB || "vg_bench_checkout",
  testSuite: ({ api, getContainer, dbConnection }) => {
    let worker: WorkerProcess | undefined
    afterAll(async () => {
      await worker?.stop()
    })

    it("checkout: virtual code vs ordinary product", async () => {
      explainHttpErrors(api)
      const container = getContainer()
      if (TOPOLOGY === "worker") {
        // The bench's own Redis database, emptied first: no job of an earlier, interrupted run may be picked up.
        await emptyRedis(REDIS_URL)
        const t0 = Date.now()
        worker = await startTestWorker({ database: process.env.BENCH_DB || "vg_bench_checkout", redisUrl: REDIS_URL, port: Number(process.env.BENCH_WORKER_PORT) || 9771 })
        log(`worker process started (medusa start, MEDUSA_WORKER_MODE=worker) in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
      }
      const levels = [1, 4]
      const rounds = 3
      const perRound = Number(process.env.BENCH_CHECKOUTS_PER_ROUND) || (QUICK ? 4 : 20)
      const warmup = 2
      const virtualCheckouts = levels.length * rounds * perRound + warmup
      const store = await createVirtualStore(container, virtualCheckouts + 10)
      const virtual = store.products[0]

      // The ordinary product, sold from the same store and stock location; like the virtual variant, no shipping needed.
      const { variant_id: ordinaryVariant } = await createStockedProduct(container, store, {
        title: "Ordinary gift box",
        handle: "ordinary-gift-box",
        sku: "ORDINARY",
        price: 15,
        stock: 100_000,
      })

      let buyer = 0
      const buy = async (variantId: string) => {
        const n = buyer++
        const cart = await prepareCart(api, store, [{ variant_id: variantId, quantity: 1 }], { email: `bench${n}@example.com` })
        const { data } = await completeCart(api, store, cart.id)
        if (data.type !== "order") throw new Error(`checkout ${n} placed no order: ${JSON.stringify(data).slice(0, 300)}`)
        return data.order.id as string
      }

      const deliveredCount = async (orderIds: string[]) => {
        const { rows } = await dbConnection.raw(
          `select count(*)::int as n from card_code where order_id = any(?) and status = 'delivered'`,
          [orderIds]
        )
        return rows[0].n as number
      }
      /** Waits until every order of the list has its code delivered; seconds waited. */
      const drain = async (orderIds: string[], timeoutMs = 120_000) => {
        const t0 = Date.now()
        while ((await deliveredCount(orderIds)) < orderIds.length) {
          if (Date.now() - t0 > timeoutMs) throw new Error(`codes of ${orderIds.length} orders not all delivered after ${timeoutMs} ms`)
          await new Promise((r) => setTimeout(r, 50))
        }
        return (Date.now() - t0) / 1000
      }

      // Warm both paths up (first requests compile routes, fill caches).
      const virtualOrders: string[] = []
      const ordinaryOrders: string[] = []
      for (let i = 0; i < warmup; i++) {
        ordinaryOrders.push(await buy(ordinaryVariant))
        virtualOrders.push(await buy(virtual.variant_id))
      }
      await drain(virtualOrders)

      const rows: any[] = []
      for (const workers of levels) {
        const sides = await alternate<Round | VirtualRound>(
          rounds,
          async () => concurrent(workers, perRound, async () => ordinaryOrders.push(await buy(ordinaryVariant))),
          async () => {
            const orders: string[] = []
            const timed = await concurrent(workers, perRound, async () => orders.push(await buy(virtual.variant_id)))
            virtualOrders.push(...orders)
            return { ...timed, orders, delivered_seconds: timed.seconds + (await drain(orders)) }
          }
        )
        const base = combine(sides.a)
        const ours = combine(sides.b)
        const vr = sides.b as VirtualRound[]
        const withDelivery = Math.round((ours.ops / vr.reduce((s, r) => s + r.delivered_seconds, 0)) * 100) / 100
        const row = {
          concurrency: workers,
          checkouts_per_side: base.ops,
          ordinary: base,
          virtual: ours,
          ratio: ratio(ours.per_second, base.per_second),
          virtual_including_delivery_per_second: withDelivery,
          ratio_including_delivery: ratio(withDelivery, base.per_second),
        }
        rows.push(row)
        log(
          `checkout, ${workers} buyer(s) at a time: ordinary ${base.per_second}/s (p50 ${Math.round(base.p50_ms)} ms, p95 ${Math.round(base.p95_ms)} ms), ` +
            `virtual ${ours.per_second}/s (p50 ${Math.round(ours.p50_ms)} ms, p95 ${Math.round(ours.p95_ms)} ms): ratio ${row.ratio} (${goalText(row.ratio, 0.8)}); ` +
            `virtual until its codes are delivered ${withDelivery}/s: ratio ${row.ratio_including_delivery}`
        )
      }

      // Every virtual order holds exactly one delivered code, no code is in two orders, every delivery is recorded.
      const { rows: perOrder } = await dbConnection.raw(
        `select o.id, count(c.id)::int as codes, count(distinct c.id)::int as distinct_codes,
                extract(epoch from (max(c.delivered_at) - o.created_at)) * 1000 as ms
           from "order" o left join card_code c on c.order_id = o.id and c.status = 'delivered'
          where o.id = any(?) group by o.id, o.created_at`,
        [virtualOrders]
      )
      const { rows: codeCheck } = await dbConnection.raw(
        `select count(*)::int as n, count(distinct order_id)::int as orders from card_code where order_id = any(?)`,
        [virtualOrders]
      )
      const { rows: deliveries } = await dbConnection.raw(
        `select count(*)::int as n from card_delivery where order_id = any(?) and status = 'delivered'`,
        [virtualOrders]
      )
      const bad = perOrder.filter((o: any) => o.codes !== 1)
      if (perOrder.length !== virtualOrders.length || bad.length || codeCheck[0].n !== virtualOrders.length || deliveries[0].n !== virtualOrders.length) {
        throw new Error(
          `virtual orders: ${perOrder.length} of ${virtualOrders.length} found, ${bad.length} without exactly one code, ` +
            `${codeCheck[0].n} codes bound, ${deliveries[0].n} deliveries recorded`
        )
      }
      const { rows: ordinaryCheck } = await dbConnection.raw(`select count(*)::int as n from "order" where id = any(?)`, [ordinaryOrders])
      if (ordinaryCheck[0].n !== ordinaryOrders.length) throw new Error(`${ordinaryCheck[0].n} of ${ordinaryOrders.length} ordinary orders found`)

      const delays = perOrder.map((o: any) => Number(o.ms)).sort((a: number, b: number) => a - b)
      const placedToDelivered = {
        orders: delays.length,
        p50_ms: Math.round(percentile(delays, 50)),
        p95_ms: Math.round(percentile(delays, 95)),
        max_ms: Math.round(delays[delays.length - 1]),
      }
      log(
        `checked: ${fmt(virtualOrders.length)} virtual orders with one delivered code each (no code twice), ${fmt(ordinaryOrders.length)} ordinary orders; ` +
          `order placed → codes delivered: p50 ${placedToDelivered.p50_ms} ms, p95 ${placedToDelivered.p95_ms} ms, max ${placedToDelivered.max_ms} ms`
      )
      log(`peak RSS of this benchmark process (the Medusa app and the HTTP client): ${peakRssMb()} MB`)
      const workerRss = worker?.peakRssMb()
      if (worker) log(`peak RSS of the worker process: ${workerRss} MB`)
      await writeResult({
        area: TOPOLOGY === "worker" ? "checkout_worker" : "checkout",
        topology: TOPOLOGY,
        peak_rss_mb_of_worker: workerRss ?? null,
        goal: "virtual ≥ 0.8x ordinary checkouts/s",
        rounds,
        rows,
        placed_to_delivered: placedToDelivered,
        peak_rss_mb_of_app_and_client: peakRssMb(),
      })
    })
  },
})
