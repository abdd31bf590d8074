import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { CARD_VAULT_MODULE } from "../src/modules/card-vault"
import type CardVaultModuleService from "../src/modules/card-vault/service"
import { createAdminHeaders, createVirtualStore, explainHttpErrors } from "../integration-tests/helpers"
import { recordPendingAgentOrders } from "../src/jobs/agent-order-bookkeeping"
import { emptyRedis, startTestWorker, WorkerProcess } from "../integration-tests/helpers/worker"
import { ClaimLedger, combine, concurrent, fillPool, fmt, goalText, log, peakRssMb, percentile, QUICK, rotate, Round, SYSTEM, writeResult } from "./support"

jest.setTimeout(3_600_000)

/**
 * Topology. `shared` (default): one process answers the agents and records their Medusa orders (the bookkeeping,
 * started by the `agent_order.placed` event) with the in-memory event bus and workflow engine, as `medusa develop`
 * does. `worker`: Medusa's production deployment — this process serves the API only (MEDUSA_WORKER_MODE=server) and a
 * worker process (`medusa start`, MEDUSA_WORKER_MODE=worker) does the bookkeeping, both on the Redis event bus,
 * workflow engine and locking. Set before the runner loads medusa-config.
 */
const TOPOLOGY = process.env.BENCH_TOPOLOGY === "worker" ? "worker" : "shared"
const REDIS_URL = process.env.BENCH_REDIS_URL || "redis://localhost:6379/7"
const DB = process.env.BENCH_DB || (TOPOLOGY === "worker" ? "vg_bench_wholesale_worker" : "vg_bench_wholesale")
if (TOPOLOGY === "worker") {
  process.env.REDIS_URL = REDIS_URL
  process.env.MEDUSA_WORKER_MODE = "server"
}
// One client address sends every order: measure the orders, not the rate limits.
process.env.VIRTUAL_GOODS_RATE_LIMITS = JSON.stringify({ wholesale: { ip: [1000000, 60], actor: [1000000, 60] } })

/** ours / baseline with three significant digits: a full order is orders of magnitude slower than a claim. */
const ratio3 = (ours: number, base: number) => (base > 0 ? Number((ours / base).toPrecision(3)) : 0)
const round2 = (n: number) => Math.round(n * 100) / 100

/**
 * Wholesale orders through the agent API (`POST /wholesale/orders`: the key, risk rules, quota, price floor, the claim,
 * the ledger posting with commissions and the agent order in one transaction, then the codes revealed and audited in
 * the response) against our own claim alone (`reserveForCart` of the vault for a fresh key, in process, on the same
 * app), for 1 and 100 codes per request at 1 and 4 concurrent clients, alternating rounds. The baseline claims from a
 * pool of its own of the same size. Goals for 1-code orders at 4 clients: ≥ 0.25x the claim's rate and p95 ≤ 100 ms.
 * The Medusa orders are recorded by the bookkeeping meanwhile, in this process or in the worker (see TOPOLOGY);
 * afterwards the run waits for it and reports the lag from answer to recorded Medusa order. Checked at the end: every order
 * returned exactly its codes, no code id came back twice (orders and claims together), each agent's ledger debits equal
 * the totals of its orders, and every answered order has exactly one Medusa order holding its codes.
 */
medusaIntegrationTestRunner({
  dbName: DB,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let worker: WorkerProcess | undefined
    afterAll(async () => {
      await worker?.stop()
    })

    it("wholesale: orders through the API vs our claim", async () => {
      explainHttpErrors(api)
      const container = getContainer()
      if (TOPOLOGY === "worker") {
        await emptyRedis(REDIS_URL)
        const t0 = Date.now()
        worker = await startTestWorker({ database: DB, redisUrl: REDIS_URL, port: Number(process.env.BENCH_WORKER_PORT) || 9772 })
        log(`worker process started (medusa start, MEDUSA_WORKER_MODE=worker) in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
      }
      const vault = container.resolve(CARD_VAULT_MODULE) as CardVaultModuleService
      const admin = await createAdminHeaders(container)

      const batches = [1, 100]
      const levels = [1, 4]
      const rounds = QUICK ? 1 : 3
      const envPerRound = Number(process.env.BENCH_WHOLESALE_PER_ROUND) || 0
      const perRound = (n: number) => envPerRound || (QUICK ? 4 : n === 1 ? 20 : 10)
      const warmup = 2
      // Codes each side takes: timed requests at every concurrency plus the warm-up, for every batch size.
      const codesPerSide = batches.reduce((s, n) => s + n * (levels.length * rounds * perRound(n) + warmup), 0)
      const margin = 50

      const t0 = Date.now()
      const store = await createVirtualStore(container, codesPerSide + margin)
      const { variant_id, pool_id } = store.products[0]
      const baseFill = await fillPool(vault, "claim baseline", codesPerSide + margin)
      log(
        `pools of ${fmt(codesPerSide + margin)} codes each: the store's (for orders) and the baseline's (vault import at ` +
          `${fmt(baseFill.codes_per_second)} codes/s), set up in ${((Date.now() - t0) / 1000).toFixed(1)} s`
      )

      // One agent per concurrent client, each topped up far beyond what the run spends.
      const clients = Math.max(...levels)
      const agents: { id: string; key: string }[] = []
      for (let i = 0; i < clients; i++) {
        const { data } = await api.post(`/admin/virtual-goods/agents`, { currency_code: "usd", name: `Bench agent ${i + 1}` }, admin)
        await api.post(`/admin/virtual-goods/agents/${data.agent.id}/topups`, { currency_code: "usd", amount: "100000000" }, admin)
        const { data: k } = await api.post(
          `/admin/virtual-goods/agents/${data.agent.id}/api-keys`,
          { name: "bench", scopes: ["catalog:read", "orders:read", "orders:write"] },
          admin
        )
        agents.push({ id: data.agent.id, key: k.key })
      }

      const ledger = new ClaimLedger()
      const totals = new Map<string, string[]>(agents.map((a) => [a.id, []]))
      let wholesaleOrders = 0
      let wholesaleCodes = 0
      let baselineClaims = 0
      let baselineCodes = 0

      const order = async (n: number, tag: string, i: number) => {
        const agent = agents[i % agents.length]
        const res = await api.post(
          `/wholesale/orders`,
          { items: [{ variant_id, quantity: n }] },
          { headers: { authorization: `Bearer ${agent.key}`, "idempotency-key": `bench-${tag}-${i}` } }
        )
        if (res.status !== 201) throw new Error(`wholesale order ${tag}-${i}: HTTP ${res.status}`)
        const codes = res.data.order?.items?.[0]?.codes ?? []
        if (res.data.order.items.length !== 1 || codes.length !== n) {
          throw new Error(`wholesale order ${tag}-${i}: ${codes.length} codes returned, ${n} ordered`)
        }
        for (const c of codes) {
          if (typeof c.code !== "string" || !c.code) throw new Error(`wholesale order ${tag}-${i}: code ${c.id} returned without its plaintext`)
          ledger.add(c.id, "wholesale order")
        }
        totals.get(agent.id)!.push(String(res.data.order.total))
        wholesaleOrders++
        wholesaleCodes += codes.length
      }
      const claim = async (n: number, tag: string, i: number) => {
        const { reserved_code_ids } = await vault.reserveForCart({
          cart_id: `wholesale:bench_${tag}_${i}`,
          items: [{ pool_id: baseFill.pool_id, quantity: n }],
          actor: SYSTEM,
        })
        if (reserved_code_ids.length !== n) throw new Error(`baseline claim ${tag}-${i}: ${reserved_code_ids.length} codes, ${n} asked`)
        for (const id of reserved_code_ids) ledger.add(id, "baseline claim")
        baselineClaims++
        baselineCodes += n
      }

      // The floor of any agent request: `GET /wholesale/me`, the cheapest authenticated route of the agent API (the same
      // Medusa HTTP stack, rate limits and API-key check as an order, then one read of the agent and its accounts).
      let floorRequests = 0
      const floor = async (i: number) => {
        const agent = agents[i % agents.length]
        const res = await api.get(`/wholesale/me`, { headers: { authorization: `Bearer ${agent.key}` } })
        if (res.status !== 200 || res.data.agent?.id !== agent.id) throw new Error(`GET /wholesale/me: HTTP ${res.status}`)
        floorRequests++
      }
      for (let i = 0; i < warmup; i++) await floor(i)

      const rows: any[] = []
      for (const n of batches) {
        // Untimed warm-up of both paths for this batch size (routes, workflow, caches, connections).
        for (let i = 0; i < warmup; i++) {
          await order(n, `warmup${n}`, i)
          await claim(n, `warmup${n}`, i)
        }
        for (const workers of levels) {
          const count = perRound(n)
          const tag = (r: number) => `${n}_${workers}_${r}`
          // For 1-code orders the floor runs too, in the same rotation.
          const sides = await rotate<Round>(rounds, [
            (r) => concurrent(workers, count, (i) => claim(n, tag(r), i)),
            (r) => concurrent(workers, count, (i) => order(n, tag(r), i)),
            ...(n === 1 ? [(_r: number) => concurrent(workers, count, (i) => floor(i))] : []),
          ])
          const base = combine(sides[0])
          const ours = combine(sides[1])
          const floorStats = n === 1 ? combine(sides[2]) : null
          const row = {
            codes_per_request: n,
            concurrency: workers,
            requests_per_side: ours.ops,
            codes_per_side: ours.ops * n,
            baseline: { ...base, codes_per_second: round2(base.per_second * n) },
            wholesale: { ...ours, codes_per_second: round2(ours.per_second * n) },
            ratio: ratio3(ours.per_second, base.per_second),
            floor: floorStats,
            floor_over_claim: floorStats ? ratio3(floorStats.per_second, base.per_second) : null,
            order_over_floor: floorStats ? ratio3(ours.per_second, floorStats.per_second) : null,
          }
          rows.push(row)
          const goal = n === 1 && workers === 4 ? `${goalText(row.ratio, 0.25)}; p95 goal ≤ 100 ms: ${ours.p95_ms <= 100 ? "met" : "NOT met"}` : "reported"
          Object.assign(row, { goal_met: n === 1 && workers === 4 ? row.ratio >= 0.25 && ours.p95_ms <= 100 : null })
          log(
            `wholesale, ${n} code(s) per request, ${workers} client(s): claim baseline ${base.per_second} req/s = ${row.baseline.codes_per_second} codes/s ` +
              `(p50 ${base.p50_ms} ms, p95 ${base.p95_ms} ms), wholesale orders ${ours.per_second} req/s = ${row.wholesale.codes_per_second} codes/s ` +
              `(p50 ${Math.round(ours.p50_ms)} ms, p95 ${Math.round(ours.p95_ms)} ms): ratio ${row.ratio} (${goal})` +
              (floorStats
                ? `; floor GET /wholesale/me ${floorStats.per_second} req/s (p50 ${floorStats.p50_ms} ms, p95 ${floorStats.p95_ms} ms) = ` +
                  `${row.floor_over_claim}x the claim, orders ${row.order_over_floor}x the floor`
                : "")
          )
        }
      }

      // The bookkeeping catches up: every answered order gets exactly one Medusa order holding its codes.
      const t1 = Date.now()
      if (TOPOLOGY === "worker") {
        // The worker records them (its subscriber and job): wait until none is pending.
        const deadline = Date.now() + 30 * 60_000
        for (;;) {
          const { rows } = await dbConnection.raw(`select count(*)::int as n from agent_order where bookkeeping_status = 'pending'`)
          if (!rows[0].n) break
          if (Date.now() > deadline) throw new Error(`bookkeeping: ${rows[0].n} orders still pending after 30 minutes`)
          await new Promise((r) => setTimeout(r, 500))
        }
      } else {
        await recordPendingAgentOrders(container)
      }
      const drainSeconds = round2((Date.now() - t1) / 1000)
      const { rows: books } = await dbConnection.raw(
        `select a.id, a.bookkeeping_status as status, a.bookkeeping_attempts as attempts, a.bookkeeping_error as error, extract(epoch from (a.bookkept_at - a.completed_at)) * 1000 as lag_ms,
                (select count(*) from "order" o where o.metadata->>'agent_order_id' = a.id)::int as medusa_orders,
                (select count(*) from card_code c where c.order_id = a.order_id)::int as codes,
                (select coalesce(sum((i->>'quantity')::int), 0) from jsonb_array_elements(a.items) i)::int as quantity
           from agent_order a where a.status = 'completed'`
      )
      const unbooked = books.filter((b: any) => b.status !== "done" || b.medusa_orders !== 1 || b.codes !== b.quantity)
      if (books.length !== wholesaleOrders || unbooked.length) {
        throw new Error(
          `bookkeeping: ${books.length} answered orders (${wholesaleOrders} placed), ${unbooked.length} without exactly one Medusa order holding their codes: ` +
            JSON.stringify(unbooked.slice(0, 5).map(({ lag_ms, ...b }: any) => b))
        )
      }
      const lags = books.map((b: any) => Number(b.lag_ms)).sort((a: number, b: number) => a - b)
      const lag = { orders: lags.length, p50_ms: Math.round(percentile(lags, 50)), p95_ms: Math.round(percentile(lags, 95)), max_ms: Math.round(lags[lags.length - 1]), drained_after_run_seconds: drainSeconds }
      log(
        `bookkeeping (answer → Medusa order recorded, ${TOPOLOGY === "worker" ? "by the worker process" : "same process"}): p50 ${lag.p50_ms} ms, p95 ${lag.p95_ms} ms, max ${lag.max_ms} ms; ` +
          `${drainSeconds} s to catch up after the last answer; every one of ${fmt(books.length)} orders has exactly one Medusa order with its codes`
      )

      // Each agent's ledger debits equal the totals of the orders it was answered with, and of its completed orders.
      const ledgerChecks: any[] = []
      for (const a of agents) {
        const answered = totals.get(a.id)!
        const { rows: check } = await dbConnection.raw(
          `select (select trim_scale(coalesce(sum(-amount), 0))::text from agent_ledger_entry where agent_id = ? and kind = 'purchase') as debited,
                  (select trim_scale(coalesce(sum(t::numeric), 0))::text from unnest(?::text[]) t) as answered,
                  (select trim_scale(coalesce(sum(total::numeric), 0))::text from agent_order where agent_id = ? and status = 'completed') as ordered,
                  (select count(*)::int from agent_order where agent_id = ? and status = 'completed') as orders`,
          [a.id, answered, a.id, a.id]
        )
        const c = check[0]
        if (c.debited !== c.answered || c.debited !== c.ordered || c.orders !== answered.length) {
          throw new Error(
            `agent ${a.id}: ledger debits ${c.debited}, totals of its ${answered.length} answered orders ${c.answered}, ` +
              `of its ${c.orders} completed orders ${c.ordered}`
          )
        }
        ledgerChecks.push({ agent_id: a.id, orders: c.orders, debited: c.debited })
      }
      // What the vault holds matches what was handed out: the orders' codes revealed, the claims' codes reserved.
      const { rows: vaultCheck } = await dbConnection.raw(
        `select (select count(*)::int from card_code where pool_id = ? and status = 'revealed' and order_id is not null) as revealed,
                (select count(*)::int from card_code where pool_id = ? and status = 'reserved') as reserved`,
        [pool_id, baseFill.pool_id]
      )
      if (vaultCheck[0].revealed !== wholesaleCodes || vaultCheck[0].reserved !== baselineCodes) {
        throw new Error(
          `vault: ${vaultCheck[0].revealed} codes revealed to orders (${wholesaleCodes} returned), ${vaultCheck[0].reserved} reserved by claims (${baselineCodes} claimed)`
        )
      }
      log(
        `checked: ${fmt(wholesaleOrders)} wholesale orders with exactly their codes (${fmt(wholesaleCodes)}), ${fmt(baselineClaims)} baseline claims ` +
          `(${fmt(baselineCodes)} codes), no code id twice (${fmt(ledger.size)}); ledger debits = order totals for ${agents.length} agents`
      )
      log(`peak RSS of this benchmark process (the Medusa app and the HTTP client): ${peakRssMb()} MB`)

      await writeResult({
        area: TOPOLOGY === "worker" ? "wholesale_worker" : "wholesale",
        topology: TOPOLOGY,
        peak_rss_mb_of_worker: worker?.peakRssMb() ?? null,
        goal: "1-code orders at 4 clients: ≥ 0.25x the claim's rate and p95 ≤ 100 ms; other rows reported",
        bookkeeping_lag: lag,
        rounds,
        warmup_requests_per_batch: warmup,
        agents: agents.length,
        pool_size: codesPerSide + margin,
        rows,
        checks: {
          orders: wholesaleOrders,
          order_codes: wholesaleCodes,
          baseline_claims: baselineClaims,
          baseline_codes: baselineCodes,
          floor_requests: floorRequests,
          distinct_code_ids: ledger.size,
          ledger: ledgerChecks,
        },
        peak_rss_mb: peakRssMb(),
      })
    })
  },
})
