#!/usr/bin/env node
"use strict"

/**
 * `npm run test:install`: proves that the published package works in a fresh Medusa app.
 *
 *   1. `medusa plugin:build` in the repository, then `npm pack` → tarball (its file list and exports are checked);
 *   2. a fresh, minimal host app in a temporary directory that installs the tarball, lists the plugin under
 *      `plugins`, gives the card vault its options from the environment and registers the digital fulfillment
 *      provider next to fulfillment-manual (admin disabled);
 *   3. a fresh database: `medusa db:migrate`, `medusa exec` of a host script that calls the plugin's
 *      `setupVirtualStore`, then `medusa start` on a free port; one code is bought through the store API and the
 *      delivery (card_code, card_delivery, digital fulfillment) is checked in SQL, and the code is revealed through
 *      the shopper's receipt;
 *   4. backup and restore: the package bin signs an audit checkpoint and its `verify-audit` passes, `pg_dump` of the store, the server stopped,
 *      `pg_restore` into a new database, `verify-audit` passes there (the audit chains came across), a server on the
 *      restored database with the same keys reveals the same code again and sells the next one.
 *
 * Everything is removed at the end (server process group, temp dir, database) unless KEEP_INSTALL_TEST=1, which
 * keeps the temp dir (host app, tarball, logs) and the database for inspection.
 *
 * Environment:
 *   DATABASE_URL                       server to use (a fresh database is created on it; the named one is untouched)
 *   DB_HOST / DB_PORT / DB_USERNAME / DB_PASSWORD   otherwise; default localhost:5432, postgres, no password
 *   VIRTUAL_GOODS_ENCRYPTION_KEYS / VIRTUAL_GOODS_BLIND_INDEX_KEY   random throwaway keys when unset
 *   INSTALL_TEST_TIMEOUT_SECONDS       overall budget (default 570)
 *   INSTALL_TEST_OPTIONS=module|plugin where the host puts the card vault's options (see hostMedusaConfig)
 *   INSTALL_TEST_VERBOSE=1             stream the output of every command
 *   KEEP_INSTALL_TEST=1                keep the temp dir and the database
 */

const crypto = require("crypto")
const fs = require("fs")
const net = require("net")
const os = require("os")
const path = require("path")
const { spawn } = require("child_process")

const ROOT = path.resolve(__dirname, "..", "..")
const REPO_PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"))
const PLUGIN = REPO_PKG.name

const STARTED = Date.now()
const BUDGET_MS = Number(process.env.INSTALL_TEST_TIMEOUT_SECONDS || 570) * 1000
const DEADLINE = STARTED + BUDGET_MS
const KEEP = process.env.KEEP_INSTALL_TEST === "1"
const VERBOSE = process.env.INSTALL_TEST_VERBOSE === "1"
const CODES_IMPORTED = 3
const CODES_GENERATED = 25
const OPTIONS_STYLE = process.env.INSTALL_TEST_OPTIONS || "module"

const state = {
  tmp: null, // temp dir (host app, tarball, logs)
  host: null, // host app dir
  server: null, // ChildProcess of `medusa start`
  children: new Set(), // every running child (process group leaders)
  pgServer: null, // { host, port, user, password }
  dbName: null,
  dbCreated: false,
  restoredDb: null, // the database restored from the dump, dropped at the end
  secret: null, // the shopper's receipt secret for the first order
  cleaning: null,
}
const timings = []
const warnings = []

// ---------------------------------------------------------------------------------------------------------------
// output and small helpers

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`
const log = (msg) => console.log(`[install] ${msg}`)
const warn = (msg) => {
  warnings.push(msg)
  console.log(`[install] WARNING: ${msg}`)
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const remaining = () => DEADLINE - Date.now()

class TestFailure extends Error {
  constructor(message, details) {
    super(message)
    this.details = details
  }
}
const fail = (message, details) => {
  throw new TestFailure(message, details)
}

/** Timeout of a phase: its own limit, clipped to what is left of the overall budget. */
function budget(ms, what) {
  const left = remaining()
  if (left < 5000) fail(`overall time budget of ${secs(BUDGET_MS)} exhausted before ${what}`)
  return Math.min(ms, left)
}

async function phase(name, fn) {
  const t0 = Date.now()
  log(`${name} ...`)
  try {
    const result = await fn()
    const ms = Date.now() - t0
    timings.push({ name, ms, ok: true })
    log(`${name}: done in ${secs(ms)}`)
    return result
  } catch (err) {
    timings.push({ name, ms: Date.now() - t0, ok: false })
    if (err instanceof TestFailure) err.message = `${name}: ${err.message}`
    throw err
  }
}

function tail(text, lines = 40) {
  return String(text).split("\n").filter((l) => l.trim()).slice(-lines).join("\n")
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (s) => String(s).replace(/\u001b\[[0-9;]*m/g, "")

// ---------------------------------------------------------------------------------------------------------------
// child processes: each in its own process group, output to a log file, bounded by a timeout

function killGroup(child, signal) {
  if (!child || !child.pid) return
  try {
    process.kill(-child.pid, signal) // the whole group: npx, medusa and its workers
  } catch {
    try {
      child.kill(signal)
    } catch {
      // already gone
    }
  }
}

const groupAlive = (pid) => {
  try {
    process.kill(-pid, 0)
    return true
  } catch (err) {
    return err.code === "EPERM"
  }
}

/**
 * Ends a process group (npx, medusa and its workers): SIGTERM, then SIGKILL for whatever is still in the group after
 * `graceMs`. Waits for the whole group, not only the leader: npx exits at once and medusa shuts down after it.
 */
async function stopGroup(child, graceMs = 10000) {
  if (!child || !child.pid) return
  if (!groupAlive(child.pid)) return
  killGroup(child, "SIGTERM")
  const until = Date.now() + graceMs
  while (groupAlive(child.pid) && Date.now() < until) await sleep(100)
  if (groupAlive(child.pid)) {
    killGroup(child, "SIGKILL")
    const hardUntil = Date.now() + 3000
    while (groupAlive(child.pid) && Date.now() < hardUntil) await sleep(100)
  }
}

function logFileFor(name) {
  const dir = path.join(state.tmp, "logs")
  fs.mkdirSync(dir, { recursive: true })
  return path.join(dir, `${name}.log`)
}

/** Starts `cmd args` detached (own process group), appending its output to logs/<name>.log. */
function startChild(name, cmd, args, { cwd, env }) {
  const file = logFileFor(name)
  const out = fs.openSync(file, "a")
  fs.writeSync(out, `$ ${cmd} ${args.join(" ")}  (cwd ${cwd})\n`)
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] })
  state.children.add(child)
  let buffer = "" // stdout and stderr as they came (the end of it)
  let stdout = ""
  const onData = (chunk) => {
    const text = chunk.toString()
    fs.writeSync(out, text)
    buffer = (buffer + text).slice(-200000)
    if (VERBOSE) process.stdout.write(text.replace(/^/gm, `  [${name}] `))
  }
  child.stdout.on("data", (chunk) => {
    stdout = (stdout + chunk.toString()).slice(-1000000)
    onData(chunk)
  })
  child.stderr.on("data", onData)
  child.on("exit", () => state.children.delete(child))
  child.on("close", () => fs.closeSync(out))
  child.output = () => buffer
  child.stdoutText = () => stdout
  child.logFile = file
  return child
}

/** Runs a command to completion; rejects on non-zero exit (unless `allowFailure`) or timeout. */
async function run(name, cmd, args, { cwd, env = process.env, timeoutMs, allowFailure = false }) {
  const child = startChild(name, cmd, args, { cwd, env })
  const result = await new Promise((resolve) => {
    let timer = null
    child.on("error", (err) => {
      clearTimeout(timer)
      resolve({ code: null, error: err })
    })
    // "close": the exit status and all of the output
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal })
    })
    timer = setTimeout(async () => {
      await stopGroup(child, 5000)
      resolve({ code: null, timedOut: true })
    }, timeoutMs)
  })
  const output = stripAnsi(child.output())
  if (result.error) fail(`could not start ${cmd}: ${result.error.message}`)
  if (result.timedOut) fail(`\`${cmd} ${args.join(" ")}\` timed out after ${secs(timeoutMs)}`, tail(output))
  if (result.code !== 0 && !allowFailure) {
    fail(`\`${cmd} ${args.join(" ")}\` failed (${result.signal ? `signal ${result.signal}` : `exit code ${result.code}`})`, tail(output))
  }
  return { code: result.code, output, stdout: child.stdoutText() }
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

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

function pgServerFromEnv() {
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL)
    return {
      host: u.hostname.replace(/^\[(.*)\]$/, "$1") || "localhost",
      port: Number(u.port) || 5432,
      user: decodeURIComponent(u.username) || "postgres",
      password: decodeURIComponent(u.password || ""),
      search: u.search,
    }
  }
  return {
    host: process.env.DB_HOST || "localhost",
    port: Number(process.env.DB_PORT || 5432),
    user: process.env.DB_USERNAME || "postgres",
    password: process.env.DB_PASSWORD || "",
    search: "",
  }
}

function dbUrl(srv, database) {
  const auth = encodeURIComponent(srv.user) + (srv.password ? `:${encodeURIComponent(srv.password)}` : "")
  const host = srv.host.includes(":") && !srv.host.startsWith("[") ? `[${srv.host}]` : srv.host
  return `postgres://${auth}@${host}:${srv.port}/${encodeURIComponent(database)}${srv.search || ""}`
}

async function withClient(database, fn) {
  const { Client } = require("pg")
  const srv = state.pgServer
  const client = new Client({
    host: srv.host,
    port: srv.port,
    user: srv.user,
    password: srv.password,
    database,
    connectionTimeoutMillis: 5000,
  })
  client.on("error", () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => {})
  }
}

async function createDatabase() {
  await withClient("postgres", (c) => c.query(`create database "${state.dbName}"`))
  state.dbCreated = true
}

async function dropDatabase(name = state.dbName) {
  await withClient("postgres", async (c) => {
    await c.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [name])
    await c.query(`drop database if exists "${name}"`)
  })
  if (name === state.dbName) state.dbCreated = false
}

// ---------------------------------------------------------------------------------------------------------------
// host app files

function hostPackageJson(tarball) {
  const dev = REPO_PKG.devDependencies || {}
  const peer = REPO_PKG.peerDependencies || {}
  const version = (name) => {
    const v = dev[name] || peer[name]
    if (!v) fail(`the repository's package.json has no version of ${name}`)
    return v
  }
  const deps = {}
  for (const name of [
    "@medusajs/medusa",
    "@medusajs/framework",
    "@medusajs/cli",
    // peers of the plugin
    "@medusajs/admin-sdk",
    "@medusajs/ui",
    "@medusajs/icons",
    "@medusajs/js-sdk",
    "react",
    "react-dom",
  ]) {
    deps[name] = version(name)
  }
  deps[PLUGIN] = `file:${tarball}`
  const devDeps = {}
  for (const name of ["typescript", "ts-node", "@swc/core", "@types/node"]) devDeps[name] = version(name)
  return {
    name: "medusa-virtual-goods-install-host",
    version: "0.0.0",
    private: true,
    description: "Throwaway Medusa app made by integration-tests/install/run.js",
    license: "UNLICENSED",
    scripts: { start: "medusa start", dev: "medusa develop" },
    dependencies: deps,
    devDependencies: devDeps,
    engines: { node: ">=20" },
  }
}

// The tsconfig.json of Medusa's starter.
const HOST_TSCONFIG = {
  compilerOptions: {
    target: "ES2021",
    esModuleInterop: true,
    module: "Node16",
    moduleResolution: "Node16",
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    skipLibCheck: true,
    skipDefaultLibCheck: true,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: true,
    outDir: "./.medusa/server",
    rootDir: "./",
    jsx: "react-jsx",
    forceConsistentCasingInFileNames: true,
    resolveJsonModule: true,
    checkJs: false,
    strictNullChecks: true,
  },
  "ts-node": { swc: true },
  include: ["**/*", ".medusa/types/*"],
  exclude: ["node_modules", ".medusa/server", ".medusa/admin", ".cache"],
}

// The card vault's options, read from the environment as the repository's medusa-config.ts does.
const CARD_VAULT_OPTIONS = `{
        keys: process.env.VIRTUAL_GOODS_ENCRYPTION_KEYS,
        primary_key_version: process.env.VIRTUAL_GOODS_PRIMARY_KEY_VERSION,
        blind_index_key: process.env.VIRTUAL_GOODS_BLIND_INDEX_KEY,
        reveal_url: process.env.VIRTUAL_GOODS_REVEAL_URL,
        auto_capture: process.env.VIRTUAL_GOODS_AUTO_CAPTURE,
        reservation_ttl_seconds: process.env.VIRTUAL_GOODS_RESERVATION_TTL_SECONDS,
        guest_link_ttl_hours: process.env.VIRTUAL_GOODS_GUEST_LINK_TTL_HOURS,
        guest_link_max_uses: process.env.VIRTUAL_GOODS_GUEST_LINK_MAX_USES,
      }`

/**
 * medusa-config.ts of the host. `style` says where the card vault's options go:
 *  - "module" (default): `plugins: [{ resolve, options: {} }]` and the module listed under `modules` with its options
 *    (it replaces the copy the plugin registers, both are keyed `card_vault`);
 *  - "plugin": the options as plugin options (Medusa hands a plugin's options to its modules), as the README shows.
 */
function hostMedusaConfig(style) {
  const pluginOptions = style === "plugin" ? CARD_VAULT_OPTIONS.replace(/^ {2}/gm, "") : "{}"
  const vaultModule =
    style === "plugin"
      ? ""
      : `
    {
      resolve: "${PLUGIN}/modules/card-vault",
      options: ${CARD_VAULT_OPTIONS},
    },`
  return `import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

// A host app as a user of ${PLUGIN} writes it: the plugin under \`plugins\`, the card vault's options from the
// environment, the digital fulfillment provider next to fulfillment-manual, notifications through the local provider.
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:8000,http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: { disable: true },
  plugins: [{ resolve: "${PLUGIN}", options: ${pluginOptions} }],
  modules: [${vaultModule}
    {
      resolve: "@medusajs/medusa/fulfillment",
      options: {
        providers: [
          { resolve: "@medusajs/medusa/fulfillment-manual", id: "manual" },
          { resolve: "${PLUGIN}/providers/digital-fulfillment", id: "digital" },
        ],
      },
    },
    {
      resolve: "@medusajs/medusa/notification",
      options: {
        providers: [
          { resolve: "@medusajs/medusa/notification-local", id: "local", options: { channels: ["email"] } },
        ],
      },
    },
  ],
})
`
}

const HOST_SETUP_SCRIPT = `import { writeFileSync } from "fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { setupVirtualStore } from "${PLUGIN}/scripts/setup-virtual-store"

/** Sets up the store with the plugin's helper and writes the ids for the test runner. */
export default async function setup({ container }: ExecArgs) {
  const store = await setupVirtualStore(container, {
    name: "Install test store",
    products: [
      { title: "Install test voucher", handle: "install-test-voucher", sku: "INSTALL", price: 12, codes: ${CODES_IMPORTED} },
    ],
  })
  const out = process.env.INSTALL_TEST_STORE_FILE
  if (!out) throw new Error("INSTALL_TEST_STORE_FILE is not set")
  writeFileSync(out, JSON.stringify(store, null, 2))
}
`

// ---------------------------------------------------------------------------------------------------------------
// phases

async function buildPlugin() {
  const res = await run("plugin-build", "npx", ["--no", "medusa", "plugin:build"], {
    cwd: ROOT,
    timeoutMs: budget(180000, "plugin:build"),
    allowFailure: true,
  })
  if (res.code !== 0) fail(`\`medusa plugin:build\` failed (exit code ${res.code})`, tail(res.output))
}

async function packPlugin() {
  const dest = path.join(state.tmp, "pack")
  fs.mkdirSync(dest, { recursive: true })
  const res = await run("npm-pack", "npm", ["pack", "--json", "--pack-destination", dest], {
    cwd: ROOT,
    timeoutMs: budget(120000, "npm pack"),
  })
  let info
  try {
    info = JSON.parse(res.stdout.slice(res.stdout.indexOf("[")))[0]
  } catch {
    fail("could not read the output of `npm pack --json`", tail(res.output))
  }
  const tarball = path.join(dest, info.filename)
  if (!fs.existsSync(tarball)) fail(`npm pack reported ${info.filename} but ${tarball} does not exist`)
  const files = new Set(info.files.map((f) => f.path))
  log(`tarball ${info.filename}: ${files.size} files, ${(info.size / 1024).toFixed(0)} kB`)

  const required = [
    "package.json",
    ".medusa/server/src/modules/card-vault/index.js",
    ".medusa/server/src/modules/card-vault/service.js",
    ".medusa/server/src/providers/digital-fulfillment/index.js",
    ".medusa/server/src/workflows/index.js",
    ".medusa/server/src/scripts/setup-virtual-store.js",
    ".medusa/server/src/links/card-pool-product-variant.js",
    ".medusa/server/src/subscribers/virtual-goods-order-placed.js",
    ".medusa/server/src/api/middlewares.js",
    ".medusa/server/src/scripts/import-codes.js",
    ".medusa/server/src/scripts/generate-codes.js",
    ".medusa/server/src/scripts/rotate-keys.js",
    "bin/medusa-virtual-goods.js",
  ]
  const missing = required.filter((f) => !files.has(f))
  if (![...files].some((f) => /^\.medusa\/server\/src\/modules\/card-vault\/migrations\/Migration.*\.js$/.test(f))) {
    missing.push(".medusa/server/src/modules/card-vault/migrations/Migration*.js")
  }
  if (missing.length) fail(`the tarball lacks files a host needs:\n  ${missing.join("\n  ")}`)
  const leaked = [...files].filter((f) =>
    /(^|\/)(__tests__|integration-tests)\/|(^|\/)medusa-config\.(js|ts)$|(^|\/)jest\.config\.js$|(^|\/)\.env/.test(f)
  )
  if (leaked.length) fail(`the tarball contains files that must not be published:\n  ${leaked.join("\n  ")}`)

  // Every non-wildcard export must point at a file of the package.
  for (const [subpath, target] of Object.entries(REPO_PKG.exports || {})) {
    if (subpath.includes("*")) continue
    const targets = typeof target === "string" ? [target] : Object.values(target)
    const absent = [...new Set(targets)].filter((t) => !files.has(t.replace(/^\.\//, "")))
    if (absent.length) {
      fail(`export "${subpath}" of package.json points at ${absent.join(", ")}, which the tarball does not contain`)
    }
  }
  return tarball
}

async function createHost(tarball) {
  const host = path.join(state.tmp, "host")
  fs.mkdirSync(path.join(host, "src", "scripts"), { recursive: true })
  fs.writeFileSync(path.join(host, "package.json"), JSON.stringify(hostPackageJson(tarball), null, 2) + "\n")
  fs.writeFileSync(path.join(host, "tsconfig.json"), JSON.stringify(HOST_TSCONFIG, null, 2) + "\n")
  fs.writeFileSync(path.join(host, "medusa-config.ts"), hostMedusaConfig(OPTIONS_STYLE))
  fs.writeFileSync(path.join(host, "src", "scripts", "setup.ts"), HOST_SETUP_SCRIPT)
  state.host = host
  log(`host app in ${host}`)

  await run("npm-install", "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], {
    cwd: host,
    timeoutMs: budget(420000, "npm install"),
  })

  // The subpaths the host uses resolve through the package's exports map.
  for (const spec of [
    `${PLUGIN}/package.json`,
    `${PLUGIN}/workflows`,
    `${PLUGIN}/modules/card-vault`,
    `${PLUGIN}/.medusa/server/src/modules/card-vault`,
    `${PLUGIN}/providers/digital-fulfillment`,
    `${PLUGIN}/scripts/setup-virtual-store`,
  ]) {
    try {
      require.resolve(spec, { paths: [host] })
    } catch (err) {
      fail(`the host cannot resolve "${spec}": ${err.message.split("\n")[0]}`)
    }
  }
}

function hostEnv(extra = {}, database = state.dbName) {
  const env = { ...process.env }
  // Nothing of the repository's own test setup may leak into the host.
  for (const k of ["REDIS_URL", "DB_TEMP_NAME", "DB_NAME", "TEST_TYPE", "NODE_OPTIONS", "npm_config_prefix"]) delete env[k]
  return {
    ...env,
    DATABASE_URL: dbUrl(state.pgServer, database),
    DB_HOST: state.pgServer.host,
    DB_PORT: String(state.pgServer.port),
    DB_USERNAME: state.pgServer.user,
    DB_PASSWORD: state.pgServer.password,
    MEDUSA_DISABLE_TELEMETRY: "true",
    VIRTUAL_GOODS_ENCRYPTION_KEYS: state.keys.encryption,
    VIRTUAL_GOODS_BLIND_INDEX_KEY: state.keys.blindIndex,
    VIRTUAL_GOODS_AUDIT_SIGNING_KEY: state.keys.auditSigning,
    ...extra,
  }
}

async function migrate() {
  await createDatabase()
  log(`database ${state.dbName} created on ${state.pgServer.host}:${state.pgServer.port}`)
  const res = await run("db-migrate", "npx", ["--no", "medusa", "db:migrate"], {
    cwd: state.host,
    env: hostEnv(),
    timeoutMs: budget(240000, "db:migrate"),
  })
  const tables = await withClient(state.dbName, async (c) =>
    (await c.query(`select table_name from information_schema.tables where table_schema = 'public' and table_name like 'card\\_%'`)).rows.map(
      (r) => r.table_name
    )
  )
  const expected = ["card_audit_log", "card_batch", "card_code", "card_delivery", "card_pool", "card_reveal_link"]
  const absent = expected.filter((t) => !tables.includes(t))
  if (absent.length) fail(`db:migrate did not create the plugin's tables ${absent.join(", ")}`, tail(res.output))
  // The link module names the table of the plugin's link <module>_<entity>_<module>_<entity>.
  if (!tables.includes("card_vault_card_pool_product_product_variant")) {
    fail("db:migrate did not create the table of the plugin's card pool <> product variant link", tail(res.output))
  }
}

async function setupStore() {
  const storeFile = path.join(state.tmp, "store.json")
  await run("setup-store", "npx", ["--no", "medusa", "exec", "./src/scripts/setup.ts"], {
    cwd: state.host,
    env: hostEnv({ INSTALL_TEST_STORE_FILE: storeFile }),
    timeoutMs: budget(240000, "medusa exec setup"),
  })
  if (!fs.existsSync(storeFile)) fail("the setup script finished but wrote no store file")
  const store = JSON.parse(fs.readFileSync(storeFile, "utf8"))
  if (!store.publishable_key || !store.region_id || !store.products?.[0]?.variant_id) {
    fail(`setupVirtualStore returned an incomplete store: ${JSON.stringify(store)}`)
  }
  const available = await withClient(state.dbName, async (c) =>
    Number(
      (await c.query(`select count(*) as n from card_code where pool_id = $1 and status = 'available' and deleted_at is null`, [
        store.products[0].pool_id,
      ])).rows[0].n
    )
  )
  if (available !== CODES_IMPORTED) fail(`expected ${CODES_IMPORTED} available codes after setup, found ${available}`)
  log(`store: region ${store.region_id}, variant ${store.products[0].variant_id}, pool ${store.products[0].pool_id} (${available} codes)`)
  return store
}

/** The package bin runs the plugin's generate script in the host app: codes land in the pool as a committed batch. */
async function generateWithBin(store) {
  const poolId = store.products[0].pool_id
  const res = await run("bin-generate", "npx", ["--no", "medusa-virtual-goods", "generate", poolId, String(CODES_GENERATED), "--prefix", "GIFT-"], {
    cwd: state.host,
    env: hostEnv(),
    timeoutMs: budget(240000, "medusa-virtual-goods generate"),
  })
  if (!res.output.includes(`committed: ${CODES_GENERATED} codes imported`)) {
    fail(`the generate command did not report a committed batch of ${CODES_GENERATED}`, tail(res.output))
  }
  const batches = await withClient(state.dbName, async (c) =>
    (await c.query(`select status, code_count, source from card_batch where pool_id = $1 and source = 'generated'`, [poolId])).rows
  )
  if (batches.length !== 1 || batches[0].status !== "committed" || batches[0].code_count !== CODES_GENERATED) {
    fail(`expected one committed generated batch of ${CODES_GENERATED} codes, found ${JSON.stringify(batches)}`)
  }
  log(`medusa-virtual-goods generate: batch of ${CODES_GENERATED} generated codes committed in pool ${poolId}`)
}

async function startServer(database = state.dbName) {
  const port = await freePort()
  const server = startChild(database === state.dbName ? "server" : "server-restored", "npx", ["--no", "medusa", "start"], {
    cwd: state.host,
    env: hostEnv({ PORT: String(port) }, database),
  })
  state.server = server
  let exited = null
  server.on("exit", (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`
  })
  server.on("error", (err) => {
    exited = `error ${err.message}`
  })
  const base = `http://localhost:${port}`
  const until = Date.now() + budget(180000, "server start")
  while (Date.now() < until) {
    if (exited) fail(`\`medusa start\` exited (${exited}) before /health answered`, tail(stripAnsi(server.output())))
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) })
      if (res.ok) {
        log(`server answers on ${base} (pid ${server.pid})`)
        return base
      }
    } catch {
      // not listening yet
    }
    await sleep(500)
  }
  fail("`medusa start` did not answer /health in time", tail(stripAnsi(server.output())))
}

async function api(base, store, method, route, body) {
  let res
  try {
    res = await fetch(`${base}${route}`, {
      method,
      headers: { "content-type": "application/json", "x-publishable-api-key": store.publishable_key },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(Math.min(60000, Math.max(1000, remaining()))),
    })
  } catch (err) {
    fail(`${method} ${route}: ${err.message}`)
  }
  const text = await res.text()
  let data
  try {
    data = JSON.parse(text)
  } catch {
    data = text
  }
  if (!res.ok) fail(`${method} ${route} answered ${res.status}: ${text.slice(0, 1000)}`)
  return data
}

async function buyOneCode(base, store) {
  const variantId = store.products[0].variant_id
  const { cart } = await api(base, store, "POST", "/store/carts", {
    region_id: store.region_id,
    email: "install-test@example.com",
    items: [{ variant_id: variantId, quantity: 1 }],
  })
  log(`cart ${cart.id} (${cart.items.length} item, requires_shipping ${cart.items[0]?.requires_shipping})`)
  // The storefront's receipt: the browser that checks out may open the order's codes without an account.
  if (!state.secret) {
    state.secret = crypto.randomBytes(32).toString("base64url")
    await api(base, store, "POST", `/store/virtual-goods/carts/${cart.id}/receipt`, { secret: state.secret })
  }
  const { payment_collection: pc } = await api(base, store, "POST", "/store/payment-collections", { cart_id: cart.id })
  await api(base, store, "POST", `/store/payment-collections/${pc.id}/payment-sessions`, { provider_id: "pp_system_default" })
  const completed = await api(base, store, "POST", `/store/carts/${cart.id}/complete`, {})
  if (completed.type !== "order" || !completed.order?.id) {
    fail(`cart completion did not return an order: ${JSON.stringify(completed).slice(0, 1000)}`)
  }
  log(`order ${completed.order.id} placed`)
  return completed.order
}

async function verifyDelivery(order, store) {
  const until = Date.now() + budget(90000, "delivery")
  let last = null
  while (Date.now() < until) {
    last = await withClient(state.dbName, async (c) => {
      const codes = (await c.query(`select id, status, line_item_id from card_code where order_id = $1 and deleted_at is null`, [order.id])).rows
      const delivery = (await c.query(`select status, last_error from card_delivery where order_id = $1 and deleted_at is null`, [order.id])).rows[0]
      const fulfillments = (
        await c.query(
          `select f.id, f.provider_id, f.delivered_at from order_fulfillment ofl
             join fulfillment f on f.id = ofl.fulfillment_id and f.deleted_at is null
            where ofl.order_id = $1 and ofl.deleted_at is null`,
          [order.id]
        )
      ).rows
      return { codes, delivery, fulfillments }
    })
    if (last.delivery?.status === "held") fail(`the plugin held the delivery of ${order.id}: ${last.delivery.last_error}`)
    const delivered = last.codes.filter((c) => c.status === "delivered")
    if (delivered.length && last.delivery?.status === "delivered" && last.fulfillments.some((f) => f.delivered_at)) break
    await sleep(500)
  }
  const { codes, delivery, fulfillments } = last
  const state_ = `codes ${JSON.stringify(codes.map((c) => c.status))}, card_delivery ${delivery ? delivery.status : "none"}, fulfillments ${JSON.stringify(fulfillments)}`
  const delivered = codes.filter((c) => c.status === "delivered")
  if (delivered.length !== 1 || codes.length !== 1) fail(`expected exactly 1 delivered card_code for ${order.id}; found ${state_}`)
  if (delivered[0].line_item_id !== order.items[0].id) fail(`the delivered code is bound to line ${delivered[0].line_item_id}, not ${order.items[0].id}`)
  if (delivery?.status !== "delivered") fail(`card_delivery of ${order.id} is not 'delivered'; ${state_}`)
  if (fulfillments.length !== 1) fail(`expected exactly 1 fulfillment for ${order.id}; ${state_}`)
  if (fulfillments[0].provider_id !== "digital_digital") fail(`the fulfillment uses provider ${fulfillments[0].provider_id}, not digital_digital`)
  if (!fulfillments[0].delivered_at) fail(`the fulfillment ${fulfillments[0].id} is not marked delivered`)
  const counts = await withClient(state.dbName, async (c) =>
    Object.fromEntries(
      (await c.query(`select status, count(*)::int as n from card_code where pool_id = $1 and deleted_at is null group by status`, [store.products[0].pool_id])).rows.map(
        (r) => [r.status, r.n]
      )
    )
  )
  const stocked = CODES_IMPORTED + CODES_GENERATED
  if (counts.available !== stocked - 1 || counts.delivered !== 1) {
    fail(`pool counts after one sale should be ${stocked - 1} available + 1 delivered, got ${JSON.stringify(counts)}`)
  }
  log(`delivered: code ${delivered[0].id}, fulfillment ${fulfillments[0].id} (digital_digital, delivered), pool ${JSON.stringify(counts)}`)
}

/** Opens the first order's code through its receipt (audited as a reveal); answers the code. */
async function revealWithReceipt(base, store, order) {
  const opened = await api(base, store, "POST", "/store/virtual-goods/receipts/reveal", { order_id: order.id, secret: state.secret })
  const code = opened.card_codes?.[0]?.code
  if (opened.card_codes?.length !== 1 || typeof code !== "string" || !code) {
    fail(`the receipt did not open exactly one code: ${JSON.stringify({ ...opened, card_codes: opened.card_codes?.map((c) => c.mask) })}`)
  }
  return code
}

/** The package bin signs a checkpoint of the audit chains (the store's signing key comes from the environment). */
async function signCheckpoint() {
  const res = await run("audit-checkpoint", "npx", ["--no", "medusa-virtual-goods", "audit-checkpoint"], {
    cwd: state.host,
    env: hostEnv(),
    timeoutMs: budget(120000, "medusa-virtual-goods audit-checkpoint"),
  })
  const line = res.output.split("\n").find((l) => l.startsWith("Checkpoint "))
  if (!line) fail("audit-checkpoint did not report a signed checkpoint", tail(res.output))
  log(line.trim())
}

/** The package bin's verify-audit on a database: it must pass. */
async function verifyAudit(database) {
  const res = await run("verify-audit", "npx", ["--no", "medusa-virtual-goods", "verify-audit"], {
    cwd: state.host,
    env: hostEnv({}, database),
    timeoutMs: budget(120000, "medusa-virtual-goods verify-audit"),
    allowFailure: true,
  })
  if (res.code !== 0 || !res.output.includes("The audit log verifies") || !/ 1 checkpoints verified/.test(res.output)) {
    fail(`verify-audit did not pass on ${database} (exit ${res.code})`, tail(res.output))
  }
  const line = res.output.split("\n").find((l) => l.includes("audit rows"))
  log(`verify-audit on ${database}: ${line ? line.trim() : "passes"}`)
}

/**
 * Backup and restore as docs/operations.md describes it: a custom-format dump of the store's database, restored into
 * a new one; the keys come from the environment (never from the dump).
 */
async function backupAndRestore() {
  const pgEnv = {
    ...process.env,
    PGHOST: state.pgServer.host,
    PGPORT: String(state.pgServer.port),
    PGUSER: state.pgServer.user,
    PGPASSWORD: state.pgServer.password,
  }
  const dump = path.join(state.tmp, "store.dump")
  await run("pg_dump", "pg_dump", ["--format=custom", "--no-owner", "--file", dump, state.dbName], {
    env: pgEnv,
    timeoutMs: budget(120000, "pg_dump"),
  })
  log(`pg_dump: ${dump} (${fs.statSync(dump).size} bytes)`)
  await stopGroup(state.server)
  state.server = null
  state.restoredDb = `${state.dbName}_restored`
  await withClient("postgres", (c) => c.query(`create database "${state.restoredDb}"`))
  await run("pg_restore", "pg_restore", ["--no-owner", "--exit-on-error", "--dbname", state.restoredDb, dump], {
    env: pgEnv,
    timeoutMs: budget(120000, "pg_restore"),
  })
  log(`pg_restore: ${state.restoredDb}`)
}

/** The restored store sells: the next order is delivered from the restored pool. */
async function verifyRestoredSale(order) {
  const until = Date.now() + budget(90000, "delivery after restore")
  while (Date.now() < until) {
    const row = await withClient(state.restoredDb, async (c) =>
      (
        await c.query(
          `select (select count(*)::int from card_code where order_id = $1 and status = 'delivered') as delivered,
                  (select status from card_delivery where order_id = $1) as status`,
          [order.id]
        )
      ).rows[0]
    )
    if (row.status === "held") fail(`the restored store held the delivery of ${order.id}`)
    if (row.delivered === 1 && row.status === "delivered") {
      log(`restored store delivered order ${order.id}`)
      return
    }
    await sleep(500)
  }
  fail(`the restored store did not deliver ${order.id} in time`)
}

// ---------------------------------------------------------------------------------------------------------------
// cleanup

async function cleanup() {
  if (state.cleaning) return state.cleaning
  state.cleaning = (async () => {
    const t0 = Date.now()
    for (const child of [...state.children]) await stopGroup(child).catch(() => {})
    if (state.dbCreated && !KEEP) {
      await dropDatabase().catch((err) => console.log(`[install] could not drop database ${state.dbName}: ${err.message}`))
    }
    if (state.restoredDb && !KEEP) {
      await dropDatabase(state.restoredDb).catch((err) => console.log(`[install] could not drop database ${state.restoredDb}: ${err.message}`))
    }
    if (state.tmp) {
      if (KEEP) log(`KEEP_INSTALL_TEST=1: kept ${state.tmp}${state.dbCreated ? ` and database ${state.dbName}` : ""}`)
      else fs.rmSync(state.tmp, { recursive: true, force: true })
    }
    timings.push({ name: "cleanup", ms: Date.now() - t0, ok: true })
  })()
  return state.cleaning
}

let interrupted = false
function onSignal(signal) {
  if (interrupted) process.exit(130)
  interrupted = true
  console.log(`\n[install] ${signal}: cleaning up`)
  cleanup().finally(() => {
    console.log("0 passed, 1 failed")
    process.exit(130)
  })
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)
  const randomKey = () => crypto.randomBytes(32).toString("base64")
  state.keys = {
    encryption: process.env.VIRTUAL_GOODS_ENCRYPTION_KEYS || `1:${randomKey()}`,
    blindIndex: process.env.VIRTUAL_GOODS_BLIND_INDEX_KEY || randomKey(),
    auditSigning: randomKey(),
  }
  state.pgServer = pgServerFromEnv()
  state.dbName = `medusa_vg_install_${Date.now().toString(36)}_${crypto.randomBytes(3).toString("hex")}`
  state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), "medusa-vg-install-"))
  if (!["module", "plugin"].includes(OPTIONS_STYLE)) {
    console.log(`[install] INSTALL_TEST_OPTIONS must be "module" or "plugin", got "${OPTIONS_STYLE}"`)
    console.log("0 passed, 1 failed")
    process.exit(1)
  }
  log(`${PLUGIN}@${REPO_PKG.version}: install test in ${state.tmp} (budget ${secs(BUDGET_MS)}, card vault options via ${OPTIONS_STYLE})`)

  let ok = false
  try {
    await phase("postgres check", async () => {
      await withClient("postgres", (c) => c.query("select 1")).catch((err) =>
        fail(`cannot reach PostgreSQL at ${state.pgServer.host}:${state.pgServer.port} as ${state.pgServer.user}: ${err.message}`)
      )
    })
    await phase("plugin:build", buildPlugin)
    const tarball = await phase("npm pack", packPlugin)
    await phase("host app + npm install", () => createHost(tarball))
    await phase("db:migrate", migrate)
    const store = await phase("setup store (medusa exec)", setupStore)
    await phase("generate codes (package bin)", () => generateWithBin(store))
    const base = await phase("medusa start", startServer)
    const order = await phase("checkout via store API", () => buyOneCode(base, store))
    await phase("delivery check (SQL)", () => verifyDelivery(order, store))
    const code = await phase("reveal (receipt)", () => revealWithReceipt(base, store, order))
    await phase("audit-checkpoint (package bin)", signCheckpoint)
    await phase("verify-audit (package bin)", () => verifyAudit(state.dbName))
    await phase("pg_dump + pg_restore", backupAndRestore)
    await phase("verify-audit (restored)", () => verifyAudit(state.restoredDb))
    const restoredBase = await phase("medusa start (restored)", () => startServer(state.restoredDb))
    await phase("reveal after restore", async () => {
      const again = await revealWithReceipt(restoredBase, store, order)
      if (again !== code) fail("the restored store opened a different code than the original for the same order")
      log("the restored store opens the same code with the same keys")
    })
    const next = await phase("checkout after restore", () => buyOneCode(restoredBase, store))
    await phase("delivery after restore (SQL)", () => verifyRestoredSale(next))
    ok = true
  } catch (err) {
    console.log("")
    console.log(`[install] FAILED: ${err.message}`)
    if (err.details) console.log(`[install] --- last output ---\n${err.details}\n[install] ---`)
    if (!(err instanceof TestFailure) && err.stack) console.log(err.stack)
  } finally {
    if (state.server) {
      const t0 = Date.now()
      await stopGroup(state.server)
      log(`server stopped in ${secs(Date.now() - t0)}`)
    }
    await cleanup()
  }

  console.log("")
  log("timings:")
  for (const t of timings) log(`  ${t.name.padEnd(28)} ${secs(t.ms).padStart(8)}${t.ok ? "" : "  (failed)"}`)
  log(`  ${"total".padEnd(28)} ${secs(Date.now() - STARTED).padStart(8)}`)
  if (warnings.length) {
    log("warnings:")
    for (const w of warnings) log(`  - ${w}`)
  }
  console.log(ok ? "1 passed, 0 failed" : "0 passed, 1 failed")
  process.exit(ok ? 0 : 1)
}

main()
