import http from "http"
import net from "net"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { completeCart, explainHttpErrors, poolCounts, prepareCart } from "../integration-tests/helpers"
import {
  Completion,
  completeAllAtOnce,
  createStockedProduct,
  openConnections,
  prepareFlashSaleCartsInProcess,
} from "../integration-tests/helpers/flash-sale"
import { emptyRedis, startTestWorker, WorkerProcess } from "../integration-tests/helpers/worker"
import { setupVirtualStore } from "../src/scripts/setup-virtual-store"
import { alternate, fmt, log, peakRssMb, QUICK, ratio, stats, Stats, writeResult } from "./support"

jest.setTimeout(3_600_000)

/**
 * Topology, as in store-checkout.bench.ts. `shared` (default): one process serves the store API and runs the
 * subscribers (delivery) with the in-memory event bus, workflow engine and locking, as `medusa develop` does.
 * `worker`: this process serves the API only (MEDUSA_WORKER_MODE=server), a `medusa start` worker runs the
 * subscribers, both on the Redis event bus, workflow engine and locking. Medusa's test runner loads medusa-config
 * before it applies its `env` option, so the variables are set here, before it starts. The Redis database is this
 * area's own (not checkout_worker's nor a spec's), so that a run of those at the same time cannot take this app's
 * events; the worker's port is a free one.
 */
const TOPOLOGY = process.env.BENCH_TOPOLOGY === "worker" ? "worker" : "shared"
const REDIS_URL = process.env.BENCH_FLASH_SALE_REDIS_URL || "redis://localhost:6379/9"
if (TOPOLOGY === "worker") {
  process.env.REDIS_URL = REDIS_URL
  process.env.MEDUSA_WORKER_MODE = "server"
}

/** Codes (virtual) or units in stock (ordinary) per sale, and the buyers of each burst. */
const K = QUICK ? 20 : 50
const LEVELS = QUICK ? [60] : [100, 300]
/**
 * A completion without an answer after this long counts as dropped. All completions of a burst share one Node thread,
 * so each answer comes late (p50 ≈ the whole burst): a completion took ~0.3 s of that thread on a busy 2-core machine
 * in quick runs (60 buyers), so a burst of 300 may take ~90 s; the timeout leaves room for a slow day.
 */
const CLIENT_TIMEOUT_MS = 600_000
/** How long the deliveries (virtual) and releases of reservations may take after the burst before it is a failure. */
const SETTLE_TIMEOUT_MS = 180_000
const PRICE = 15

type Side = "ordinary" | "virtual"
/** What a completion came to: an order, a clean "sold out" 400, a lock conflict, a server error, no answer, else. */
type Outcome = "200" | "400_sold_out" | "409" | "5xx" | "dropped" | "other"
const OUTCOMES: Outcome[] = ["200", "400_sold_out", "409", "5xx", "dropped", "other"]
// Ours: "Out of stock: <pool> (requested 1, available 0)". Medusa's: confirm-inventory's "Some variant does not have
// the required inventory", or the inventory module's "Not enough stock available for item …" under its lock.
const SOLD_OUT = /out of stock|required inventory|not enough stock/i

function outcomeOf(c: Completion): Outcome {
  if (c.order_id) return "200"
  if (c.status === 0) return "dropped"
  if (c.status === 400 && SOLD_OUT.test(c.message ?? "")) return "400_sold_out"
  if (c.status === 409) return "409"
  if (c.status >= 500) return "5xx"
  return "other"
}

type SideResult = {
  side: Side
  buyers: number
  stock: number
  /** Which of the pair ran first for this number of buyers. */
  ran: "first" | "second"
  prepare_seconds: number
  /** Idle keep-alive sockets open to the app when the burst was sent (one per buyer expected). */
  sockets_open: number
  /** Last request sent − first request sent, ms: the burst left the client at once. */
  send_spread_ms: number
  orders: number
  sold_out: boolean
  /** First completion sent → last successful order answered, s; null without any order. */
  time_to_sell_out_seconds: number | null
  /** Successful orders / time to sell out. */
  completions_per_second: number
  /** First completion sent → last completion answered, s. */
  burst_seconds: number
  /** First completion sent → first answer of any kind / first order answered, s: whether answers trickled or piled up. */
  first_answer_seconds: number
  first_order_seconds: number | null
  /** Latency of all completions, whatever their answer. */
  latency: Stats
  outcomes: Record<Outcome, number>
  /** Answers that placed no order, grouped: "<status> <message>" with their count, most frequent first. */
  refusals: { answer: string; count: number }[]
  /** Stock left unsold once every completion had settled and failed ones had given their reservations back. */
  unsold: number
  /** Virtual: codes still reserved after the settle wait. Ordinary: units reserved beyond the orders placed. */
  held_without_order: number
  /** Virtual: last completion answered → every order's code delivered, s. */
  deliveries_settled_seconds?: number
  /** Virtual: the pool's codes by status afterwards (conservation: they add up to the stock). */
  codes_by_status?: Record<string, number>
}

type Row = {
  buyers: number
  stock: number
  ordinary: SideResult
  virtual: SideResult
  /** Virtual completions/s ÷ ordinary completions/s (successful orders until the last one was answered). */
  ratio_completions_per_second: number | null
}

const round2 = (n: number) => Math.round(n * 100) / 100

/** A TCP port free on this machine right now (the OS picks it). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))))
    })
  })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A hot drop through Medusa's store API: K codes of a virtual variant (its stock is the vault's alone, no
 * `manage_inventory`, so no Medusa inventory lock on its checkout) against an ordinary product with exactly K units in
 * stock (Medusa's inventory, its per-item lock in `reserve-inventory-step`), each on fresh stock, N buyers completing
 * their carts through the store API at the same moment, alternating which side runs first. The carts are prepared
 * before the burst, not timed, in process by the workflows the store routes run (hundreds of carts through HTTP
 * would take most of the area's time). Per side: time
 * to sell out, completions/s, latency of all completions, answers by kind, unsold stock afterwards; for the virtual
 * side the deliveries and the vault's invariants are checked and any breach fails the area.
 */
medusaIntegrationTestRunner({
  dbName: process.env.BENCH_DB || "vg_bench_flash_sale",
  testSuite: ({ api, getContainer, dbConnection }) => {
    let worker: WorkerProcess | undefined
    afterAll(async () => {
      await worker?.stop()
    })

    it("flash sale: virtual code vs ordinary product, many more buyers than stock at once", async () => {
      explainHttpErrors(api)
      const container = getContainer()
      if (TOPOLOGY === "worker") {
        // This area's own Redis database, emptied first: no job of an earlier, interrupted run may be picked up.
        await emptyRedis(REDIS_URL)
        const t0 = Date.now()
        // A port nobody listens on (a fixed default was once taken by another suite's worker, whose /health then
        // answered for ours).
        const port = Number(process.env.BENCH_FLASH_SALE_WORKER_PORT) || (await freePort())
        worker = await startTestWorker({ database: process.env.BENCH_DB || "vg_bench_flash_sale", redisUrl: REDIS_URL, port })
        log(`worker process started (medusa start, MEDUSA_WORKER_MODE=worker) in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
      }

      const STORE = "Flash sale store"
      let seq = 0
      const freshVirtual = async (tag: string) => {
        const s = await setupVirtualStore(container, {
          name: STORE,
          products: [{ title: `Drop ${tag}`, handle: `drop-${tag}`, sku: `DROP-${tag}`.toUpperCase(), price: PRICE, codes: K }],
        })
        return { variant_id: s.products[0].variant_id, pool_id: s.products[0].pool_id }
      }
      const base = await setupVirtualStore(container, { name: STORE, products: [] })
      const freshOrdinary = async (tag: string) =>
        createStockedProduct(container, base, { title: `Box ${tag}`, handle: `box-${tag}`, sku: `BOX-${tag}`.toUpperCase(), price: PRICE, stock: K })

      const deliveredOrders = async (orderIds: string[]) => {
        const { rows } = await dbConnection.raw(`select count(*)::int as n from card_delivery where order_id = any(?) and status = 'delivered'`, [orderIds])
        return rows[0].n as number
      }
      const levelOf = async (itemId: string) => {
        const { rows } = await dbConnection.raw(
          `select stocked_quantity::int as stocked, reserved_quantity::int as reserved from inventory_level
            where inventory_item_id = ? and location_id = ? and deleted_at is null`,
          [itemId, base.stock_location_id]
        )
        return rows[0] as { stocked: number; reserved: number }
      }

      // Warm both paths up (the first requests compile routes and fill caches): two plain checkouts each.
      {
        const v = await freshVirtual("warmup")
        const o = await freshOrdinary("warmup")
        const warmupOrders: string[] = []
        for (const variantId of [o.variant_id, v.variant_id, o.variant_id, v.variant_id]) {
          const cart = await prepareCart(api, base, [{ variant_id: variantId, quantity: 1 }], { email: `warmup${seq++}@example.com` })
          const { data } = await completeCart(api, base, cart.id)
          if (variantId === v.variant_id) warmupOrders.push(data.order.id)
        }
        // Their deliveries must not spill into the first burst.
        const until = Date.now() + SETTLE_TIMEOUT_MS
        while ((await deliveredOrders(warmupOrders)) < warmupOrders.length) {
          if (Date.now() > until) throw new Error("the warm-up orders' codes were not delivered")
          await sleep(100)
        }
      }

      const failures: string[] = []
      const fail = (what: string) => {
        failures.push(what)
        log(`CHECK FAILED: ${what}`)
      }

      const sell = async (side: Side, buyers: number, ran: "first" | "second"): Promise<SideResult> => {
        const tag = `${side.slice(0, 3)}-${buyers}-${seq++}`
        const virtualStock = side === "virtual" ? await freshVirtual(tag) : null
        const ordinaryStock = side === "ordinary" ? await freshOrdinary(tag) : null
        const variantId = virtualStock?.variant_id ?? ordinaryStock?.variant_id
        if (!variantId) throw new Error(`no ${side} stock was created`)
        const t0 = process.hrtime.bigint()
        const carts = await prepareFlashSaleCartsInProcess(container, base, variantId, buyers, { emailPrefix: `${tag}-` })
        const prepare_seconds = round2(Number(process.hrtime.bigint() - t0) / 1e9)

        // One keep-alive socket per buyer, opened before the burst: the client neither queues requests nor pays for
        // connection set-up inside the measured time; a request without an answer is counted as dropped.
        const agent = new http.Agent({ keepAlive: true, maxSockets: buyers, maxFreeSockets: buyers })
        const sockets_open = await openConnections(api, agent, buyers)
        const completions = await completeAllAtOnce(api, base, carts, { agent, timeoutMs: CLIENT_TIMEOUT_MS })
        agent.destroy()

        const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>
        const grouped = new Map<string, number>()
        for (const c of completions) {
          outcomes[outcomeOf(c)]++
          if (!c.order_id) {
            const answer = `${c.status || "no answer"} ${String(c.message ?? "").slice(0, 160)}`
            grouped.set(answer, (grouped.get(answer) ?? 0) + 1)
          }
        }
        const orders = completions.filter((c) => c.order_id).map((c) => c.order_id as string)
        const orderTimes = completions.filter((c) => c.order_id).map((c) => c.answered_ms)
        const firstSent = Math.min(...completions.map((c) => c.sent_ms))
        const lastOrder = Math.max(firstSent, ...orderTimes)
        const burstMs = Math.max(...completions.map((c) => c.answered_ms)) - firstSent
        const time_to_sell_out_seconds = orders.length ? round2((lastOrder - firstSent) / 1000) : null
        const result: SideResult = {
          side,
          buyers,
          stock: K,
          ran,
          prepare_seconds,
          sockets_open,
          send_spread_ms: round2(Math.max(...completions.map((c) => c.sent_ms)) - firstSent),
          orders: orders.length,
          sold_out: orders.length === K,
          time_to_sell_out_seconds,
          completions_per_second: time_to_sell_out_seconds ? round2(orders.length / time_to_sell_out_seconds) : 0,
          burst_seconds: round2(burstMs / 1000),
          first_answer_seconds: round2((Math.min(...completions.map((c) => c.answered_ms)) - firstSent) / 1000),
          first_order_seconds: orderTimes.length ? round2((Math.min(...orderTimes) - firstSent) / 1000) : null,
          latency: stats(completions.map((c) => c.latency_ms), burstMs / 1000),
          outcomes,
          refusals: [...grouped].map(([answer, count]) => ({ answer, count })).sort((a, b) => b.count - a.count).slice(0, 6),
          unsold: 0,
          held_without_order: 0,
        }
        if (sockets_open < buyers) log(`warning: only ${sockets_open} of ${buyers} sockets were open when the ${side} burst was sent`)

        const settledFrom = Date.now()
        if (virtualStock) {
          // Wait until every order's code is delivered and no code is left reserved (a failed completion's
          // compensation gives its code back), then check the vault.
          const { pool_id } = virtualStock
          let counts = await poolCounts(dbConnection, pool_id)
          while (counts.reserved > 0 || (await deliveredOrders(orders)) < orders.length) {
            if (Date.now() - settledFrom > SETTLE_TIMEOUT_MS) break
            await sleep(100)
            counts = await poolCounts(dbConnection, pool_id)
          }
          result.deliveries_settled_seconds = round2((Date.now() - settledFrom) / 1000)
          result.codes_by_status = counts
          result.unsold = counts.available
          result.held_without_order = counts.reserved
          checkVirtual(result, orders, pool_id, await deliveredOrders(orders))
          await checkVault(orders, pool_id, counts, `${buyers} buyers`)
        } else if (ordinaryStock) {
          // Failed completions release what they reserved before answering; wait briefly for any straggler.
          const { inventory_item_id } = ordinaryStock
          let level = await levelOf(inventory_item_id)
          while (level.reserved !== orders.length && Date.now() - settledFrom < 10_000) {
            await sleep(100)
            level = await levelOf(inventory_item_id)
          }
          result.unsold = level.stocked - level.reserved
          result.held_without_order = level.reserved - orders.length
          if (orders.length > K) log(`note: the ordinary product was oversold (${orders.length} orders for ${K} in stock)`)
        }

        const o = result.outcomes
        log(
          `${buyers} buyers for ${K} ${side === "virtual" ? "codes" : "units"}, ${side} (ran ${ran}): ${result.orders} orders` +
            (time_to_sell_out_seconds !== null ? ` in ${time_to_sell_out_seconds} s (${result.completions_per_second} orders/s)` : "") +
            `; answers from ${result.first_answer_seconds} s (first order ${result.first_order_seconds ?? "–"} s) to ${result.burst_seconds} s, latency p50 ${Math.round(result.latency.p50_ms)} / p95 ${Math.round(result.latency.p95_ms)} / p99 ${Math.round(result.latency.p99_ms)} ms; ` +
            `200 ×${o["200"]}, 400 sold out ×${o["400_sold_out"]}, 409 ×${o["409"]}, 5xx ×${o["5xx"]}, dropped ×${o.dropped}, other ×${o.other}; ` +
            `unsold ${result.unsold}${result.held_without_order ? `, ${result.held_without_order} still held without an order` : ""}` +
            (result.deliveries_settled_seconds !== undefined ? `; deliveries done ${result.deliveries_settled_seconds} s after the last answer` : "") +
            ` (carts prepared in ${prepare_seconds} s, ${sockets_open} sockets open, sent within ${result.send_spread_ms} ms)`
        )
        if (result.refusals.length) log(`  ${side} refusals: ${result.refusals.map((r) => `${r.count} × ${r.answer}`).join(" | ")}`)
        return result
      }

      /** The goals of the virtual side as correctness checks: any breach fails the area. */
      const checkVirtual = (r: SideResult, orders: string[], poolId: string, delivered: number) => {
        const at = `${r.buyers} buyers, virtual`
        if (r.outcomes["5xx"]) fail(`${at}: ${r.outcomes["5xx"]} completions answered 5xx`)
        if (r.outcomes.dropped) fail(`${at}: ${r.outcomes.dropped} completions got no answer (dropped or timed out)`)
        if (r.outcomes["409"] || r.outcomes.other) fail(`${at}: ${r.outcomes["409"] + r.outcomes.other} refusals other than a 400 "Out of stock"`)
        if (r.orders !== K) fail(`${at}: ${r.orders} orders for ${K} codes`)
        if (r.unsold) fail(`${at}: ${r.unsold} codes left unsold in pool ${poolId}`)
        if (r.held_without_order) fail(`${at}: ${r.held_without_order} codes still reserved ${SETTLE_TIMEOUT_MS / 1000} s after the burst`)
        if (delivered !== orders.length) fail(`${at}: ${delivered} of ${orders.length} deliveries recorded as delivered`)
      }

      let ordersChecked = 0
      let codesChecked = 0
      /** Every order holds exactly one delivered code, no code went to two orders, the pool's codes add up to K. */
      const checkVault = async (orders: string[], poolId: string, counts: Record<string, number>, at: string) => {
        const { rows: perOrder } = await dbConnection.raw(
          `select o.id, count(c.id)::int as codes from "order" o
             left join card_code c on c.order_id = o.id and c.status in ('delivered', 'revealed')
            where o.id = any(?) group by o.id`,
          [orders]
        )
        const notOne = perOrder.filter((o: { codes: number }) => o.codes !== 1).length
        if (perOrder.length !== orders.length || notOne) fail(`${at}: ${perOrder.length} of ${orders.length} orders found, ${notOne} without exactly one code`)
        // The deliveries' audit rows name each code once, each with the order the code is bound to.
        const { rows: audit } = await dbConnection.raw(
          `select count(*)::int as n, count(distinct x.code_id)::int as distinct_codes,
                  count(*) filter (where c.order_id is distinct from a.order_id)::int as mismatched
             from card_audit_log a cross join lateral jsonb_array_elements_text(a.code_ids::jsonb) as x(code_id)
             left join card_code c on c.id = x.code_id
            where a.action = 'deliver' and a.order_id = any(?)`,
          [orders]
        )
        const { rows: elsewhere } = await dbConnection.raw(
          `select count(*)::int as n from card_code where pool_id = ? and order_id is not null and not (order_id = any(?))`,
          [poolId, orders]
        )
        const a = audit[0] as { n: number; distinct_codes: number; mismatched: number }
        if (a.n !== orders.length || a.distinct_codes !== orders.length || a.mismatched || elsewhere[0].n) {
          fail(`${at}: ${a.n} codes delivered per the audit log (${a.distinct_codes} distinct, ${a.mismatched} bound to another order) for ${orders.length} orders; ${elsewhere[0].n} codes bound to other orders`)
        }
        const total = Object.values(counts).reduce((s, n) => s + n, 0)
        const { rows: batches } = await dbConnection.raw(`select coalesce(sum(code_count), 0)::int as n from card_batch where pool_id = ?`, [poolId])
        if (total !== K || batches[0].n !== K) fail(`${at}: conservation broken, the pool's codes by status add up to ${total} and its batches to ${batches[0].n}, not ${K}`)
        ordersChecked += orders.length
        codesChecked += a.n
      }

      const sides = await alternate<SideResult>(
        LEVELS.length,
        async (r) => sell("ordinary", LEVELS[r], r % 2 === 0 ? "first" : "second"),
        async (r) => sell("virtual", LEVELS[r], r % 2 === 0 ? "second" : "first")
      )
      const rows: Row[] = LEVELS.map((buyers, r) => {
        const ordinary = sides.a[r]
        const virtual = sides.b[r]
        const row: Row = {
          buyers,
          stock: K,
          ordinary,
          virtual,
          ratio_completions_per_second: ordinary.completions_per_second ? ratio(virtual.completions_per_second, ordinary.completions_per_second) : null,
        }
        log(
          `${buyers} buyers for ${K}: orders/s until the last order, virtual ${virtual.completions_per_second} vs ordinary ${ordinary.completions_per_second} ` +
            `(baseline: ${ordinary.orders} orders, ${ordinary.outcomes["5xx"]} × 5xx, ${ordinary.outcomes["409"]} × 409, ${ordinary.unsold} unsold): ratio ${row.ratio_completions_per_second ?? "n/a"}`
        )
        if (!ordinary.outcomes["5xx"] && !ordinary.outcomes["409"]) log(`note: the baseline had no 5xx and no 409 this time (Medusa's lock held up at ${buyers} buyers)`)
        return row
      })

      const met = (ok: boolean) => (ok ? "met" : "NOT met")
      const v = rows.map((r) => r.virtual)
      const goals = {
        virtual_5xx_zero: v.every((s) => s.outcomes["5xx"] === 0),
        virtual_orders_exactly_k: v.every((s) => s.orders === K),
        virtual_unsold_zero: v.every((s) => s.unsold === 0 && s.held_without_order === 0),
      }
      log(
        `goals: virtual 5xx = 0: ${met(goals.virtual_5xx_zero)}; virtual orders = ${K} exactly: ${met(goals.virtual_orders_exactly_k)}; ` +
          `virtual unsold = 0: ${met(goals.virtual_unsold_zero)}`
      )
      log(`checked: ${fmt(ordersChecked)} virtual orders with one delivered code each, ${fmt(codesChecked)} codes delivered once, conservation per pool`)
      log(`peak RSS of this benchmark process (the Medusa app and the HTTP client): ${peakRssMb()} MB`)
      const workerRss = worker?.peakRssMb()
      if (worker) log(`peak RSS of the worker process: ${workerRss} MB`)
      if (failures.length) throw new Error(`flash sale: ${failures.length} check(s) failed:\n- ${failures.join("\n- ")}`)

      await writeResult({
        area: TOPOLOGY === "worker" ? "flash_sale_worker" : "flash_sale",
        topology: TOPOLOGY,
        stock: K,
        levels: LEVELS,
        client: { sockets: "one keep-alive socket per buyer, opened before the burst", timeout_ms: CLIENT_TIMEOUT_MS },
        goals,
        rows,
        checks: { virtual_orders: ordersChecked, codes_delivered_once: codesChecked },
        peak_rss_mb_of_app_and_client: peakRssMb(),
        peak_rss_mb_of_worker: workerRss ?? null,
      })
    })
  },
})
