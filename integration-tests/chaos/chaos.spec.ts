import crypto from "crypto"
import fs from "fs"
import http from "http"
import os from "os"
import path from "path"
import { Client } from "pg"
import { AddressInfo } from "net"
import { spawnApp } from "../helpers/app-process"
import { emptyRedis, testDatabaseUrl } from "../helpers/worker"
import { invariantReport, ChaosFacts } from "./invariants"

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startCluster, waitUntilAllUp } = require("../../scripts/lib/cluster")

/**
 * The chaos test: the scale-out deployment (three API servers, a worker, Redis, one PostgreSQL — scripts/lib/cluster.js,
 * the same launcher as `npm run cluster`) under mixed traffic — shoppers racing for the last codes of three pools,
 * receipts revealing codes, refunds, wholesale orders retried with their Idempotency-Key, an import, a key rotation,
 * webhooks to an agent endpoint that fails every third call — while API servers and the worker are killed with
 * SIGKILL and restarted. Then it waits for the system to settle and checks, from the database: conservation per pool,
 * no code in two orders, every paid order delivered/refunded/held, every agent order booked once, no webhook lost,
 * every job once per tick, the audit chain. Size: CHAOS_SECONDS (traffic, default 100), CHAOS_KILLS (default 4),
 * CHAOS_SHOPPERS (default 3), CHAOS_AGENT_LOOPS (default 2), CHAOS_CODES (default "20,30,60").
 */
const SECONDS = Number(process.env.CHAOS_SECONDS || 100)
const KILLS = Number(process.env.CHAOS_KILLS || 4)
const SHOPPERS = Number(process.env.CHAOS_SHOPPERS || 3)
const AGENT_LOOPS = Number(process.env.CHAOS_AGENT_LOOPS || 2)
const REDIS_URL = process.env.CHAOS_REDIS_URL || "redis://localhost:6379/9"
const DB = process.env.CHAOS_DB || "vg_chaos"
const BASE_PORT = Number(process.env.CHAOS_BASE_PORT || 9811)
const SETTLE_MS = Number(process.env.CHAOS_SETTLE_SECONDS || 240) * 1000
const IMPORTED = 10

jest.setTimeout(45 * 60_000)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const key32 = () => crypto.randomBytes(32).toString("base64")
type Answer = { status: number; data: any }

function medusaRun(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const app = spawnApp(args, env)
  let all = ""
  app.child.stdout!.on("data", (c) => (all += c))
  app.child.stderr!.on("data", (c) => (all += c))
  return app.exit.then(() => ({ code: app.child.exitCode, output: all }))
}

describe("chaos: three API servers and a worker, killed and restarted under mixed traffic", () => {
  let cluster: any
  let receiver: http.Server | undefined
  let pg: Client
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "vg-chaos-"))

  afterAll(async () => {
    await cluster?.stop().catch(() => {})
    await new Promise((r) => (receiver ? receiver.close(() => r(null)) : r(null)))
    await pg?.end().catch(() => {})
  })

  it("keeps every promise while processes die", async () => {
    const started = Date.now()
    // A database and a Redis database of its own, empty.
    const admin = new Client({ connectionString: testDatabaseUrl("postgres") })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)
    await admin.query(`CREATE DATABASE ${DB}`)
    await admin.end()
    await emptyRedis(REDIS_URL)

    const [k1, k2] = [key32(), key32()]
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(DB),
      NODE_ENV: "test",
      LOG_LEVEL: "error",
      NODE_OPTIONS: "--no-warnings",
      VIRTUAL_GOODS_BLIND_INDEX_KEY: process.env.VIRTUAL_GOODS_BLIND_INDEX_KEY || key32(),
      VIRTUAL_GOODS_ENCRYPTION_KEYS: `1:${k1}`,
      VIRTUAL_GOODS_PRIMARY_KEY_VERSION: "1",
    }
    const migrated = await medusaRun(["db:migrate", "--execute-safe-links"], base)
    if (migrated.code !== 0) throw new Error(`db:migrate failed:\n${migrated.output.slice(-3000)}`)
    const seeded = await medusaRun(["exec", "./integration-tests/chaos/seed.ts"], base)
    const seedLine = /CHAOS_SEED=(\{.*\})/.exec(seeded.output)
    if (seeded.code !== 0 || !seedLine) throw new Error(`the chaos seed failed:\n${seeded.output.slice(-3000)}`)
    const seed = JSON.parse(seedLine[1]) as {
      store: { region_id: string; publishable_key: string; products: { handle: string; variant_id: string; pool_id: string }[] }
      admin: Record<string, string>
    }
    const [stream, points, voucher] = seed.store.products

    // The agent's webhook endpoint: every third call fails with a 500.
    const received = new Map<string, number>()
    let hookCalls = 0
    receiver = http.createServer((req, res) => {
      let body = ""
      req.on("data", (c) => (body += c))
      req.on("end", () => {
        hookCalls += 1
        if (hookCalls % 3 === 0) return void res.writeHead(500).end()
        const id = String(req.headers["x-vg-delivery"])
        received.set(id, (received.get(id) ?? 0) + 1)
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((r) => receiver!.listen(0, "127.0.0.1", r))
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/chaos`

    // The cluster: a second key, primary from now on (codes sealed with key 1 are rotated during the traffic).
    const env: NodeJS.ProcessEnv = {
      ...base,
      REDIS_URL,
      VIRTUAL_GOODS_ENCRYPTION_KEYS: `1:${k1},2:${k2}`,
      VIRTUAL_GOODS_PRIMARY_KEY_VERSION: "2",
      VIRTUAL_GOODS_ALLOW_PRIVATE_WEBHOOKS: "true",
      // Two attempts (30 s apart): a webhook is delivered or dead-lettered within a few minutes.
      VIRTUAL_GOODS_WEBHOOK_MAX_ATTEMPTS: "2",
      // Shoppers come from many addresses through the balancer (x-forwarded-for), as behind a real proxy.
      VIRTUAL_GOODS_TRUSTED_PROXIES: "loopback",
    }
    const bootStarted = Date.now()
    cluster = await startCluster({ env, servers: 3, basePort: BASE_PORT, balancerPort: 0, logDir })
    const bootMs = Date.now() - bootStarted
    const url = `http://127.0.0.1:${cluster.port}`
    pg = new Client({ connectionString: testDatabaseUrl(DB) })
    await pg.connect()

    const statuses: Record<string, number> = {}
    const refusals = new Set<string>()
    const count = (what: string, status: number) => (statuses[`${what} ${status}`] = (statuses[`${what} ${status}`] ?? 0) + 1)
    const call = async (what: string, method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
      let answer: Answer
      try {
        const res = await fetch(url + p, {
          method,
          headers: { "content-type": "application/json", ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(90_000),
        })
        const text = await res.text()
        let data: unknown = text
        try {
          data = JSON.parse(text)
        } catch {
          // not JSON
        }
        answer = { status: res.status, data }
      } catch (e) {
        answer = { status: 0, data: String(e) }
      }
      count(what, answer.status)
      if (answer.status >= 400 && answer.data?.message) refusals.add(`${what} ${answer.status}: ${String(answer.data.message).replace(/[a-z]+_[0-9A-Z]{26}/g, "<id>").slice(0, 120)}`)
      return answer
    }
    // A request cut off by a dying server (502, 503, no answer) is sent again, as a client would.
    const retrying = async (what: string, send: () => Promise<Answer>, tries = 10): Promise<Answer> => {
      let answer: Answer = { status: 0, data: null }
      for (let i = 0; i < tries; i++) {
        answer = await send()
        if (![0, 502, 503].includes(answer.status)) return answer
        count(`${what} retried`, answer.status)
        await sleep(400 * (i + 1))
      }
      return answer
    }
    const shop = { "x-publishable-api-key": seed.store.publishable_key }
    const adm = seed.admin

    // An agent with credit, a key and the failing webhook endpoint.
    const agentRes = await retrying("setup", () => call("setup", "POST", "/admin/virtual-goods/agents", { name: "Chaos reseller", currency_code: "usd" }, adm))
    const agentId = agentRes.data.agent.id
    await retrying("setup", () => call("setup", "POST", `/admin/virtual-goods/agents/${agentId}/topups`, { currency_code: "usd", amount: "100000" }, adm))
    const keyRes = await retrying("setup", () =>
      call("setup", "POST", `/admin/virtual-goods/agents/${agentId}/api-keys`, { name: "erp", scopes: ["catalog:read", "orders:read", "orders:write"] }, adm)
    )
    const agentKey = keyRes.data.key as string
    const hookSet = await retrying("setup", () => call("setup", "POST", `/admin/virtual-goods/agents/${agentId}/webhook`, { url: hookUrl }, adm))
    expect(hookSet.status).toBe(200)

    const facts: ChaosFacts = { placed: [], wholesale: new Map(), reveals: 0, revealMismatches: [], refunded: [], kills: [], errors: [] }
    const trafficStarted = Date.now()
    const until = trafficStarted + SECONDS * 1000

    async function shopper(n: number) {
      for (let i = 0; Date.now() < until; i++) {
        const product = [stream, stream, points, voucher][i % 4]
        // Each purchase from its own address: the per-address rate limits are for attackers, not for this crowd.
        const sh = { ...shop, "x-forwarded-for": `10.${n}.${Math.floor(i / 250)}.${i % 250}` }
        const cart = await retrying("cart", () =>
          call("cart", "POST", "/store/carts", { region_id: seed.store.region_id, email: `s${n}-${i}@chaos.test`, items: [{ variant_id: product.variant_id, quantity: 1 }] }, sh)
        )
        if (cart.status !== 200) continue
        const cartId = cart.data.cart.id as string
        const secret = crypto.randomBytes(32).toString("base64url")
        await retrying("receipt", () => call("receipt", "POST", `/store/virtual-goods/carts/${cartId}/receipt`, { secret }, sh))
        const pc = await retrying("payment", () => call("payment", "POST", "/store/payment-collections", { cart_id: cartId }, sh))
        if (pc.status !== 200) continue
        await retrying("payment", () =>
          call("payment", "POST", `/store/payment-collections/${pc.data.payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" }, sh)
        )
        const done = await retrying("complete", () => call("complete", "POST", `/store/carts/${cartId}/complete`, {}, sh))
        if (done.status === 200 && done.data.type === "order") facts.placed.push({ order_id: done.data.order.id, cart_id: cartId, secret, pool_id: product.pool_id, ip: sh["x-forwarded-for"] })
      }
    }

    async function agentLoop(n: number) {
      for (let i = 0; Date.now() < until; i++) {
        const key = `chaos-${n}-${i}`
        const order = () =>
          call("wholesale", "POST", "/wholesale/orders", { items: [{ variant_id: voucher.variant_id, quantity: 1 + (i % 2) }] }, {
            authorization: `Bearer ${agentKey}`,
            "idempotency-key": key,
          })
        const answer = await retrying("wholesale", order)
        if (answer.status === 201) {
          facts.wholesale.set(key, answer.data.order.id)
          // Every third order is sent once more with its key: the same order comes back.
          if (i % 3 === 0) {
            const again = await retrying("wholesale replay", order)
            if (again.status !== answer.status || again.data.order?.id !== answer.data.order.id) facts.errors.push(`idempotency key ${key} answered two orders`)
          }
        }
        await sleep(300)
      }
    }

    // Reveals through the receipt, and a full refund of every fifth delivered order.
    async function afterSales() {
      const seen = new Set<string>()
      while (Date.now() < until) {
        await sleep(2000)
        const ids = facts.placed.filter((o) => !seen.has(o.order_id))
        if (!ids.length) continue
        const { rows } = await pg.query(`select order_id from card_delivery where order_id = any($1) and status = 'delivered' and deleted_at is null`, [
          ids.map((o) => o.order_id),
        ])
        for (const { order_id } of rows) {
          const o = ids.find((x) => x.order_id === order_id)!
          seen.add(order_id)
          if (seen.size % 5 === 0) {
            const got = await retrying("admin", () => call("admin", "GET", `/admin/orders/${order_id}?fields=id,*payment_collections.payments`, undefined, adm))
            const payment = got.data?.order?.payment_collections?.[0]?.payments?.[0]?.id
            if (!payment) continue
            const refund = await retrying("refund", () => call("refund", "POST", `/admin/payments/${payment}/refund`, {}, adm))
            if (refund.status === 200) facts.refunded.push(order_id)
          } else if (seen.size % 2 === 0) {
            const opened = await retrying("reveal", () => call("reveal", "POST", "/store/virtual-goods/receipts/reveal", { order_id, secret: o.secret }, { ...shop, "x-forwarded-for": o.ip }))
            if (opened.status === 200) {
              facts.reveals += 1
              for (const c of opened.data.card_codes ?? []) if (!/^(STREAM|POINTS|GIFT)-[0-9A-F-]+$/.test(c.code)) facts.revealMismatches.push(`${order_id}: ${c.mask}`)
            }
          }
        }
      }
    }

    // The operator: an import a third of the way in, the key rotation half way.
    async function operator() {
      await sleep((SECONDS * 1000) / 3)
      const codes = Array.from({ length: IMPORTED }, (_, i) => `STREAM-${crypto.randomBytes(6).toString("hex").toUpperCase()}-${i}`)
      const imp = await retrying("import", () => call("import", "POST", `/admin/virtual-goods/pools/${stream.pool_id}/imports`, { codes }, adm))
      if (imp.status !== 200) facts.errors.push(`the import answered ${imp.status}: ${JSON.stringify(imp.data).slice(0, 300)}`)
      await sleep(Math.max(0, trafficStarted + (SECONDS * 1000) / 2 - Date.now()))
      const rotated = await medusaRun(["exec", "./src/scripts/rotate-keys.ts"], env)
      facts.rotation = /Re-encrypted (\d+) codes under key version (\d+); (\d+) remaining/.exec(rotated.output)?.[0] ?? `exit ${rotated.code}: ${rotated.output.slice(-500)}`
    }

    // The monkey: SIGKILL the worker and a random API server in turn, evenly over the traffic.
    async function monkey() {
      for (let k = 0; k < KILLS; k++) {
        await sleep(Math.max(0, trafficStarted + ((k + 1) * SECONDS * 1000) / (KILLS + 1) - Date.now()))
        const targets = k % 2 === 0 ? [cluster.worker] : cluster.servers.filter((s: any) => s.state === "up")
        const target = targets[crypto.randomInt(targets.length)]
        if (target?.kill()) facts.kills.push({ member: target.name, at_s: Math.round((Date.now() - trafficStarted) / 1000) })
      }
    }

    await Promise.all([
      ...Array.from({ length: SHOPPERS }, (_, n) => shopper(n)),
      ...Array.from({ length: AGENT_LOOPS }, (_, n) => agentLoop(n)),
      afterSales(),
      operator(),
      monkey(),
    ])
    const trafficMs = Date.now() - trafficStarted

    // Settle: every process up again, then the reconcilers finish what the kills cut off.
    await waitUntilAllUp(cluster)
    const settleStarted = Date.now()
    const report = await (async () => {
      for (;;) {
        const r = await invariantReport(pg, { facts, received, pools: seed.store.products, imported: { [stream.pool_id]: IMPORTED }, trafficStarted })
        if (r.settled || Date.now() - settleStarted > SETTLE_MS) return r
        await sleep(3000)
      }
    })()
    const verify = await retrying("verify", () => call("verify", "GET", "/admin/virtual-goods/audit-logs/verify", undefined, adm))
    // The admin's view of the tick ledger agrees: the sweep ran, no tick twice, newest first.
    const since = new Date(trafficStarted - 60_000).toISOString()
    const summary = await retrying("ticks", () => call("ticks", "GET", `/admin/virtual-goods/job-ticks/summary?since=${since}`, undefined, adm))
    const sweeps = await retrying("ticks", () => call("ticks", "GET", "/admin/virtual-goods/job-ticks?job_name=virtual-goods-sweep&limit=2", undefined, adm))

    const recoveries = cluster.events.filter((e: any) => e.event === "up" && e.recovered_ms != null).map((e: any) => `${e.member} ${e.recovered_ms} ms`)
    const lines = [
      `chaos: ${SECONDS} s of traffic (${Math.round(trafficMs / 1000)} s), boot ${Math.round(bootMs / 1000)} s, settled in ${Math.round((Date.now() - settleStarted) / 1000)} s, total ${Math.round((Date.now() - started) / 1000)} s`,
      `kills: ${facts.kills.map((k) => `${k.member} at ${k.at_s} s`).join(", ")}`,
      `recovered (kill → /health 200): ${recoveries.join(", ")}`,
      `requests per server: ${JSON.stringify(cluster.balancer.counts)}`,
      `answers: ${JSON.stringify(statuses)}`,
      `store orders placed ${facts.placed.length}, reveals ${facts.reveals}, refunds ${facts.refunded.length}; wholesale answered ${facts.wholesale.size}; webhook calls ${hookCalls}`,
      `refusals: ${[...refusals].join(" | ")}`,
      `rotation: ${facts.rotation}`,
      ...report.lines,
      `audit chain: ${verify.data?.audit_chain?.ok ? "verifies" : `BROKEN ${JSON.stringify(verify.data).slice(0, 500)}`}`,
    ]
    console.log(lines.join("\n"))
    expect(facts.kills.length).toBe(KILLS)
    expect(recoveries.length).toBeGreaterThanOrEqual(KILLS)
    expect(facts.errors).toEqual([])
    expect(facts.revealMismatches).toEqual([])
    expect(report.problems).toEqual([])
    expect(report.settled).toBe(true)
    expect(verify.data.audit_chain.ok).toBe(true)
    expect(facts.rotation).toMatch(/; 0 remaining$/)
    const sweepSummary = summary.data.jobs.find((j: { job_name: string }) => j.job_name === "virtual-goods-sweep")
    expect(sweepSummary).toEqual(expect.objectContaining({ duplicates: 0, failed: 0 }))
    expect(sweepSummary.runs).toBeGreaterThanOrEqual(2)
    expect(summary.data.jobs.every((j: { duplicates: number }) => j.duplicates === 0)).toBe(true)
    expect(sweeps.data.count).toBeGreaterThanOrEqual(sweepSummary.runs)
    expect(sweeps.data.job_ticks).toHaveLength(2)
    expect(Date.parse(sweeps.data.job_ticks[0].tick_at)).toBeGreaterThan(Date.parse(sweeps.data.job_ticks[1].tick_at))
    // Traffic really reached every server.
    expect(Object.keys(cluster.balancer.counts).sort()).toEqual(["server-1", "server-2", "server-3"])
    expect(facts.placed.length).toBeGreaterThan(0)
    expect(facts.wholesale.size).toBeGreaterThan(0)
  })
})
