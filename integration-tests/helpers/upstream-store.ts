import { execFile } from "child_process"
import http from "http"
import type { AddressInfo } from "net"
import { promisify } from "util"
import { medusaCli, ROOT, spawnApp, waitForHealth } from "./app-process"
import { testDatabaseUrl } from "./worker"

const run = promisify(execFile)

export type UpstreamStore = {
  /** The store's root URL (`http://127.0.0.1:<port>`). */
  url: string
  /** Headers of its admin user (a bearer token from its own login). */
  admin: Record<string, string>
  /** Sends a JSON request to the store; resolves with the status and parsed body whatever the status. */
  request: (method: string, p: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; data: any }>
  /** Stops the store (SIGTERM to its process group, SIGKILL after 10 s); resolves once it has exited. */
  stop: () => Promise<void>
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = http.createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/** Drops and creates a database on the test PostgreSQL. */
async function recreateDatabase(database: string) {
  const { Client } = require("pg")
  const client = new Client({ connectionString: testDatabaseUrl("postgres") })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
    await client.query(`CREATE DATABASE "${database}"`)
  } finally {
    await client.end()
  }
}

/**
 * Starts this repository's app as a second, separate store (another site running the plugin) in a child process:
 * its own database (dropped and created, migrated with `medusa db:migrate`), no Redis (in-memory event bus, workflow
 * engine and locking), an admin user made with `medusa user` and logged in over HTTP, and `medusa start` on `port`.
 * Resolves once /health answers. The child runs in its own process group, which `stop` ends; it is also killed if this
 * process exits first.
 */
export async function startUpstreamStore(options: { database: string; port?: number; env?: Record<string, string>; timeoutMs?: number }): Promise<UpstreamStore> {
  const port = options.port ?? (await freePort())
  const cli = medusaCli()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    DATABASE_URL: testDatabaseUrl(options.database),
    MEDUSA_ADMIN_DISABLED: "true",
    MEDUSA_WORKER_MODE: "shared",
    NODE_OPTIONS: "--no-warnings",
  }
  delete env.REDIS_URL
  const medusa = (args: string[]) => run(process.execPath, [cli, ...args], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 })

  await recreateDatabase(options.database)
  await medusa(["db:migrate", "--skip-scripts"])
  const email = "upstream-admin@test.dev"
  const password = `Upstream-${Date.now()}`
  await medusa(["user", "-e", email, "-p", password])

  const app = spawnApp(["start", "--port", String(port)], env, { detached: true })
  const child = app.child
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig)
    } catch {
      // already gone
    }
  }
  const killOnExit = () => signal("SIGKILL")
  process.once("exit", killOnExit)
  const stop = async () => {
    process.removeListener("exit", killOnExit)
    if (app.exited()) return
    signal("SIGTERM")
    const timer = setTimeout(() => signal("SIGKILL"), 10_000)
    await app.exit
    clearTimeout(timer)
  }

  try {
    await waitForHealth(app, port, "the upstream store", options.timeoutMs)
    const url = `http://127.0.0.1:${port}`
    const request: UpstreamStore["request"] = async (method, p, body, headers = {}) => {
      const res = await fetch(`${url}${p}`, {
        method,
        headers: { accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      })
      const text = await res.text()
      let data: unknown = text
      try {
        data = JSON.parse(text)
      } catch {
        // not JSON: kept as text
      }
      return { status: res.status, data }
    }
    const login = await request("POST", "/auth/user/emailpass", { email, password })
    if (login.status !== 200) throw new Error(`the upstream admin could not log in: HTTP ${login.status} ${JSON.stringify(login.data)}`)
    return { url, admin: { authorization: `Bearer ${login.data.token}` }, request, stop }
  } catch (e) {
    await stop()
    throw e
  }
}

/** An admin request to an upstream store; anything but 2xx throws with the store's answer. */
export async function upstreamAdmin(upstream: UpstreamStore, method: string, path: string, body?: unknown) {
  const res = await upstream.request(method, path, body, upstream.admin)
  if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.data)}`)
  return res.data
}

/**
 * What a downstream docks to, set up through the upstream's admin API: a region and a vault location, a published
 * product whose one variant sells from a pool (holding `codes`, if any) at `price`, a reseller tier pricing it at
 * `agent_price`, and one agent per entry of `agents` (name → opening balance) in that tier, each with an API key for
 * catalog and orders. Answers the variant, the pool and the agents' ids and keys.
 */
export async function seedUpstreamOffer(
  upstream: UpstreamStore,
  options: { product: string; variant: string; sku: string; price: number; agent_price: number; codes?: string[]; agents: Record<string, string> }
): Promise<{ variant_id: string; pool_id: string; agents: Record<string, { id: string; key: string }> }> {
  const admin = (method: string, path: string, body?: unknown) => upstreamAdmin(upstream, method, path, body)
  await admin("POST", "/admin/regions", { name: "Upstream", currency_code: "usd", countries: ["us"], payment_providers: ["pp_system_default"] })
  const { stock_location } = await admin("POST", "/admin/stock-locations", { name: "Upstream vault" })
  const { product } = await admin("POST", "/admin/products", {
    title: options.product,
    status: "published",
    options: [{ title: "Plan", values: [options.variant] }],
    variants: [{ title: options.variant, sku: options.sku, manage_inventory: true, options: { Plan: options.variant }, prices: [{ currency_code: "usd", amount: options.price }] }],
  })
  const variantId = product.variants[0].id as string
  const { customer_group } = await admin("POST", "/admin/customer-groups", { name: "Resellers" })
  await admin("POST", "/admin/price-lists", {
    title: "Resellers",
    description: "Reseller tier",
    status: "active",
    rules: { "customer.groups.id": [customer_group.id] },
    prices: [{ currency_code: "usd", amount: options.agent_price, variant_id: variantId }],
  })
  const { card_pool } = await admin("POST", "/admin/virtual-goods/pools", { name: `${options.product} pool` })
  await admin("POST", `/admin/virtual-goods/pools/${card_pool.id}/variant`, { variant_id: variantId, stock_location_id: stock_location.id })
  if (options.codes?.length) await admin("POST", `/admin/virtual-goods/pools/${card_pool.id}/imports`, { codes: options.codes })
  const agents: Record<string, { id: string; key: string }> = {}
  for (const [name, topUp] of Object.entries(options.agents)) {
    const { agent } = await admin("POST", "/admin/virtual-goods/agents", { name: `Downstream ${name}`, currency_code: "usd", customer_group_id: customer_group.id })
    await admin("POST", `/admin/virtual-goods/agents/${agent.id}/topups`, { currency_code: "usd", amount: topUp })
    const { key } = await admin("POST", `/admin/virtual-goods/agents/${agent.id}/api-keys`, { name: "docking", scopes: ["catalog:read", "orders:read", "orders:write"] })
    agents[name] = { id: agent.id, key }
  }
  return { variant_id: variantId, pool_id: card_pool.id, agents }
}
