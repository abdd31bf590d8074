#!/usr/bin/env node
"use strict"

/**
 * `npm run bench`: the benchmarks of bench/, each running a raw baseline and our path in the same run, alternating.
 *
 *   node scripts/bench.js                    all areas: claim (with growth), import, checkout, command
 *   node scripts/bench.js claim import       only these
 *   BENCH_QUICK=1 node scripts/bench.js      smaller pools and counts (a couple of minutes)
 *
 * Writes bench/results/latest.json and bench/results/latest.md (date, machine, figures, ratios, goals). Speed goals
 * are reported, never enforced: the exit code is non-zero only when a benchmark fails to run or finds a wrong result.
 */

const crypto = require("crypto")
const fs = require("fs")
const os = require("os")
const path = require("path")
const { spawn } = require("child_process")
const { ensureInstalled } = require("./lib/install")
const { ensurePostgres, dbEnv, ROOT } = require("./lib/postgres")

const AREAS = ["claim", "import", "checkout", "command"]
const QUICK = process.env.BENCH_QUICK === "1"
const RESULTS = path.join(ROOT, "bench", "results")

function parseAreas(argv) {
  const unknown = argv.filter((a) => !AREAS.includes(a))
  if (unknown.length) {
    console.error(`Unknown benchmark area(s): ${unknown.join(", ")}. Usage: node scripts/bench.js [${AREAS.join("|")} ...]`)
    process.exit(2)
  }
  return argv.length ? AREAS.filter((a) => argv.includes(a)) : AREAS
}

function run(cmd, args, env, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit" })
    let out = ""
    if (capture) {
      child.stdout.on("data", (d) => {
        out += d
        process.stdout.write(d)
      })
      child.stderr.on("data", (d) => (out += d))
    }
    child.on("exit", (code) => resolve({ code: code ?? 1, out }))
  })
}

const jest = (file, testName, env) =>
  run(
    "npx",
    ["jest", "-c", "bench/jest.config.js", "--runInBand", "--forceExit", file, ...(testName ? ["-t", testName] : [])],
    { ...env, NODE_OPTIONS: "--experimental-vm-modules" }
  )

const readTmp = (name) => {
  const file = path.join(RESULTS, `${name}.tmp.json`)
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null
}

/** The real command (`medusa-virtual-goods import`) on a file of codes, in a database migrated like a real app's. */
async function commandBench(pg, env) {
  const n = QUICK ? 100_000 : 1_000_000
  const dbName = "medusa_virtual_goods_bench_cli"
  const { Client } = require("pg")
  const admin = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: "postgres" })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`)
  await admin.query(`CREATE DATABASE ${dbName}`)
  const cliEnv = { ...env, ...dbEnv(pg, dbName), NODE_ENV: "development", LOG_LEVEL: "error" }
  const file = path.join(os.tmpdir(), `vg-bench-cli-${process.pid}.txt`)
  try {
    console.log(`[bench] command: migrating ${dbName}`)
    const migrated = await run("npx", ["medusa", "db:migrate"], cliEnv, { capture: true })
    if (migrated.code !== 0) throw new Error(`medusa db:migrate failed:\n${migrated.out.slice(-2000)}`)
    const db = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: dbName })
    await db.connect()
    await db.query(`INSERT INTO card_pool (id, name) VALUES ('cpool_bench_cli', 'Command benchmark')`)
    await db.end()
    const out = fs.createWriteStream(file)
    for (let i = 0; i < n; i++) {
      if (!out.write(`CLI-${crypto.randomBytes(8).toString("hex").toUpperCase()}\n`)) await new Promise((r) => out.once("drain", r))
    }
    await new Promise((r) => out.end(r))
    const t0 = Date.now()
    const res = await run("node", ["bin/medusa-virtual-goods.js", "import", "cpool_bench_cli", file], cliEnv, { capture: true })
    const seconds = (Date.now() - t0) / 1000
    const committed = new RegExp(`committed: ${n} codes imported`).test(res.out)
    const peak = Number((/Peak memory: (\d+) MB/.exec(res.out) || [])[1])
    if (res.code !== 0 || !committed || !peak) throw new Error(`the import command did not commit ${n} codes:\n${res.out.slice(-2000)}`)
    return {
      goal: "peak memory of the import process < 512 MB",
      codes: n,
      seconds_including_app_boot: Math.round(seconds * 10) / 10,
      peak_rss_mb: peak,
      met: peak < 512,
    }
  } finally {
    fs.rmSync(file, { force: true })
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`).catch(() => undefined)
    await admin.end()
  }
}

async function machine(pg) {
  let pgVersion = "unknown"
  const { Client } = require("pg")
  const c = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: "postgres" })
  try {
    await c.connect()
    pgVersion = `PostgreSQL ${(await c.query("show server_version")).rows[0].server_version}`
  } catch {
  } finally {
    await c.end().catch(() => undefined)
  }
  return {
    cores: os.cpus().length,
    memory_gb: Math.round(os.totalmem() / 1024 ** 3),
    cpu: os.cpus()[0]?.model ?? "unknown",
    node: process.version,
    postgres: pgVersion,
  }
}

const f = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : String(n))
const goal = (value, min) => `${value} (goal ≥ ${min}: ${value >= min ? "met" : "NOT met"})`

function markdown(all) {
  const lines = [
    `# Benchmark results`,
    "",
    `Last run ${all.date} · ${all.quick ? "quick run (BENCH_QUICK=1)" : "full run"} · ${all.machine.cores} cores, ${all.machine.memory_gb} GB, ${all.machine.cpu} · Node ${all.machine.node} · ${all.machine.postgres}`,
    "",
    "Each pair ran in the same process, alternating rounds. The machine is shared and noisy: compare ratios, not absolute figures.",
    "",
  ]
  const when = (r) => (r?.measured_at ? ` (measured ${r.measured_at.slice(0, 16).replace("T", " ")} UTC)` : "")
  if (all.claim) {
    lines.push(`## Claim: our reservation vs one raw SQL statement${when(all.claim)}`, "")
    lines.push("Ours is `reserveForCart` as checkout calls it: the per-cart lock, the claim, and the `reserve` audit row, committed. Raw is the single `FOR UPDATE SKIP LOCKED` statement of limits.md with nothing else.", "")
    lines.push("| pool | workers | raw claims/s | ours claims/s | ratio (goal ≥ 0.7) | ours p50 / p99 ms | plan |", "|---|---|---|---|---|---|---|")
    for (const r of all.claim.rows) {
      lines.push(`| ${f(r.pool_size)} | ${r.workers} | ${f(r.raw.per_second)} | ${f(r.ours.per_second)} | ${r.ratio} | ${r.ours.p50_ms} / ${r.ours.p99_ms} | ${r.plan_index} |`)
    }
    lines.push("")
  }
  if (all.growth) {
    const g = all.growth
    lines.push(`## Growth${when(all.growth)}`, "", "| pool size | import codes/s |", "|---|---|")
    for (const [size, rate] of Object.entries(g.import_rate_by_pool_size)) lines.push(`| ${f(Number(size))} | ${f(rate)} |`)
    const c = g.claim_16_workers
    lines.push(
      "",
      `Claim at 16 workers, pool of ${f(c.pool_size)} (after VACUUM, as autovacuum would have run): fresh ${f(c.fresh.per_second)}/s (${c.fresh.plan_index}), 90% sold ${f(c.ninety_percent_sold.per_second)}/s (${c.ninety_percent_sold.plan_index}): ratio ${c.ratio_sold_vs_fresh}.`,
      ""
    )
  }
  if (all.import) {
    const i = all.import
    lines.push(
      `## Import: ours (file → committed batch) vs raw generate + encrypt + COPY${when(i)}`,
      "",
      `${f(i.codes_per_round)} codes per round, ${i.rounds} rounds each: raw ${f(i.raw_codes_per_second)} codes/s, ours ${f(i.ours_codes_per_second)} codes/s, ratio ${goal(i.ratio, 0.8)}.`,
      ""
    )
  }
  if (all.command) {
    const c = all.command
    lines.push(
      `## The import command${when(c)}`,
      "",
      `\`medusa-virtual-goods import\` of ${f(c.codes)} codes: ${c.seconds_including_app_boot} s including the app's boot, peak memory ${c.peak_rss_mb} MB (goal < 512 MB: ${c.met ? "met" : "NOT met"}).`,
      ""
    )
  }
  if (all.checkout) {
    lines.push(`## Checkout through the store API: virtual code vs ordinary product${when(all.checkout)}`, "")
    lines.push("| concurrency | ordinary checkouts/s | virtual checkouts/s | ratio (goal ≥ 0.8) | ordinary p95 ms | virtual p95 ms |", "|---|---|---|---|---|---|")
    for (const r of all.checkout.rows) {
      lines.push(`| ${r.concurrency} | ${r.ordinary.per_second} | ${r.virtual.per_second} | ${r.ratio} | ${r.ordinary.p95_ms} | ${r.virtual.p95_ms} |`)
    }
    const d = all.checkout.placed_to_delivered
    lines.push("", `Order placed → codes delivered: p50 ${d.p50_ms} ms, p95 ${d.p95_ms} ms, max ${d.max_ms} ms over ${d.orders} orders.`, "")
  }
  return lines.join("\n")
}

async function main() {
  const areas = parseAreas(process.argv.slice(2))
  ensureInstalled()
  const pg = await ensurePostgres({ preferLocal: true })
  const key = () => crypto.randomBytes(32).toString("base64")
  const env = {
    ...process.env,
    ...dbEnv(pg, "medusa_virtual_goods_bench"),
    NODE_ENV: "test",
    MEDUSA_DISABLE_TELEMETRY: "true",
    LOG_LEVEL: "error",
    VIRTUAL_GOODS_ENCRYPTION_KEYS: process.env.VIRTUAL_GOODS_ENCRYPTION_KEYS || `1:${key()}`,
    VIRTUAL_GOODS_BLIND_INDEX_KEY: process.env.VIRTUAL_GOODS_BLIND_INDEX_KEY || key(),
  }
  fs.mkdirSync(RESULTS, { recursive: true })
  for (const f of fs.readdirSync(RESULTS).filter((f) => f.endsWith(".tmp.json"))) fs.rmSync(path.join(RESULTS, f))

  const all = { date: new Date().toISOString(), quick: QUICK, machine: await machine(pg) }
  let failed = false
  if (areas.includes("claim")) {
    failed = (await jest("bench/vault.bench.ts", "claim", env)).code !== 0 || failed
    const r = readTmp("vault-claim")
    if (r) Object.assign(all, { claim: r.claim, growth: r.growth })
  }
  if (areas.includes("import")) {
    failed = (await jest("bench/vault.bench.ts", "import", env)).code !== 0 || failed
    all.import = readTmp("vault-import")
  }
  if (areas.includes("checkout")) {
    failed = (await jest("bench/checkout.bench.ts", null, env)).code !== 0 || failed
    all.checkout = readTmp("checkout")
  }
  if (areas.includes("command")) {
    try {
      all.command = await commandBench(pg, env)
    } catch (e) {
      console.error(`[bench] command: ${e.message}`)
      failed = true
    }
  }
  if (pg.stop) await pg.stop()

  // A partial run keeps the figures of the other areas from the last full results.
  const latestJson = path.join(RESULTS, "latest.json")
  const previous = fs.existsSync(latestJson) && areas.length < AREAS.length ? JSON.parse(fs.readFileSync(latestJson, "utf8")) : {}
  for (const area of ["claim", "growth", "import", "command", "checkout"]) {
    if (all[area]) all[area].measured_at = all.date
  }
  const merged = { ...previous, ...Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined && v !== null)) }
  fs.writeFileSync(latestJson, JSON.stringify(merged, null, 2) + "\n")
  const md = markdown(merged)
  fs.writeFileSync(path.join(RESULTS, "latest.md"), md + "\n")
  console.log(`\n${md}`)
  process.exit(failed ? 1 : 0)
}

main().catch((e) => {
  console.error(`[bench] ${e && e.message ? e.message : e}`)
  process.exit(1)
})
