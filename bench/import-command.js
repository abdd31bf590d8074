"use strict"

/**
 * Peak memory of our import as users run it: `medusa-virtual-goods import <pool_id> <file>` (the package's bin, which
 * runs `medusa exec src/scripts/import-codes.ts` with a 384 MB heap cap) on a file of random codes, against a database
 * migrated with `medusa db:migrate` like a real app's. The command prints its peak resident memory
 * (`process.resourceUsage().maxRSS`) and a progress line with its import rate; both are read from its output.
 * Used by scripts/bench.js (import area); the database is created and dropped here.
 */

const crypto = require("crypto")
const fs = require("fs")
const os = require("os")
const path = require("path")
const { spawn } = require("child_process")
const { Client } = require("pg")
const { dbEnv, ROOT } = require("../scripts/lib/postgres")

const MEDUSA_BIN = path.join(ROOT, "node_modules", "@medusajs", "cli", "cli.js")

/** Runs a command, keeping its output (stdout and stderr together); resolves with the exit code and the output. */
function capture(cmd, args, env, onChild) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
    if (onChild) onChild(child)
    let out = ""
    child.stdout.on("data", (d) => (out += d))
    child.stderr.on("data", (d) => (out += d))
    child.on("error", (e) => resolve({ code: 1, out: `${out}\n${e.message}` }))
    child.on("exit", (code, signal) => resolve({ code: signal ? 1 : code ?? 1, out }))
  })
}

async function writeCodesFile(file, n) {
  const out = fs.createWriteStream(file, { mode: 0o600 })
  for (let done = 0; done < n; ) {
    const rows = Math.min(10_000, n - done)
    const random = crypto.randomBytes(rows * 8)
    let chunk = ""
    for (let k = 0; k < rows; k++) chunk += `CLI-${random.toString("hex", k * 8, k * 8 + 8).toUpperCase()}\n`
    if (!out.write(chunk)) await new Promise((r) => out.once("drain", r))
    done += rows
  }
  await new Promise((resolve, reject) => out.end((e) => (e ? reject(e) : resolve())))
}

/**
 * @param {{ pg: object, env: NodeJS.ProcessEnv, codes: number, dbName: string, log: (line: string) => void,
 *   onChild?: (child: import("child_process").ChildProcess) => void }} options
 */
async function importCommandBench({ pg, env, codes, dbName, log, onChild }) {
  const connect = async (database) => {
    const c = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password || undefined, database })
    await c.connect()
    return c
  }
  const admin = await connect("postgres")
  const cliEnv = { ...env, ...dbEnv(pg, dbName), NODE_ENV: "production", LOG_LEVEL: "error" }
  const file = path.join(os.tmpdir(), `vg-bench-cli-${process.pid}.txt`)
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}"`)
    await admin.query(`CREATE DATABASE "${dbName}"`)
    let t0 = Date.now()
    const migrated = await capture(process.execPath, [MEDUSA_BIN, "db:migrate"], cliEnv, onChild)
    if (migrated.code !== 0) throw new Error(`medusa db:migrate failed:\n${migrated.out.slice(-3000)}`)
    const migrateSeconds = (Date.now() - t0) / 1000
    log(`import command: ${dbName} migrated with medusa db:migrate in ${migrateSeconds.toFixed(1)} s`)

    const db = await connect(dbName)
    try {
      await db.query(`INSERT INTO card_pool (id, name) VALUES ('cpool_bench_cli', 'Import command benchmark')`)
    } finally {
      await db.end()
    }
    await writeCodesFile(file, codes)

    t0 = Date.now()
    const res = await capture(process.execPath, [path.join(ROOT, "bin", "medusa-virtual-goods.js"), "import", "cpool_bench_cli", file], cliEnv, onChild)
    const wallSeconds = (Date.now() - t0) / 1000
    const committed = new RegExp(`committed: ${codes} codes imported from ${codes} lines, 0 rejected`).test(res.out)
    const peak = Number((/Peak memory: (\d+) MB/.exec(res.out) || [])[1])
    // The last progress line: "100% 1,000,000 lines · 1,000,000 codes · 0 rejected · 29,000 lines/s".
    const rates = [...res.out.matchAll(/([\d,]+) lines\/s/g)].map((m) => Number(m[1].replace(/,/g, "")))
    if (res.code !== 0 || !committed || !peak) {
      throw new Error(`the import command did not commit ${codes} codes (exit code ${res.code}):\n${res.out.slice(-3000)}`)
    }
    const check = await connect(dbName)
    try {
      const { rows } = await check.query(`select count(*)::int as n from card_code where pool_id = 'cpool_bench_cli' and status = 'available'`)
      if (rows[0].n !== codes) throw new Error(`the import command reported ${codes} codes, the database holds ${rows[0].n}`)
    } finally {
      await check.end()
    }
    const result = {
      command: "medusa-virtual-goods import <pool_id> <file>  (bin → medusa exec src/scripts/import-codes.ts, --max-old-space-size=384)",
      codes,
      migrate_seconds: Math.round(migrateSeconds * 10) / 10,
      wall_seconds_including_app_boot: Math.round(wallSeconds * 10) / 10,
      codes_per_second_as_reported: rates.length ? rates[rates.length - 1] : null,
      peak_rss_mb: peak,
      goal: "peak RSS < 512 MB",
      met: peak < 512,
    }
    log(
      `import command: ${codes.toLocaleString("en-US")} codes committed, ${result.wall_seconds_including_app_boot} s including the app's boot ` +
        `(${(result.codes_per_second_as_reported || 0).toLocaleString("en-US")} lines/s as it reports), peak RSS ${peak} MB ` +
        `(goal < 512 MB: ${result.met ? "met" : "NOT met"})`
    )
    return result
  } finally {
    fs.rmSync(file, { force: true })
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => admin.query(`DROP DATABASE IF EXISTS "${dbName}"`)).catch(() => undefined)
    await admin.end()
  }
}

module.exports = { importCommandBench }
