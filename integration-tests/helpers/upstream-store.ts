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
