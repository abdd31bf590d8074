"use strict"

/**
 * Medusa's scale-out shape on one machine, for trying (`npm run cluster`) and for the chaos test: N API servers
 * (`MEDUSA_WORKER_MODE=server`) and one worker (`MEDUSA_WORKER_MODE=worker`, subscribers and scheduled jobs), each
 * its own `medusa start` process on the Redis event bus, workflow engine and locking, with one PostgreSQL; a
 * round-robin balancer on one port in front of the servers; and a supervisor that restarts a process that died, as
 * systemd's `Restart=always` or a container orchestrator would in production.
 *
 * Not `medusa start --cluster`: it caps the processes at the number of CPUs, and a process it forks again after a
 * crash is never told its mode, so it never serves (see docs/operations.md#scale-out).
 */

const fs = require("fs")
const http = require("http")
const path = require("path")
const { spawn } = require("child_process")
const { health } = require("./health")

const ROOT = path.resolve(__dirname, "..", "..")
const MEDUSA_CLI = () => require.resolve("@medusajs/cli/cli.js", { paths: [ROOT] })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * One supervised `medusa start` process. `state` is `starting` (spawned, /health not answering yet), `up`, or `down`
 * (exited; restarted after `restartDelayMs` unless the cluster is stopping).
 */
class Member {
  constructor(cluster, { name, role, port, env }) {
    Object.assign(this, { cluster, name, role, port, env })
    this.state = "down"
    this.child = null
    this.starts = 0
    this.diedAt = null
  }

  spawn() {
    const log = fs.openSync(path.join(this.cluster.logDir, `${this.name}.log`), "a")
    this.child = spawn(process.execPath, [MEDUSA_CLI(), "start", "--port", String(this.port)], {
      cwd: ROOT,
      env: this.env,
      stdio: ["ignore", log, log],
      // Its own process group, so that a kill reaches whatever the CLI runs under it.
      detached: true,
    })
    fs.closeSync(log)
    this.starts += 1
    this.state = "starting"
    const child = this.child
    this.exited = new Promise((resolve) => child.once("exit", resolve))
    child.once("exit", (code, signal) => {
      if (this.child !== child) return
      this.child = null
      this.state = "down"
      this.diedAt = this.diedAt ?? Date.now()
      const restarting = !this.cluster.stopping && this.cluster.restart
      this.cluster.record({ member: this.name, event: "exit", code, signal, restarting })
      if (restarting) {
        setTimeout(() => {
          if (this.cluster.stopping || this.child) return
          this.start().catch((err) => this.cluster.record({ member: this.name, event: "restart_failed", error: err.message }))
        }, this.cluster.restartDelayMs)
      }
    })
    return child
  }

  /** Spawns the process and resolves once its /health answers (or rejects when it exits or times out). */
  async start() {
    const child = this.spawn()
    const deadline = Date.now() + this.cluster.bootTimeoutMs
    while (!(await health(this.port))) {
      if (this.child !== child) throw new Error(`${this.name} exited while starting; see ${this.logFile()}`)
      if (Date.now() > deadline) throw new Error(`${this.name} did not answer /health within ${this.cluster.bootTimeoutMs} ms; see ${this.logFile()}`)
      await sleep(250)
    }
    if (this.child !== child) throw new Error(`${this.name} exited while starting; see ${this.logFile()}`)
    this.state = "up"
    const recoveredMs = this.diedAt ? Date.now() - this.diedAt : null
    this.diedAt = null
    this.cluster.record({ member: this.name, event: "up", recovered_ms: recoveredMs })
    return recoveredMs
  }

  /** SIGKILL to the whole process group: no shutdown hook runs, whatever it was doing is cut off. */
  kill() {
    if (!this.child) return false
    this.diedAt = Date.now()
    this.state = "down"
    this.cluster.record({ member: this.name, event: "kill" })
    try {
      process.kill(-this.child.pid, "SIGKILL")
    } catch {
      this.child.kill("SIGKILL")
    }
    return true
  }

  async stop(graceMs = 10_000) {
    const child = this.child
    if (!child) return
    try {
      process.kill(-child.pid, "SIGTERM")
    } catch {
      child.kill("SIGTERM")
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL")
      } catch {
        // gone already
      }
    }, graceMs)
    await this.exited
    clearTimeout(timer)
  }

  logFile() {
    return path.join(this.cluster.logDir, `${this.name}.log`)
  }
}

/**
 * The balancer: each request goes to the next server that is up (round robin). A request whose connection is refused
 * never reached a server, so it is sent to the next one; a server dying while it handles a request answers the
 * client 502, and the client decides whether to retry (idempotently). `x-served-by` names the server.
 */
function createBalancer(cluster) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
  let next = 0
  const counts = {}
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on("data", (c) => chunks.push(c))
    req.on("end", () => forward(req, res, Buffer.concat(chunks)))
  })

  function pick(tried, url) {
    const ups = cluster.servers.filter((m) => m.state === "up" && !tried.has(m.name))
    if (!ups.length) return null
    // The admin (served by the first server only, see startCluster) stays on it while it is up.
    if (cluster.adminServer && /^\/app(\/|$|\?)/.test(url) && ups.includes(cluster.adminServer)) return cluster.adminServer
    next = (next + 1) % ups.length
    return ups[next]
  }

  function forward(req, res, body, tried = new Set()) {
    const member = pick(tried, req.url || "")
    if (!member) {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "1" })
      res.end(JSON.stringify({ type: "unavailable", message: "No API server is up" }))
      return
    }
    tried.add(member.name)
    // The client's address is appended, as proxies do: a server that trusts loopback proxies reads the shopper's own.
    const forwarded = [req.headers["x-forwarded-for"], req.socket.remoteAddress].filter(Boolean).join(", ")
    const headers = { ...req.headers, "x-forwarded-for": forwarded, "x-forwarded-proto": req.headers["x-forwarded-proto"] || "http" }
    const upstream = http.request(
      { host: "127.0.0.1", port: member.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        counts[member.name] = (counts[member.name] || 0) + 1
        res.writeHead(answer.statusCode || 502, { ...answer.headers, "x-served-by": member.name })
        answer.pipe(res)
        answer.on("error", () => res.destroy())
      }
    )
    upstream.on("error", (err) => {
      if (res.headersSent) return res.destroy()
      if (err.code === "ECONNREFUSED") {
        // Never reached the server: it is going down or not up yet; try the next one.
        if (member.state === "up") member.state = "down"
        return forward(req, res, body, tried)
      }
      res.writeHead(502, { "content-type": "application/json", "x-served-by": member.name })
      res.end(JSON.stringify({ type: "bad_gateway", message: `The API server ${member.name} did not answer: ${err.code || err.message}` }))
    })
    upstream.end(body)
  }

  return {
    server,
    counts,
    listen: (port) => new Promise((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve(server.address().port))),
    close: () => new Promise((resolve) => {
      agent.destroy()
      server.close(() => resolve())
      server.closeAllConnections?.()
    }),
  }
}

/**
 * Starts the cluster. `env` is the environment of every process (DATABASE_URL, keys, …); REDIS_URL is required.
 * Ports: servers on `basePort`, `basePort + 1`, …; the worker on the next one (it serves /health only); the
 * balancer on `balancerPort`. `admin: true` builds the admin into the first server only (the others disable it).
 */
async function startCluster(options) {
  const {
    env,
    servers = 3,
    basePort = 9001,
    balancerPort = 9000,
    logDir,
    restart = true,
    restartDelayMs = 500,
    bootTimeoutMs = 240_000,
    admin = false,
    onEvent = () => {},
  } = options
  if (!env.REDIS_URL) throw new Error("The cluster needs Redis: set REDIS_URL (for example redis://localhost:6379)")
  fs.mkdirSync(logDir, { recursive: true })
  const cluster = {
    logDir,
    restart,
    restartDelayMs,
    bootTimeoutMs,
    stopping: false,
    events: [],
    record(e) {
      const entry = { at: Date.now(), ...e }
      this.events.push(entry)
      onEvent(entry)
    },
    servers: [],
    worker: null,
    adminServer: null,
  }
  const common = { ...env, MEDUSA_DISABLE_TELEMETRY: "true" }
  for (let i = 0; i < servers; i++) {
    const withAdmin = admin && i === 0
    cluster.servers.push(
      new Member(cluster, {
        name: `server-${i + 1}`,
        role: "server",
        port: basePort + i,
        env: { ...common, MEDUSA_WORKER_MODE: "server", MEDUSA_ADMIN_DISABLED: withAdmin ? "false" : "true" },
      })
    )
  }
  if (admin) cluster.adminServer = cluster.servers[0]
  cluster.worker = new Member(cluster, {
    name: "worker",
    role: "worker",
    port: basePort + servers,
    env: { ...common, MEDUSA_WORKER_MODE: "worker", MEDUSA_ADMIN_DISABLED: "true" },
  })
  cluster.members = [...cluster.servers, cluster.worker]
  const balancer = createBalancer(cluster)
  cluster.balancer = balancer
  cluster.stop = async () => {
    cluster.stopping = true
    await balancer.close()
    await Promise.all(cluster.members.map((m) => m.stop()))
  }
  try {
    // The worker first, then the servers one after another: on two cores, booting four at once takes longer in all.
    await cluster.worker.start()
    for (const s of cluster.servers) await s.start()
    cluster.port = await balancer.listen(balancerPort)
  } catch (err) {
    await cluster.stop()
    throw err
  }
  return cluster
}

/** Waits until every member of the cluster is up again (after kills), or throws after `timeoutMs`. */
async function waitUntilAllUp(cluster, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs
  while (cluster.members.some((m) => m.state !== "up")) {
    if (Date.now() > deadline) {
      const down = cluster.members.filter((m) => m.state !== "up").map((m) => `${m.name} (${m.logFile()})`)
      throw new Error(`not up again within ${timeoutMs} ms: ${down.join(", ")}`)
    }
    await sleep(250)
  }
}

module.exports = { startCluster, waitUntilAllUp, createBalancer }
