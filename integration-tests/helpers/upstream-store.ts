import { ChildProcess, execFile, spawn } from "child_process"
import http from "http"
import type { AddressInfo } from "net"
import path from "path"
import { promisify } from "util"
import { testDatabaseUrl } from "./worker"

const ROOT = path.resolve(__dirname, "../..")
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

const health = (port: number) =>
  new Promise<number>((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/health", timeout: 1000 }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on("error", () => resolve(0))
    req.on("timeout", () => {
      req.destroy()
      resolve(0)
    })
  })

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
  const cli = require.resolve("@medusajs/cli/cli.js", { paths: [ROOT] })
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

  const child: ChildProcess = spawn(process.execPath, [cli, "start", "--port", String(port)], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  })
  let output = ""
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  }
  child.stdout!.on("data", keep)
  child.stderr!.on("data", keep)
  let exited = false
  const exit = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true
      resolve()
    })
  )
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
    if (exited) return
    signal("SIGTERM")
    const timer = setTimeout(() => signal("SIGKILL"), 10_000)
    await exit
    clearTimeout(timer)
  }

  try {
    const deadline = Date.now() + (options.timeoutMs ?? 180_000)
    while ((await health(port)) !== 200) {
      if (exited || Date.now() > deadline) throw new Error(`the upstream store did not start${exited ? " (it exited)" : ""}; its last output:\n${output}`)
      await new Promise((r) => setTimeout(r, 300))
    }
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
