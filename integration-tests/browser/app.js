"use strict"

/**
 * This repository's app for the browser tests: a fresh database (created on the PostgreSQL that scripts/test.js
 * chose, dropped afterwards), migrated, seeded with the demo store and an admin user, then `medusa start` in
 * development mode, which serves the admin through Vite (no build of the admin needed). `env` adds to (or overrides)
 * the app's environment; `name` keeps the databases of two test files apart.
 */

const crypto = require("crypto")
const net = require("net")
const path = require("path")
const { spawn } = require("child_process")
const { health } = require("../../scripts/lib/health")

const ROOT = path.resolve(__dirname, "..", "..")
const MEDUSA = path.join(ROOT, "node_modules", ".bin", "medusa")

const log = (m) => console.log(`[browser] ${m}`)

function pgConfig(database) {
  return {
    host: process.env.DB_HOST || "localhost",
    port: Number(process.env.DB_PORT || 5432),
    user: process.env.DB_USERNAME || "postgres",
    password: process.env.DB_PASSWORD || undefined,
    database,
  }
}

async function admin(sql) {
  const { Client } = require("pg")
  const client = new Client(pgConfig("postgres"))
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** Runs the medusa CLI to completion; rejects with the output's tail on failure. */
function medusa(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(MEDUSA, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    child.stdout.on("data", (d) => (out += d))
    child.stderr.on("data", (d) => (out += d))
    child.on("error", reject)
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`medusa ${args.join(" ")} exited with ${code}:\n${out.split("\n").slice(-30).join("\n")}`))
    )
  })
}

async function startApp({ admin: user, env: extraEnv = {}, name = "browser" }) {
  const database = `vg_${name}_${process.pid}`
  const cfg = pgConfig(database)
  const auth = cfg.password ? `${cfg.user}:${encodeURIComponent(cfg.password)}` : cfg.user
  const key = () => crypto.randomBytes(32).toString("base64")
  const env = {
    ...process.env,
    DATABASE_URL: `postgres://${auth}@${cfg.host}:${cfg.port}/${database}`,
    NODE_ENV: "development",
    MEDUSA_DISABLE_TELEMETRY: "true",
    MEDUSA_ADMIN_DISABLED: "false",
    VIRTUAL_GOODS_ENCRYPTION_KEYS: process.env.VIRTUAL_GOODS_ENCRYPTION_KEYS || `1:${key()}`,
    VIRTUAL_GOODS_BLIND_INDEX_KEY: process.env.VIRTUAL_GOODS_BLIND_INDEX_KEY || key(),
    // A webhook delivery goes to the dead-letter list after its first failed attempt (the job runs every minute), so
    // the agent page's dead-letter list and replay can be shown without waiting through the backoff.
    VIRTUAL_GOODS_WEBHOOK_MAX_ATTEMPTS: "1",
    ...extraEnv,
  }
  delete env.REDIS_URL // in-memory infrastructure: this app's events stay in this app
  await admin(`DROP DATABASE IF EXISTS "${database}"`)
  await admin(`CREATE DATABASE "${database}"`)
  let server = null
  const stop = async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once("exit", r))
      server.kill("SIGTERM")
      const timer = setTimeout(() => server.kill("SIGKILL"), 10_000)
      await exited
      clearTimeout(timer)
    }
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch((e) => log(`could not drop ${database}: ${e.message}`))
  }
  try {
    let t0 = Date.now()
    await medusa(["db:migrate", "--execute-safe-links"], env)
    log(`database ${database} migrated in ${Math.round((Date.now() - t0) / 1000)} s`)
    const seedOut = await medusa(["exec", "./src/scripts/seed-demo.ts"], env)
    const value = (name) => {
      const m = new RegExp(`^${name}=(\\S+)$`, "m").exec(seedOut)
      if (!m) throw new Error(`the demo seed printed no ${name}`)
      return m[1]
    }
    const seed = { publishableKey: value("PUBLISHABLE_KEY"), regionId: value("DEMO_REGION_ID"), variantId: value("DEMO_VARIANT_ID") }
    await medusa(["user", "-e", user.email, "-p", user.password], env)

    const port = await freePort()
    const launch = async () => {
      t0 = Date.now()
      server = spawn(MEDUSA, ["start", "--port", String(port)], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
      out = ""
      server.stdout.on("data", keep)
      server.stderr.on("data", keep)
      const deadline = Date.now() + 240_000
      while (!(await health(port))) {
        if (server.exitCode !== null || Date.now() > deadline) {
          throw new Error(`the app did not start (${server.exitCode !== null ? `exit code ${server.exitCode}` : "timeout"}):\n${out}`)
        }
        await new Promise((r) => setTimeout(r, 500))
      }
      log(`app up on port ${port} in ${Math.round((Date.now() - t0) / 1000)} s`)
    }
    let out = ""
    const keep = (d) => (out = (out + d).slice(-8000))
    await launch()
    /** Stops the server process (SIGTERM) and starts it again on the same port and database: a restart. */
    const restart = async () => {
      const exited = new Promise((r) => server.once("exit", r))
      server.kill("SIGTERM")
      const timer = setTimeout(() => server.kill("SIGKILL"), 10_000)
      await exited
      clearTimeout(timer)
      await launch()
    }
    return { url: `http://localhost:${port}`, seed, stop, restart, output: () => out }
  } catch (e) {
    await stop()
    throw e
  }
}

module.exports = { startApp }
