#!/usr/bin/env node
"use strict"

/**
 * `npm run demo`: a local shop with the plugin, from a fresh clone, in one command. Safe to run again.
 *
 *   1. npm install if needed; PostgreSQL from DATABASE_URL, else an embedded server (data in .data/postgres);
 *   2. database medusa_virtual_goods_demo, migrations, demo seed (src/scripts/seed-demo.ts), admin user;
 *   3. a mail catcher (SMTP on 1025, inbox page on 8025) unless VIRTUAL_GOODS_SMTP_HOST is set;
 *   4. `medusa start` in development mode on port 9000 (the admin through Vite), then the Next.js storefront
 *      (storefront/, installed and built when needed) on port 8000. Not `medusa develop`: its file watcher would
 *      crawl storefront/node_modules and restart on every file the storefront's install and build write (run
 *      `npx medusa develop` yourself for hot reload while changing the plugin);
 *   5. once both answer, the banner: store, admin and login, inbox, and how to buy with curl.
 *
 * VIRTUAL_GOODS_DEMO_NO_SERVER=1 prints the banner after step 3 and stops (used by tests).
 *
 * `npm run cluster` (`--cluster`): step 4 starts Medusa's scale-out shape instead (scripts/lib/cluster.js): three API
 * servers (MEDUSA_WORKER_MODE=server, ports 9001-9003, the admin on the first) and a worker (9004) on Redis
 * (REDIS_URL, default redis://localhost:6379), a round-robin balancer on port 9000, and a supervisor that restarts a
 * process that dies. Logs in .data/cluster-logs/.
 */

const crypto = require("crypto")
const fs = require("fs")
const path = require("path")
const { spawn } = require("child_process")
const { ensureInstalled } = require("./lib/install")
const { ensurePostgres, dbEnv, ROOT, DATA_DIR } = require("./lib/postgres")
const { startMailCatcher } = require("./lib/mail-catcher")
const { ensureStorefrontBuilt, startStorefront } = require("./lib/storefront")
const { health } = require("./lib/health")

const DEMO_DB_NAME = "medusa_virtual_goods_demo"
const KEYS_FILE = path.join(DATA_DIR, "dev-keys.json")
const BUY_SCRIPT = path.join(DATA_DIR, "buy-code.sh")
const ADMIN_EMAIL = "admin@example.com"
const ADMIN_PASSWORD = "supersecret"
const API_URL = "http://localhost:9000"
const STOREFRONT_PORT = Number(process.env.VIRTUAL_GOODS_DEMO_STOREFRONT_PORT) || 8000
const KEY_VARS = ["VIRTUAL_GOODS_ENCRYPTION_KEYS", "VIRTUAL_GOODS_BLIND_INDEX_KEY"]
// The demo's mail catcher: the store sends its email there over SMTP, and its inbox is a page.
const SMTP_PORT = Number(process.env.VIRTUAL_GOODS_DEMO_SMTP_PORT) || 1025
const INBOX_PORT = Number(process.env.VIRTUAL_GOODS_DEMO_INBOX_PORT) || 8025

let pg = null // the PostgreSQL in use, once known
let child = null // the running command, if any
let storefront = null // the storefront's process, once started
let cluster = null // with --cluster: the running cluster
const CLUSTER = process.argv.includes("--cluster")
let interrupted = false

const say = (message) => console.log(`[demo] ${message}`)

async function stopPostgres() {
  if (pg) await pg.stop()
}

async function fail(message) {
  console.error(`[demo] ERROR: ${message}`)
  await stopPostgres().catch(() => {})
  process.exit(1)
}

/**
 * Runs the local `node_modules/.bin/medusa <args>` in the repo root — directly, not through npx, so that signals
 * forwarded by this script reach it. With `capture`, stdout (and stderr with `captureStderr`) is collected and,
 * with `echo`, still shown as it arrives.
 */
function medusa(args, env, { capture = false, captureStderr = false, echo = true } = {}) {
  return new Promise((resolve) => {
    let output = ""
    child = spawn(path.join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "medusa.cmd" : "medusa"), args, {
      cwd: ROOT,
      env,
      stdio: ["inherit", capture ? "pipe" : "inherit", captureStderr ? "pipe" : "inherit"],
      shell: process.platform === "win32",
      // Its own process group: medusa runs the server as a grandchild, and a signal must reach both.
      detached: process.platform !== "win32",
    })
    const collect = (stream, target) =>
      stream &&
      stream.on("data", (chunk) => {
        output += chunk
        if (echo) target.write(chunk)
      })
    if (capture) collect(child.stdout, process.stdout)
    if (captureStderr) collect(child.stderr, process.stderr)
    child.on("error", (err) => {
      child = null
      resolve({ code: 1, output: `could not start medusa: ${err.message}` })
    })
    child.on("exit", (code, signal) => {
      child = null
      resolve({ code: code === null ? 1 : code, signal, output })
    })
  })
}

/** Creates `name` on the server unless it exists (CREATE DATABASE has no IF NOT EXISTS). */
async function ensureDatabase(name) {
  const { Client } = require("pg")
  const client = new Client({ connectionString: dbEnv(pg, "postgres").DATABASE_URL })
  client.on("error", () => {})
  await client.connect()
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name])
    if (rowCount) return false
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`)
    return true
  } catch (err) {
    if (err.code === "42P04") return false // created concurrently
    throw err
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * Keys of the card vault: taken from the environment when set there; otherwise random development keys kept in
 * .data/dev-keys.json, so that codes stored by one run can still be decrypted by the next.
 */
function devKeys() {
  const missing = KEY_VARS.filter((v) => !process.env[v])
  if (!missing.length) {
    say("card vault keys: from the environment")
    return {}
  }

  let stored
  let created = false
  if (fs.existsSync(KEYS_FILE)) {
    try {
      stored = JSON.parse(fs.readFileSync(KEYS_FILE, "utf8"))
    } catch (err) {
      throw new Error(
        `${KEYS_FILE} is not valid JSON (${err.message}); fix it, or delete it (which makes the codes in the demo ` +
          `database unreadable)`
      )
    }
    if (KEY_VARS.some((v) => typeof stored[v] !== "string" || !stored[v])) {
      throw new Error(`${KEYS_FILE} lacks ${KEY_VARS.join(" or ")}; fix or delete it`)
    }
    fs.chmodSync(KEYS_FILE, 0o600)
  } else {
    const random = () => crypto.randomBytes(32).toString("base64")
    stored = {
      _warning: "LOCAL DEVELOPMENT KEYS, stored unencrypted. Never use them in production.",
      created_at: new Date().toISOString(),
      VIRTUAL_GOODS_ENCRYPTION_KEYS: `1:${random()}`,
      VIRTUAL_GOODS_BLIND_INDEX_KEY: random(),
    }
    fs.mkdirSync(DATA_DIR, { recursive: true })
    // "wx": never overwrite keys that another run may have just written.
    fs.writeFileSync(KEYS_FILE, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600, flag: "wx" })
    created = true
  }

  const rel = path.relative(ROOT, KEYS_FILE)
  const lines = [
    "WARNING: LOCAL DEVELOPMENT KEYS - NOT FOR PRODUCTION",
    "",
    `The card vault keys (${missing.join(", ")})`,
    `were ${created ? "just generated and saved to" : "loaded from"} ${rel}, where they are stored UNENCRYPTED.`,
    "Anyone who can read that file can decrypt every code in the demo database.",
    "Never use these keys or this file in production: there, set",
    "VIRTUAL_GOODS_ENCRYPTION_KEYS and VIRTUAL_GOODS_BLIND_INDEX_KEY from a secret store.",
    `Deleting ${rel} makes the codes already in the demo database unreadable.`,
  ]
  const width = Math.max(...lines.map((l) => l.length))
  const edge = "!".repeat(width + 8)
  console.log(["", edge, ...lines.map((l) => `!!  ${l.padEnd(width)}  !!`), edge, ""].join("\n"))

  return Object.fromEntries(missing.map((v) => [v, stored[v]]))
}

function describeInfrastructure() {
  if (!process.env.REDIS_URL) {
    say("infrastructure: in-memory event bus, workflow engine and locking (set REDIS_URL to use Redis)")
    return
  }
  let where = "<unparsable REDIS_URL>"
  try {
    const u = new URL(process.env.REDIS_URL)
    u.username = ""
    u.password = ""
    where = u.toString()
  } catch {
    // keep the placeholder; never print the raw value, it may hold a password
  }
  say(`infrastructure: Redis at ${where} (event bus, workflow engine, locking)`)
}

/** Last `NAME=value` printed by the seed (ANSI colours stripped; tolerant of logger prefixes). */
function parseSeedValue(output, name) {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "")
  const matches = [...plain.matchAll(new RegExp(`\\b${name}=([A-Za-z0-9_\\-]+)`, "g"))]
  return matches.length ? matches[matches.length - 1][1] : null
}

/** A bash snippet that buys one code through the store API; ids are extracted with `node -pe` (no jq needed). */
function buyScript({ publishableKey, regionId, variantId }) {
  return `#!/usr/bin/env bash
# Buys one virtual good through the store API of the demo (npm run demo must be running).
set -euo pipefail
API=${API_URL}
PK=${publishableKey}
post() { curl -sS -X POST "$API$1" -H "Content-Type: application/json" -H "x-publishable-api-key: $PK" -d "$2"; }
json() { node -e "const r = JSON.parse(require('fs').readFileSync(0, 'utf8')); let v = r
  for (const k of '$1'.split('.')) v = v == null ? v : v[k]
  if (v == null) { console.error('unexpected response: ' + JSON.stringify(r)); process.exit(1) }
  console.log(v)"; }

CART='{"region_id": "${regionId}", "email": "buyer@example.com", "items": [{"variant_id": "${variantId}", "quantity": 1}]}'
CART_ID=$(post /store/carts "$CART" | json cart.id)
PAYCOL_ID=$(post /store/payment-collections "{\\"cart_id\\": \\"$CART_ID\\"}" | json payment_collection.id)
post "/store/payment-collections/$PAYCOL_ID/payment-sessions" '{"provider_id": "pp_system_default"}' > /dev/null
ORDER_ID=$(post "/store/carts/$CART_ID/complete" '{}' | json order.id)
echo "cart $CART_ID -> order $ORDER_ID"
`
}

function printBanner(seed, mail, storeUrl) {
  const script = buyScript(seed)
  fs.mkdirSync(DATA_DIR, { recursive: true })
  fs.writeFileSync(BUY_SCRIPT, script, { mode: 0o755 })
  const rule = "=".repeat(78)
  console.log(`
${rule}
  medusa-virtual-goods demo
${rule}
  Store:            ${storeUrl || "(not started)"}
  Admin:            ${API_URL}/app
  Login:            ${ADMIN_EMAIL} / ${ADMIN_PASSWORD}
  Publishable key:  ${seed.publishableKey}
  Region / variant: ${seed.regionId} / ${seed.variantId}

  Or buy a code through the store API: run
      bash ${path.relative(ROOT, BUY_SCRIPT)}
  or paste into a bash shell:
${rule}
${script.split("\n").filter((l) => l && !l.startsWith("#") && !l.startsWith("set ")).join("\n")}
${rule}
${
  mail.inbox
    ? `  Email: every message the store sends lands in the demo inbox
      ${mail.inbox}
  (the delivery email holds the masked codes and the link that reveals them).`
    : `  Email goes to ${mail.host} (VIRTUAL_GOODS_SMTP_HOST is set).`
}
${rule}
`)
}

/** Waits until the backend answers /health (true), or the server exits first (false). */
async function waitForHealth(running) {
  let exited = false
  running.then(() => (exited = true))
  while (!exited && !interrupted) {
    if (await health(new URL(API_URL).port)) return true
    await new Promise((r) => setTimeout(r, 1000))
  }
  return false
}

/**
 * Builds the storefront when needed and, once `backendUp()` says the backend answers, starts it on STOREFRONT_PORT
 * against API_URL. Answers its URL, or null (with a warning) when it could not start.
 */
async function startDemoStorefront(seed, backendUp) {
  try {
    ensureStorefrontBuilt()
    if (!(await backendUp())) return null
    storefront = await startStorefront({
      port: STOREFRONT_PORT,
      stdio: ["ignore", "ignore", "inherit"],
      env: { MEDUSA_BACKEND_URL: API_URL, MEDUSA_PUBLISHABLE_KEY: seed.publishableKey, NEXT_PUBLIC_DEFAULT_REGION: "us" },
    })
    return `http://localhost:${STOREFRONT_PORT}`
  } catch (err) {
    say(`warning: the storefront did not start (${err.message}); the store API and the admin still run`)
    return null
  }
}

function onSignal(signal) {
  storefront?.kill("SIGTERM")
  if (cluster && !interrupted) {
    interrupted = true
    say("stopping the cluster")
    cluster.stop().finally(() => stopPostgres().finally(() => process.exit(130)))
    return
  }
  if (interrupted || !child) {
    stopPostgres().finally(() => process.exit(130))
    return
  }
  interrupted = true
  try {
    if (process.platform === "win32") child.kill(signal)
    else process.kill(-child.pid, signal) // the whole group: medusa and the server it started
  } catch {
    // already gone
  }
}

async function main() {
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)

  ensureInstalled()
  // Never the machine's own localhost:5432 server: the demo keeps its data in .data/ unless DATABASE_URL is set.
  pg = await ensurePostgres({ preferLocal: false })

  const dbName = pg.database || DEMO_DB_NAME
  if (pg.source !== "external" || !pg.database) {
    try {
      if (await ensureDatabase(dbName)) say(`created database ${dbName}`)
    } catch (err) {
      if (pg.source !== "external") throw err
      say(`warning: could not check/create database ${dbName} (${err.message}); continuing`)
    }
  }
  say(`database: ${dbName}`)
  describeInfrastructure()

  const env = {
    ...process.env,
    ...dbEnv(pg, dbName),
    ...devKeys(),
    MEDUSA_DISABLE_TELEMETRY: "true",
  }
  const check = async (result, what) => {
    if (interrupted) {
      await stopPostgres()
      process.exit(130)
    }
    if (result.code !== 0) await fail(`${what} failed (exit code ${result.code})`)
  }

  say("applying migrations: medusa db:migrate")
  // Without a terminal, Medusa's link-sync prompt would wait forever: apply only safe link changes then.
  const migrateArgs = process.stdin.isTTY ? ["db:migrate"] : ["db:migrate", "--execute-safe-links"]
  await check(await medusa(migrateArgs, env), "medusa db:migrate")

  const seedFile = "./src/scripts/seed-demo.ts"
  if (!fs.existsSync(path.join(ROOT, seedFile))) await fail(`${seedFile} is missing`)
  say(`seeding demo data: medusa exec ${seedFile}`)
  const seedRun = await medusa(["exec", seedFile], env, { capture: true })
  await check(seedRun, "the demo seed")
  const seed = {
    publishableKey: parseSeedValue(seedRun.output, "PUBLISHABLE_KEY"),
    regionId: parseSeedValue(seedRun.output, "DEMO_REGION_ID"),
    variantId: parseSeedValue(seedRun.output, "DEMO_VARIANT_ID"),
  }
  const expected = { publishableKey: "PUBLISHABLE_KEY", regionId: "DEMO_REGION_ID", variantId: "DEMO_VARIANT_ID" }
  for (const [field, name] of Object.entries(expected)) {
    if (seed[field]) continue
    say(`warning: the seed printed no ${name}=... line; fill it in the snippet below`)
    seed[field] = `<${name}>`
  }

  say(`admin user: medusa user -e ${ADMIN_EMAIL}`)
  const userRun = await medusa(["user", "-e", ADMIN_EMAIL, "-p", ADMIN_PASSWORD], env, {
    capture: true,
    captureStderr: true,
    echo: false, // on a second run this is a stack trace about the existing user: keep it quiet
  })
  if (interrupted) await check(userRun, "medusa user")
  if (/already exists/i.test(userRun.output)) {
    say(`admin user ${ADMIN_EMAIL} already exists: kept`)
  } else if (userRun.code !== 0) {
    const tail = userRun.output.trim().split("\n").slice(-15).join("\n")
    say(`warning: could not create the admin user (exit code ${userRun.code}); continuing. Output:\n${tail}`)
  } else {
    say(`admin user ${ADMIN_EMAIL} created`)
  }

  // Email: the demo's own SMTP catcher and inbox page, unless an SMTP server is configured.
  const mail = { host: process.env.VIRTUAL_GOODS_SMTP_HOST || null, inbox: null }
  if (!mail.host) {
    try {
      const catcher = await startMailCatcher({ port: SMTP_PORT })
      await catcher.serveInbox(INBOX_PORT)
      mail.inbox = `http://localhost:${INBOX_PORT}`
      Object.assign(env, {
        VIRTUAL_GOODS_SMTP_HOST: "127.0.0.1",
        VIRTUAL_GOODS_SMTP_PORT: String(catcher.port),
        VIRTUAL_GOODS_MAIL_FROM: env.VIRTUAL_GOODS_MAIL_FROM || '"Virtual goods demo" <shop@demo.localhost>',
        VIRTUAL_GOODS_STORE_NAME: env.VIRTUAL_GOODS_STORE_NAME || "Virtual goods demo",
      })
      say(`mail catcher: SMTP on 127.0.0.1:${catcher.port}, inbox at ${mail.inbox}`)
    } catch (err) {
      mail.host = "the log (local notification provider)"
      say(`warning: could not start the mail catcher (${err.message}); email goes to the server log`)
    }
  }

  if (process.env.VIRTUAL_GOODS_DEMO_NO_SERVER === "1") {
    printBanner(seed, mail, null)
    say("VIRTUAL_GOODS_DEMO_NO_SERVER=1: not starting the server")
    await stopPostgres()
    process.exit(0)
  }

  // The storefront calls the backend from this machine: the backend believes the shopper address it forwards.
  env.VIRTUAL_GOODS_TRUSTED_PROXIES = env.VIRTUAL_GOODS_TRUSTED_PROXIES || "loopback"
  if (CLUSTER) return runCluster(env, seed, mail)
  say("starting the server: medusa start, development mode (Ctrl+C to stop)")
  const devRun = medusa(["start"], { ...env, NODE_ENV: env.NODE_ENV || "development" })
  const storeUrl = await startDemoStorefront(seed, () => waitForHealth(devRun))
  if (!interrupted) printBanner(seed, mail, storeUrl)
  const dev = await devRun
  storefront?.kill("SIGTERM")
  await stopPostgres()
  process.exit(interrupted ? 130 : dev.code)
}

/** `--cluster`: three API servers and a worker on Redis behind a balancer on API_URL's port, then the storefront. */
async function runCluster(env, seed, mail) {
  const { startCluster } = require("./lib/cluster")
  const redisUrl = process.env.REDIS_URL || "redis://localhost:6379"
  const Redis = require("ioredis")
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  probe.on("error", () => {})
  try {
    await probe.connect()
    await probe.ping()
  } catch (err) {
    await fail(`the cluster needs Redis and none answers at REDIS_URL (${err.message}); start one or set REDIS_URL`)
  } finally {
    probe.disconnect()
  }
  process.env.REDIS_URL = redisUrl
  describeInfrastructure()
  const logDir = path.join(DATA_DIR, "cluster-logs")
  say(`starting the cluster: worker, then 3 API servers (logs in ${path.relative(ROOT, logDir)}/)`)
  try {
    cluster = await startCluster({
      env: { ...env, REDIS_URL: redisUrl, NODE_ENV: env.NODE_ENV || "development" },
      servers: 3,
      basePort: Number(new URL(API_URL).port) + 1,
      balancerPort: Number(new URL(API_URL).port),
      logDir,
      admin: true,
      onEvent: (e) => {
        if (e.event === "exit") say(`${e.member} exited (${e.signal || `code ${e.code}`})${e.restarting ? "; restarting it" : ""}`)
        if (e.event === "up" && e.recovered_ms != null) say(`${e.member} is up again after ${e.recovered_ms} ms`)
        if (e.event === "restart_failed") say(`${e.member} did not restart: ${e.error}`)
      },
    })
  } catch (err) {
    await fail(`the cluster did not start: ${err.message}`)
  }
  for (const m of cluster.members) say(`  ${m.name.padEnd(9)} pid ${String(m.child.pid).padEnd(7)} port ${m.port} (${m.role})`)
  say(`balancer: ${API_URL} → ${cluster.servers.map((m) => m.port).join(", ")} (round robin; the admin on ${cluster.servers[0].name})`)
  const storeUrl = await startDemoStorefront(seed, async () => true)
  if (!interrupted) printBanner(seed, mail, storeUrl)
  say("cluster running (Ctrl+C to stop)")
  await new Promise(() => {})
}

if (require.main === module) {
  main().catch((err) => fail(err && err.message ? err.message : String(err)))
}

module.exports = { buyScript, parseSeedValue }
