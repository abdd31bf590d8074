#!/usr/bin/env node
"use strict"

/**
 * `npm run bench`: benchmarks of our hot paths, each against a raw baseline run in the same process, alternating.
 *
 *   node scripts/bench.js                       all areas: claim, import, checkout, checkout_worker, growth, wholesale,
 *                                               wholesale_worker, flash_sale, flash_sale_worker, suppliers, redemption
 *   node scripts/bench.js claim growth          only these
 *   BENCH_QUICK=1 node scripts/bench.js         smoke run with small pools and counts (~2–3 minutes)
 *   node scripts/bench.js --report              rewrite latest.md (quick: quick.tmp.md) from its JSON, print the summary
 *
 *   claim     our reservation (reserveForCart) vs one raw FOR UPDATE SKIP LOCKED statement; 1 and 16 workers;
 *             pools of 10k and 1M codes (quick: 10k, 100k); the claim's plan
 *   import    our streaming import of a 1M-code file (quick: 100k) vs raw generate + AES-GCM + HMAC + COPY; then the
 *             real `medusa-virtual-goods import` command in its own process for its peak memory
 *   checkout  buying a virtual code vs an ordinary in-stock product through the store API, 1 and 4 buyers at a time;
 *             order placed → codes delivered; one process serves the API and runs the delivery
 *   checkout_worker  the same with Medusa's production split: this app serves the API (MEDUSA_WORKER_MODE=server), a
 *             `medusa start` worker process runs the subscribers; Redis event bus, workflow engine and locking
 *   growth    import and claim cost at 10k, 100k, 1M codes (quick: 10k, 100k); claims on a fresh vs a 90% sold pool
 *   wholesale wholesale orders through the agent API (POST /wholesale/orders) of 1 and 100 codes per request vs our own
 *             claim of the same number of codes (reserveForCart, in process), 1 and 4 clients; requests/s, codes/s, p95;
 *             goal for 1-code orders at 4 clients: ≥ 0.25x the claim and p95 ≤ 100 ms; bookkeeping lag (answer → Medusa
 *             order) reported; the bookkeeping runs in the same process
 *   wholesale_worker  the same with Medusa's production split: this app answers (MEDUSA_WORKER_MODE=server), a worker
 *             process records the Medusa orders; Redis event bus, workflow engine and locking
 *   flash_sale a hot drop: 50 codes of a virtual variant vs an ordinary product with exactly 50 in stock, each on fresh
 *             stock, 100 and 300 buyers completing prepared carts at once (quick: 20 for 60), alternating which runs
 *             first; time to sell out, orders/s, p50/p95/p99 of all completions, answers by kind (200, 400 sold out,
 *             409, 5xx, dropped), unsold stock; one process with in-memory locking, event bus and workflow engine.
 *             Fails if the virtual side answers a 5xx, places other than 50 orders, leaves a code unsold or
 *             delivers a code twice (the ordinary side is the baseline: Medusa's inventory lock)
 *   flash_sale_worker  the same on server + worker with Redis (as checkout_worker)
 *   suppliers top-ups against a fake supplier on loopback: supplier orders created for paid top-up lines and advanced
 *             to succeeded through our path vs the generic adapter alone (submit + query, no database), 1 and 4 at a
 *             time, orders/s, each order credited exactly once; restock imports of 100 and 1,000 codes (quick: 10,
 *             50): importRestockCodes vs the vault's own import (validate, seal, importCardCodesWorkflow), codes/s
 *   redemption voucher redemptions (核销) per second over 50 multi-use vouchers, 1 and 8 at a time: a raw conditional
 *             UPDATE vs the redemption module's ledger (redeemVoucher) and vs redeemVoucherWorkflow (the code checked in
 *             the vault, the ledger, the event); each redemption counted exactly once
 *
 * Each area runs in its own database (vg_bench_<area>) on the PostgreSQL scripts/lib/postgres.js finds (DATABASE_URL,
 * else localhost:5432 as postgres, else the embedded one), created and migrated by Medusa's test runners (the import
 * command's by `medusa db:migrate`) and dropped at the end. Full runs write bench/results/latest.json and latest.md
 * (areas not run keep their previous figures, with their own date); quick runs write quick.tmp.json and quick.tmp.md
 * (git-ignored) so that a smoke run never overwrites the committed results. Speed goals are reported, never enforced:
 * the exit code is non-zero only when a benchmark crashed or one of its correctness checks failed.
 */

const crypto = require("crypto")
const fs = require("fs")
const os = require("os")
const path = require("path")
const { spawn } = require("child_process")
const { Client } = require("pg")
const { ensureInstalled } = require("./lib/install")
const { ensurePostgres, dbEnv, ROOT } = require("./lib/postgres")

const AREAS = {
  claim: { file: "bench/claim.bench.ts", title: "Claim" },
  import: { file: "bench/import.bench.ts", title: "Import" },
  checkout: { file: "bench/store-checkout.bench.ts", title: "Checkout" },
  checkout_worker: { file: "bench/store-checkout.bench.ts", title: "Checkout, server + worker", env: { BENCH_TOPOLOGY: "worker" } },
  growth: { file: "bench/growth.bench.ts", title: "Growth" },
  wholesale: { file: "bench/wholesale.bench.ts", title: "Wholesale orders" },
  wholesale_worker: { file: "bench/wholesale.bench.ts", title: "Wholesale orders, server + worker", env: { BENCH_TOPOLOGY: "worker" } },
  flash_sale: { file: "bench/flash-sale.bench.ts", title: "Flash sale" },
  flash_sale_worker: { file: "bench/flash-sale.bench.ts", title: "Flash sale, server + worker", env: { BENCH_TOPOLOGY: "worker" } },
  suppliers: { file: "bench/suppliers.bench.ts", title: "Suppliers" },
  redemption: { file: "bench/redemption.bench.ts", title: "Redemption" },
}
const QUICK = process.env.BENCH_QUICK === "1"
const RESULTS = path.join(ROOT, "bench", "results")
const OUT_NAME = QUICK ? "quick.tmp" : "latest"
const JEST_BIN = path.join(ROOT, "node_modules", "jest", "bin", "jest.js")

let pg = null
let child = null // the running benchmark process, if any
let interrupted = false
const createdDbs = new Set()

const log = (line) => console.log(`[bench] ${line}`)
const fmt = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : n == null ? "–" : String(n))
const met = (ok) => (ok ? "met" : "NOT met")

function parseAreas(argv) {
  const unknown = argv.filter((a) => !AREAS[a])
  if (unknown.length) {
    console.error(`Unknown benchmark area(s): ${unknown.join(", ")}. Usage: node scripts/bench.js [${Object.keys(AREAS).join("|")} ...]`)
    process.exit(2)
  }
  return argv.length ? Object.keys(AREAS).filter((a) => argv.includes(a)) : Object.keys(AREAS)
}

async function withAdmin(fn) {
  const c = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password || undefined, database: "postgres" })
  c.on("error", () => undefined)
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end().catch(() => undefined)
  }
}

/** Drops a benchmark database and the template Medusa's HTTP test runner makes next to it. */
async function dropDatabases(name) {
  await withAdmin(async (c) => {
    for (const db of [name, `${name}-template`]) {
      await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`).catch(() => c.query(`DROP DATABASE IF EXISTS "${db}"`))
    }
  })
}

/**
 * Runs one area's jest file in band. Its `[bench]` lines (stdout) are shown as they come; everything (jest's own report,
 * the app's logs on stdout and stderr) goes to bench/results/<area>.tmp.log, and its tail is shown if the run fails.
 */
function runJest(area, env) {
  const logFile = path.join(RESULTS, `${area}.tmp.log`)
  return new Promise((resolve) => {
    const logStream = fs.createWriteStream(logFile)
    child = spawn(process.execPath, [JEST_BIN, "-c", "bench/jest.config.js", "--runInBand", "--forceExit", AREAS[area].file], {
      cwd: ROOT,
      env: { ...env, NODE_OPTIONS: "--experimental-vm-modules --no-warnings" },
      stdio: ["ignore", "pipe", "pipe"],
    })
    // Only the benchmark's own lines reach the console: the app's logger also writes to stdout (e.g. one JSON line per
    // `Timed-out acquiring lock.` of a flash sale's baseline), and that goes to the log file only.
    let pending = ""
    child.stdout.on("data", (d) => {
      logStream.write(d)
      const lines = (pending + d.toString()).split("\n")
      pending = lines.pop()
      for (const line of lines) if (line.startsWith("[bench]")) process.stdout.write(line + "\n")
    })
    child.stderr.on("data", (d) => logStream.write(d))
    child.on("exit", (code, signal) => {
      child = null
      logStream.end(() => {
        if (code !== 0) {
          const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-60).join("\n")
          console.error(`[bench] ${area} failed (${signal ? `signal ${signal}` : `exit code ${code}`}); last lines of ${path.relative(ROOT, logFile)}:\n${tail}`)
        }
        if (pending.startsWith("[bench]")) process.stdout.write(pending + "\n")
        resolve(signal ? 1 : code ?? 1)
      })
    })
  })
}

async function machine() {
  const settings = await withAdmin(async (c) => {
    const show = async (name) => (await c.query(`show ${name}`)).rows[0][name]
    return {
      version: await show("server_version"),
      random_page_cost: await show("random_page_cost"),
      shared_buffers: await show("shared_buffers"),
      synchronous_commit: await show("synchronous_commit"),
    }
  }).catch(() => ({ version: "unknown" }))
  return {
    cores: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    memory_gb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    cpu: os.cpus()[0] ? os.cpus()[0].model : "unknown",
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: settings,
    postgres_source: pg.source,
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------------

const ms = (n) => (n >= 100 ? Math.round(n) : Math.round(n * 10) / 10)
const perSec = (n) => (n >= 100 ? Math.round(n) : Math.round(n * 100) / 100)

/** The claim's goal: ours / raw claims/s as the run recorded it (0.7 before issue 12 raised it to 0.8). */
const claimGoal = (c) => c.goal_ratio ?? 0.7

/**
 * How this run's raw claim compares with the earlier run's raw claim at the same pool size and worker count (recorded
 * by the claim benchmark from latest.json before it wrote its result): "0.30x of the 2026-11-23 run's 4,540/s". A
 * machine on a slow day shows here, a slow change only in the ratio. Empty for results recorded before this existed.
 */
function rawVsPrevious(r) {
  if (r.raw_previous === undefined) return ""
  if (!r.raw_previous) return "no earlier run at this size and worker count"
  const p = r.raw_previous
  return `${r.raw_vs_previous}x of the ${p.date.slice(0, 10)}${p.quick ? " quick" : ""} run's ${fmt(perSec(p.per_second))}/s`
}

/** A claim ratio with the baseline's absolute rate next to it, and that rate against the earlier run's. */
function claimRatioText(r) {
  const vs = rawVsPrevious(r)
  return `${r.ratio} (raw ${fmt(perSec(r.raw.per_second))}/s${vs ? ` = ${vs}` : ""})`
}

/** Rows of the stdout summary: area, measure, baseline, ours, ratio, goal, peak RSS of the process that measured it. */
function summaryRows(results) {
  const rows = []
  const c = results.areas.claim
  if (c && c.rows) {
    const goal = claimGoal(c)
    for (const r of c.rows) {
      rows.push(["claim", `pool ${fmt(r.pool_size)}, ${r.workers} worker(s), claims/s`, perSec(r.raw.per_second), perSec(r.ours.per_second), claimRatioText(r), `≥ ${goal}x: ${met(r.ratio >= goal)}`, c.peak_rss_mb])
    }
  }
  const i = results.areas.import
  if (i && i.ratio !== undefined) {
    rows.push(["import", `${fmt(i.codes_per_round)} codes × ${i.rounds}, codes/s`, i.raw.codes_per_second, i.ours.codes_per_second, i.ratio, `≥ 0.8x: ${met(i.ratio >= 0.8)}`, i.peak_rss_mb_of_bench_process])
    if (i.command) rows.push(["import", `the import command, ${fmt(i.command.codes)} codes, peak RSS`, "", `${i.command.peak_rss_mb} MB`, "", `< 512 MB: ${met(i.command.met)}`, i.command.peak_rss_mb])
  }
  for (const [area, label] of [["checkout", "one process"], ["checkout_worker", "server + worker"]]) {
    const k = results.areas[area]
    if (!k || !k.rows) continue
    for (const r of k.rows) {
      rows.push(["checkout", `${label}, ${r.concurrency} buyer(s), checkouts/s`, perSec(r.ordinary.per_second), perSec(r.virtual.per_second), r.ratio, `≥ 0.8x: ${met(r.ratio >= 0.8)}`, k.peak_rss_mb_of_app_and_client])
    }
    rows.push(["checkout", `${label}, order placed → codes delivered, p95`, "", `${fmt(k.placed_to_delivered.p95_ms)} ms`, "", "", ""])
  }
  const g = results.areas.growth
  if (g && g.rows) {
    for (const r of g.rows) {
      rows.push(["growth", `pool ${fmt(r.pool_size)}, 16 workers, claims/s: fresh vs 90% sold`, perSec(r.fresh.per_second), perSec(r.emptied.per_second), r.ratio_emptied_vs_fresh, `≥ 0.8x: ${met(r.ratio_emptied_vs_fresh >= 0.8)}`, g.peak_rss_mb])
    }
    for (const r of g.rows) rows.push(["growth", `import into a pool of ${fmt(r.pool_size)}, codes/s`, "", r.import_codes_per_second.mean, "", "", ""])
  }
  for (const [area, label] of [["flash_sale", "one process"], ["flash_sale_worker", "server + worker"]]) {
    const f = results.areas[area]
    if (!f || !f.rows) continue
    for (const r of f.rows) {
      const o = r.ordinary
      const v = r.virtual
      const tally = (x) => `${x.orders} / ${x.outcomes["5xx"]} / ${x.outcomes["409"]} / ${x.unsold}`
      const ok = v.outcomes["5xx"] === 0 && v.orders === r.stock && v.unsold === 0 && v.held_without_order === 0
      rows.push(["flash sale", `${label}, ${r.buyers} buyers at once for ${r.stock}, orders/s until the last order`, perSec(o.completions_per_second), perSec(v.completions_per_second), r.ratio_completions_per_second ?? "n/a", "reported", f.peak_rss_mb_of_app_and_client])
      rows.push(["flash sale", `${label}, ${r.buyers} buyers: orders / 5xx / 409 / unsold`, tally(o), tally(v), "", `5xx 0, orders ${r.stock}, unsold 0: ${met(ok)}`, ""])
    }
  }
  for (const [area, where] of [["wholesale", "one process"], ["wholesale_worker", "server + worker"]]) {
    const w = results.areas[area]
    if (!w || !w.rows) continue
    for (const r of w.rows) {
      const label = `${where}, ${r.codes_per_request} code${r.codes_per_request === 1 ? "" : "s"}/request, ${r.concurrency} client(s)`
      const both = (s) => `${fmt(perSec(s.per_second))} (${fmt(perSec(s.codes_per_second))})`
      // The ratio as stored (three significant digits): it is far below 1, and the table's number format would cut it.
      const goal = r.goal_met === null || r.goal_met === undefined ? "reported" : `≥ 0.25x and p95 ≤ 100 ms: ${met(r.goal_met)}`
      rows.push(["wholesale", `${label}, requests/s (codes/s): claim vs order`, both(r.baseline), both(r.wholesale), String(r.ratio), goal, w.peak_rss_mb])
      rows.push(["wholesale", `${label}, p95 ms`, ms(r.baseline.p95_ms), ms(r.wholesale.p95_ms), "", "", ""])
      if (r.floor) rows.push(["wholesale", `${label}, req/s: floor (GET /wholesale/me) vs order`, fmt(perSec(r.floor.per_second)), fmt(perSec(r.wholesale.per_second)), String(r.order_over_floor), "reported", ""])
    }
    if (w.bookkeeping_lag) rows.push(["wholesale", `${where}, answer → Medusa order recorded, p50 / p95 ms`, "", `${ms(w.bookkeeping_lag.p50_ms)} / ${ms(w.bookkeeping_lag.p95_ms)}`, "", "reported", ""])
  }
  const s = results.areas.suppliers
  if (s && s.topups && s.restock) {
    for (const r of s.topups.rows) {
      // The ratio as stored (three significant digits), as for wholesale: far below 1.
      rows.push(["suppliers", `top-ups, ${r.concurrency} at a time, orders/s: adapter alone vs ours`, perSec(r.baseline.per_second), perSec(r.ours.per_second), String(r.ratio), "reported", s.peak_rss_mb])
      rows.push(["suppliers", `top-ups, ${r.concurrency} at a time, p95 ms`, ms(r.baseline.p95_ms), ms(r.ours.p95_ms), "", "", ""])
    }
    for (const r of s.restock.rows) {
      rows.push(["suppliers", `restock import of ${fmt(r.codes)} codes, codes/s: vault import vs ours`, r.baseline.codes_per_second, r.ours.codes_per_second, r.ratio, "reported", ""])
    }
  }
  const v = results.areas.redemption
  if (v && v.rows) {
    for (const r of v.rows) {
      rows.push(["redemption", `redemptions, ${r.concurrency} at a time, /s: raw conditional UPDATE vs the module's ledger`, perSec(r.baseline.per_second), perSec(r.ledger.per_second), String(r.ratio_ledger), "reported", v.peak_rss_mb])
      rows.push(["redemption", `redemptions, ${r.concurrency} at a time, /s: raw conditional UPDATE vs the workflow`, perSec(r.baseline.per_second), perSec(r.workflow.per_second), String(r.ratio_workflow), "reported", ""])
    }
  }
  return rows
}

function printSummary(results) {
  const head = ["area", "measure", "baseline", "ours", "ratio", "goal", "peak RSS MB"]
  const rows = summaryRows(results).map((r) => r.map((x) => fmt(x)))
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => String(r[j]).length)))
  const line = (cells) => cells.map((x, j) => String(x).padEnd(widths[j])).join("  ")
  console.log(`\n${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`)
  for (const r of rows) console.log(line(r))
}

function markdown(results) {
  const m = results.machine
  const pgs = m.postgres
  const L = [
    "# Benchmark results",
    "",
    `${results.quick ? "Quick smoke run (`BENCH_QUICK=1`, small pools and counts)" : "Full run"} of \`npm run bench\`, ${results.date.slice(0, 16).replace("T", " ")} UTC, ${Math.round(results.duration_seconds / 6) / 10} min.`,
    "",
    `Machine: ${m.cores} cores (nproc), ${m.memory_gb} GB RAM, ${m.cpu}, ${m.os} · Node ${m.node} · PostgreSQL ${pgs.version} (${m.postgres_source}; stock settings: ` +
      `random_page_cost ${pgs.random_page_cost}, shared_buffers ${pgs.shared_buffers}, synchronous_commit ${pgs.synchronous_commit}) on the same machine as the client.`,
    "",
    "Every pair ran in the same process in alternating rounds (A B, B A, A B, …). The machine is shared and noisy (the same run varies 1.3–2x): read the ratios, not the absolute figures. Goals are reported, not enforced.",
    "",
  ]
  const since = (a) => (a.date && a.date !== results.date ? ` _(from an earlier run: ${a.date.slice(0, 16).replace("T", " ")} UTC${a.quick ? ", quick" : ""})_` : "")

  const c = results.areas.claim
  if (c && c.rows) {
    L.push(`## Claim: our reservation vs one raw SQL statement${since(c)}`, "")
    L.push(
      "Ours is `reserveForCart({ cart_id, items: [{ pool_id, quantity: 1 }] })`, what checkout calls: one round trip, a call of the database function `card_vault_reserve` that takes the per-cart advisory lock, runs the conditional claim (`FOR UPDATE SKIP LOCKED`, re-entrant per cart) and writes its `reserve` audit row, in that statement's own transaction. " +
        // Said only of results measured since the function has that claim (they record its cached plan).
        (Object.values(c.plans || {}).some((p) => p.ours_cached)
          ? "A need of one code per pool claims with a constant `LIMIT 1`, so each connection plans it a few times and then keeps one cached plan. "
          : "") +
        "Raw is one autocommitted statement through node-pg: `WITH c AS (SELECT id … WHERE pool_id=$1 AND status='available' AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) UPDATE … RETURNING`, sent unnamed (PostgreSQL plans it on every call), " +
        "in the same FIFO order as ours (ordered by `id` alone it has no matching partial index and the planner walks the primary key instead: a slower baseline that would flatter us). " +
        `Each side claims from its own pool of the same size, ${c.rounds} alternating rounds, both with 10 connections. Every claimed id was checked unique (${fmt(c.claims_checked)} claims).`,
      ""
    )
    const goal = claimGoal(c)
    L.push(
      `| pool | workers | claims per side | raw claims/s | raw p50 / p99 ms | ours claims/s | ours p50 / p99 ms | ratio (raw claims/s) | raw vs the earlier run | goal ≥ ${goal}x |`,
      "|---|---|---|---|---|---|---|---|---|---|"
    )
    for (const r of c.rows) {
      L.push(
        `| ${fmt(r.pool_size)} | ${r.workers} | ${fmt(r.claims_per_side)} | ${fmt(perSec(r.raw.per_second))} | ${ms(r.raw.p50_ms)} / ${ms(r.raw.p99_ms)} | ${fmt(perSec(r.ours.per_second))} | ${ms(r.ours.p50_ms)} / ${ms(r.ours.p99_ms)} | ` +
          `**${r.ratio}** (${fmt(perSec(r.raw.per_second))}/s) | ${rawVsPrevious(r) || "–"} | ${met(r.ratio >= goal)} |`
      )
    }
    if (c.rows.some((r) => r.raw_previous !== undefined)) {
      L.push(
        "",
        "_Raw vs the earlier run_: this run's raw claims/s over the raw claims/s of the run before it at the same pool size and worker count (the committed `latest.json`, read before this result was written). " +
          "Well below 1 means the machine was slower (a slow day: our extra work per claim then weighs more); a lower ratio with the raw rate unchanged would mean a slower change."
      )
    }
    const sizes = Object.keys(c.plans).map(Number).sort((a, b) => a - b)
    const largest = c.plans[sizes[sizes.length - 1]]
    L.push(
      "",
      `Index read by the claiming scan, with stock planner settings (random_page_cost untouched): ours ${sizes.map((s) => `\`${c.plans[s].ours.claim_index}\` (pool of ${fmt(s)})`).join(", ")}; ` +
        `raw \`${largest.raw.claim_index}\`; the raw statement ordered by \`id\` alone would read \`${largest.raw_order_by_id.claim_index}\`. ` +
        (largest.ours_cached
          ? `At the ${largest.ours_cached.call}th reservation on one connection our claim runs on ${largest.ours_cached.generic ? "a cached generic plan" : "a custom plan, planned on every call"} ` +
            `reading ${sizes.map((s) => `\`${c.plans[s].ours_cached.indexes.join(", ")}\` (pool of ${fmt(s)})`).join(", ")}. `
          : "") +
        `Peak RSS of the benchmark process (jest, the vault module, both sides): ${c.peak_rss_mb} MB.`,
      "",
      `<details><summary>Plan of the claim inside our reservation function (auto_explain), pool of ${fmt(sizes[sizes.length - 1])}</summary>`,
      "",
      "```",
      largest.ours.text,
      "```",
      "",
      "</details>",
      ""
    )
  }

  const i = results.areas.import
  if (i && i.ratio !== undefined) {
    L.push(`## Import: our streaming import vs raw generate + encrypt + COPY${since(i)}`, "")
    L.push(
      "Ours: a TXT file of random codes (written before the clock starts) imported end to end as the import command does it, in the benchmark process: hash the file, open the batch, `importStream` " +
        "(read and validate lines, reject duplicates within the file and against the vault, seal with AES-256-GCM + HMAC blind index + mask, one COPY, commit with the batch). " +
        "Raw: in the same process, generate codes, AES-256-GCM with IVs cut from a bulk random buffer, HMAC-SHA256, one COPY of the same columns into the same `card_code` table (its own pool, all indexes) in one transaction, with node-pg and pg-copy-streams. " +
        "Its row ids increase like our ULIDs do (with random ids the primary key splits pages all over and the same loop runs at about half the speed). The table is vacuumed and checkpointed before every round. " +
        "Every round's codes were counted back from the table.",
      ""
    )
    L.push("| codes per round | rounds | raw codes/s | ours codes/s | ratio | goal ≥ 0.8x |", "|---|---|---|---|---|---|")
    L.push(`| ${fmt(i.codes_per_round)} | ${i.rounds} | ${fmt(i.raw.codes_per_second)} | ${fmt(i.ours.codes_per_second)} | ${i.ratio} | ${met(i.ratio >= 0.8)} |`)
    L.push("", `Per round: raw ${i.raw.rounds.map((r) => fmt(r.codes_per_second)).join(", ")} codes/s; ours ${i.ours.rounds.map((r) => fmt(r.codes_per_second)).join(", ")} codes/s. Peak RSS of the benchmark process (jest, both sides): ${i.peak_rss_mb_of_bench_process} MB.`, "")
    if (i.command) {
      const k = i.command
      L.push(
        `**Peak memory of the real command.** \`medusa-virtual-goods import <pool_id> <file>\` (the package bin: \`medusa exec src/scripts/import-codes.ts\` with \`--max-old-space-size=384\`) on a file of ${fmt(k.codes)} random codes, ` +
          `in its own process against a database migrated with \`medusa db:migrate\` (${k.migrate_seconds} s): committed in ${k.wall_seconds_including_app_boot} s including the app's boot ` +
          `(${fmt(k.codes_per_second_as_reported)} lines/s as its progress line reports), **peak RSS ${k.peak_rss_mb} MB** (\`process.resourceUsage().maxRSS\`; goal < 512 MB: ${met(k.met)}).`,
        ""
      )
    } else if (i.command_error) {
      L.push(`The import command could not be measured: ${i.command_error}`, "")
    }
  }

  const topologies = {
    checkout: {
      title: "one process",
      text:
        "in the same app (booted by Medusa's integration test runner, in-memory event bus and workflow engine), which also runs the delivery (subscribers) — as `medusa develop` or a single `shared` instance does.",
    },
    checkout_worker: {
      title: "server + worker",
      text:
        "against Medusa's production deployment: the app booted by the test runner serves the API only (`MEDUSA_WORKER_MODE=server`) and a second process (`medusa start`, `MEDUSA_WORKER_MODE=worker`) runs the subscribers, hence the delivery; both on the Redis event bus, workflow engine and locking, on the same 2 cores.",
    },
  }
  for (const [area, t] of Object.entries(topologies)) {
    const k = results.areas[area]
    if (!k || !k.rows) continue
    L.push(`## Checkout through the store API, ${t.title}: virtual code vs ordinary product${since(k)}`, "")
    L.push(
      "Both sides make the same storefront calls through Medusa's HTTP API (create the cart with an email and one item, create the payment collection, start a `pp_system_default` payment session, complete the cart), " +
        t.text +
        " Ordinary: a product whose variant has `manage_inventory` and stock at the same location, no shipping needed. " +
        `${k.rounds} alternating rounds per concurrency. Each virtual round is followed by waiting for its codes to be delivered (the delivery — automatic capture, codes bound, digital fulfillment created and marked delivered, notification — runs from \`order.placed\` after the response); ` +
        "\"incl. delivery\" counts that wait in the virtual side's time. Every virtual order was checked to hold exactly one delivered code, no code in two orders.",
      ""
    )
    L.push(
      "| buyers at a time | checkouts per side | ordinary checkouts/s | ordinary p50 / p95 ms | virtual checkouts/s | virtual p50 / p95 ms | ratio | goal ≥ 0.8x | virtual incl. delivery /s | ratio incl. delivery |",
      "|---|---|---|---|---|---|---|---|---|---|"
    )
    for (const r of k.rows) {
      L.push(
        `| ${r.concurrency} | ${r.checkouts_per_side} | ${perSec(r.ordinary.per_second)} | ${ms(r.ordinary.p50_ms)} / ${ms(r.ordinary.p95_ms)} | ${perSec(r.virtual.per_second)} | ${ms(r.virtual.p50_ms)} / ${ms(r.virtual.p95_ms)} | ${r.ratio} | ${met(r.ratio >= 0.8)} | ${r.virtual_including_delivery_per_second} | ${r.ratio_including_delivery} |`
      )
    }
    const d = k.placed_to_delivered
    L.push(
      "",
      `Order placed (\`order.created_at\`) → codes delivered (latest \`card_code.delivered_at\` of the order), over ${d.orders} virtual orders: p50 ${d.p50_ms} ms, **p95 ${d.p95_ms} ms**, max ${d.max_ms} ms. ` +
        `Peak RSS of the app + client process: ${k.peak_rss_mb_of_app_and_client} MB${k.peak_rss_mb_of_worker ? `; of the worker process: ${k.peak_rss_mb_of_worker} MB` : ""}.`,
      ""
    )
  }

  const g = results.areas.growth
  if (g && g.rows) {
    L.push(`## Growth: pool size and emptied pools${since(g)}`, "")
    L.push(
      "For each size, two pools are imported through the vault's streaming import of generated vouchers (both rates shown; the table holds the earlier sizes' codes too). " +
        "In the second pool 90% of the codes are then sold (delivered to an order, oldest first as FIFO claims sell them) and the table is vacuumed, as autovacuum would leave it. " +
        `Our claim (\`reserveForCart\`) then runs at 16 workers on the fresh and on the 90% sold pool in ${g.rounds} alternating rounds: the claim must not slow down as the pool empties.`,
      ""
    )
    L.push(
      "| pool size | table rows before | import codes/s (pool 1 / pool 2) | claims per side | fresh claims/s (p99 ms) | 90% sold claims/s (p99 ms) | sold / fresh | goal ≥ 0.8x | index read, fresh / sold | buffers of one claim's index scan, fresh / sold |",
      "|---|---|---|---|---|---|---|---|---|---|"
    )
    for (const r of g.rows) {
      const buf = (p) => {
        const lines = p.text.split("\n")
        const at = lines.findIndex((l) => /Index Scan using "?IDX_card_code_claimable_fifo/.test(l))
        const b = at >= 0 ? lines.slice(at, at + 4).join("\n").match(/Buffers: ([^\n]+)/) : null
        return b ? b[1].trim() : "n/a"
      }
      L.push(
        `| ${fmt(r.pool_size)} | ${fmt(r.table_rows_before_import)} | ${fmt(r.import_codes_per_second.fresh_pool)} / ${fmt(r.import_codes_per_second.emptied_pool)} | ${fmt(r.claims_per_side)} | ` +
          `${fmt(perSec(r.fresh.per_second))} (${ms(r.fresh.p99_ms)}) | ${fmt(perSec(r.emptied.per_second))} (${ms(r.emptied.p99_ms)}) | ${r.ratio_emptied_vs_fresh} | ${met(r.ratio_emptied_vs_fresh >= 0.8)} | ` +
          `\`${r.plans.fresh.claim_index.replace(/^Index Scan /, "")}\` / \`${r.plans.emptied.claim_index.replace(/^Index Scan /, "")}\` | ${buf(r.plans.fresh)} / ${buf(r.plans.emptied)} |`
      )
    }
    const last = g.rows[g.rows.length - 1]
    L.push(
      "",
      `Peak RSS of the benchmark process (jest, the vault module, imports and claims): ${g.peak_rss_mb} MB.`,
      "",
      `<details><summary>Plan with actual rows and buffers (auto_explain) of the claim inside one reservation on the 90% sold pool of ${fmt(last.pool_size)} (run and rolled back)</summary>`,
      "",
      "```",
      last.plans.emptied.text,
      "```",
      "",
      "</details>",
      ""
    )
  }

  for (const [area, where] of [["wholesale", "one process"], ["wholesale_worker", "server + worker"]]) {
    const w = results.areas[area]
    if (!w || !w.rows) continue
    L.push(`## Wholesale orders through the agent API vs our own claim, ${where}${since(w)}`, "")
    L.push(
      "Ours: `POST /wholesale/orders` with an agent's API key and a fresh `Idempotency-Key`, one line of N codes, through Medusa's HTTP API in the app booted by the test runner: " +
        "one database transaction (the idempotency key, the risk rules, quota, the claim with the codes delivered to the agent order, the ledger posting with commissions, the agent order), " +
        "then the codes revealed (audited) in the 201 response; the Medusa order (created, paid, fulfilled, linked) is recorded by the bookkeeping " +
        (area === "wholesale_worker"
          ? "in a worker process meanwhile (Medusa's production deployment: this process serves the API only, `medusa start` in worker mode records the orders, both on the Redis event bus, workflow engine and locking). "
          : "in the same process meanwhile, as in `medusa develop`. ") +
        "Baseline: our claim alone, `reserveForCart({ cart_id, items: [{ pool_id, quantity: N }] })` for a fresh cart key, called in process on the same app, from a pool of its own of the same size. " +
        `${w.rounds} alternating round(s) per batch size and concurrency, after ${w.warmup_requests_per_batch} untimed warm-up requests per side and batch size; requests spread round-robin over ${w.agents} agents. ` +
        "The ratio is ours / baseline requests per second (the same for codes per second); goal for 1-code orders at 4 clients: ≥ 0.25x and p95 ≤ 100 ms. " +
        `Checked: every order returned exactly N codes with their plaintext, no code id twice over ${fmt(w.checks.distinct_code_ids)} codes of orders and claims, each agent's ledger debits equal the totals of its orders, ` +
        "and after the run every answered order has exactly one Medusa order holding its codes.",
      ""
    )
    L.push(
      "| codes per request | clients | requests per side | claim req/s (codes/s) | claim p50 / p95 ms | order req/s (codes/s) | order p50 / p95 ms | ratio |",
      "|---|---|---|---|---|---|---|---|"
    )
    for (const r of w.rows) {
      L.push(
        `| ${r.codes_per_request} | ${r.concurrency} | ${r.requests_per_side} | ${fmt(perSec(r.baseline.per_second))} (${fmt(perSec(r.baseline.codes_per_second))}) | ${ms(r.baseline.p50_ms)} / ${ms(r.baseline.p95_ms)} | ` +
          `${fmt(perSec(r.wholesale.per_second))} (${fmt(perSec(r.wholesale.codes_per_second))}) | ${ms(r.wholesale.p50_ms)} / ${ms(r.wholesale.p95_ms)} | ${r.ratio} |`
      )
    }
    const floors = w.rows.filter((r) => r.floor)
    if (floors.length) {
      L.push(
        "",
        "The floor of any agent request, measured in the same rotation for the 1-code rows: `GET /wholesale/me` with the same keys, the cheapest authenticated route of the agent API " +
          "(the same Medusa HTTP stack, rate limits and API-key check as an order, then one read of the agent and its accounts; no workflow, no transaction). " +
          "An order cannot answer faster than this; where the floor itself is below 0.25x the claim, that goal is out of reach of any order through Medusa's HTTP API on this machine.",
        "",
        "| clients | floor req/s | floor p50 / p95 ms | floor / claim | order / floor | 0.25x the claim, req/s |",
        "|---|---|---|---|---|---|"
      )
      for (const r of floors) {
        L.push(
          `| ${r.concurrency} | ${fmt(perSec(r.floor.per_second))} | ${ms(r.floor.p50_ms)} / ${ms(r.floor.p95_ms)} | ${r.floor_over_claim} | ${r.order_over_floor} | ${fmt(perSec(r.baseline.per_second * 0.25))} |`
        )
      }
    }
    if (w.bookkeeping_lag) {
      const b = w.bookkeeping_lag
      L.push("", `Bookkeeping lag (answer → Medusa order recorded) over ${fmt(b.orders)} orders: p50 ${ms(b.p50_ms)} ms, p95 ${ms(b.p95_ms)} ms, max ${ms(b.max_ms)} ms; it caught up ${b.drained_after_run_seconds} s after the last answer.`)
    }
    L.push("", `Peak RSS of the app + client process: ${w.peak_rss_mb} MB${w.peak_rss_mb_of_worker ? `; of the worker: ${w.peak_rss_mb_of_worker} MB` : ""}.`, "")
  }

  const flashTopologies = {
    flash_sale: {
      title: "one process",
      text:
        "in one app booted by the test runner, with Medusa's in-memory locking, event bus and workflow engine, which also runs the delivery — as `medusa develop` (the demo) does. " +
        "The ordinary product's completions queue on Medusa's in-memory lock of its inventory item (`reserve-inventory-step`, 5 s timeout: `500 Timed-out acquiring lock.`).",
    },
    flash_sale_worker: {
      title: "server + worker",
      text:
        "on Medusa's production deployment: the app booted by the test runner serves the API only (`MEDUSA_WORKER_MODE=server`), a `medusa start` worker process runs the subscribers (the delivery); Redis event bus, workflow engine and locking, on the same 2 cores. " +
        "The ordinary product's completions meet Medusa's Redis lock of its inventory item (`reserve-inventory-step`: 409 when it is held).",
    },
  }
  for (const [area, t] of Object.entries(flashTopologies)) {
    const f = results.areas[area]
    if (!f || !f.rows) continue
    L.push(`## Flash sale, ${t.title}: many more buyers than stock at once, virtual code vs ordinary product${since(f)}`, "")
    L.push(
      `A hot drop through Medusa's store API ${t.text} ` +
        `Virtual: a variant sold from a vault pool of ${f.stock} codes (not managed by Medusa's inventory: the vault's claim in the cart-completion validate hook is the only gate, no Medusa lock). ` +
        `Ordinary (the baseline): a product whose variant has \`manage_inventory\` and exactly ${f.stock} in stock at the same location, no shipping needed. ` +
        "Each side sells fresh stock; for each number of buyers the two sides run one after the other, alternating which goes first. " +
        "The buyers' carts (email, one unit, payment collection, `pp_system_default` session) are prepared before the burst and not timed, in process with the workflows the store routes run; then every cart's `POST /store/carts/:id/complete` is sent at once through the store API " +
        "from the same process, over one keep-alive socket per buyer opened beforehand, with a client timeout of " +
        `${Math.round(f.client.timeout_ms / 1000)} s (a completion without an answer counts as dropped). ` +
        "Time to sell out: first completion sent → last successful order answered; orders/s: orders ÷ that time; latency over all completions, whatever their answer. " +
        "Unsold: stock still available once every completion had answered and failed ones had released their reservations (for the virtual side also once every order's code was delivered).",
      ""
    )
    L.push(
      "| buyers at once | side (ran) | orders | time to sell out s | orders/s | latency p50 / p95 / p99 ms | 200 | 400 sold out | 409 | 5xx | dropped | other | unsold | ratio orders/s virtual ÷ ordinary |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    for (const r of f.rows) {
      for (const side of ["ordinary", "virtual"]) {
        const x = r[side]
        const o = x.outcomes
        const sell = x.time_to_sell_out_seconds == null ? "–" : `${x.time_to_sell_out_seconds}${x.sold_out ? "" : " (not sold out)"}`
        L.push(
          `| ${r.buyers} | ${side}${side === "ordinary" ? ", baseline" : ""} (ran ${x.ran}) | ${x.orders} of ${x.stock} | ${sell} | ${perSec(x.completions_per_second)} | ${ms(x.latency.p50_ms)} / ${ms(x.latency.p95_ms)} / ${ms(x.latency.p99_ms)} | ` +
            `${o["200"]} | ${o["400_sold_out"]} | ${o["409"]} | ${o["5xx"]} | ${o.dropped} | ${o.other} | ${x.unsold}${x.held_without_order ? ` (+${x.held_without_order} held)` : ""} | ${side === "virtual" ? r.ratio_completions_per_second ?? "n/a" : ""} |`
        )
      }
    }
    const v = f.rows.map((r) => r.virtual)
    L.push(
      "",
      `**Goals (virtual side; a breach fails the area):** 5xx = 0: ${met(f.goals.virtual_5xx_zero)}; orders = ${f.stock} exactly: ${met(f.goals.virtual_orders_exactly_k)}; unsold = 0: ${met(f.goals.virtual_unsold_zero)}. ` +
        `Also checked: every refusal a 400 "Out of stock", no completion dropped, every order's code delivered (${v.map((x) => `${x.deliveries_settled_seconds} s`).join(", ")} after the last answer), ` +
        `${f.checks.virtual_orders} orders with exactly one delivered code each, ${f.checks.codes_delivered_once} codes delivered once (the deliveries' audit rows: no code in two orders), each pool's codes by status adding up to ${f.stock}.`,
      ""
    )
    L.push("Baseline (ordinary product), absolute figures of this run:", "")
    for (const r of f.rows) {
      const o = r.ordinary
      L.push(
        `- ${r.buyers} buyers for ${o.stock}: ${o.orders} orders, last one answered after ${o.time_to_sell_out_seconds ?? "–"} s (${perSec(o.completions_per_second)} orders/s); ` +
          `answers from ${o.first_answer_seconds} s to ${o.burst_seconds} s; ${o.unsold} left unsold. Refusals: ${o.refusals.map((x) => `${x.count} × \`${x.answer}\``).join(", ") || "none"}.`
      )
    }
    L.push(
      "",
      `Carts prepared per side: ${f.rows.map((r) => `${r.buyers} in ${r.ordinary.prepare_seconds} / ${r.virtual.prepare_seconds} s (ordinary / virtual)`).join("; ")}; ` +
        `every burst left the client within ${Math.max(...f.rows.flatMap((r) => [r.ordinary.send_spread_ms, r.virtual.send_spread_ms]))} ms. ` +
        `Peak RSS of the app + client process: ${f.peak_rss_mb_of_app_and_client} MB${f.peak_rss_mb_of_worker ? `; of the worker process: ${f.peak_rss_mb_of_worker} MB` : ""}.`,
      ""
    )
  }

  const s = results.areas.suppliers
  if (s && s.topups && s.restock) {
    const t = s.topups
    L.push(`## Suppliers: top-ups through our path vs the adapter alone, restock imports vs the vault's import${since(s)}`, "")
    L.push(
      "Against a fake top-up supplier on loopback (`integration-tests/helpers/topup-supplier.ts`: the generic HTTP protocol, form-encoded and MD5-signed; it answers a recharge `processing` and settles it on the next query), in the app booted by the test runner (in-memory event bus and workflow engine). " +
        "Baseline: the generic adapter alone, no database: `genericHttpAdapter.submitOrder` straight to the fake, then `queryOrder` (the two calls a top-up takes with this supplier). " +
        `Ours: a supplier order created with the module's \`createSupplierOrdersOnce\` for a synthetic top-up line of one of ${t.checks.real_orders} real paid orders (placed through the store API before the clock starts), ` +
        "then `advanceSupplierOrder` until it is final, as the job and the order events drive it: the payment read, the claim, the price guard, the sealed recipient opened, the gateway (connection and credentials, rate limit, health), the answer applied and audited, the `settled` event. " +
        `The supplier's rate limit is set to ${fmt(t.rate_limit_per_minute)} a minute for the run (the default, 120, would cap any path at 2 requests/s). ` +
        `${t.rounds} alternating round(s) per concurrency after ${t.warmup_per_side} untimed warm-up orders per side; the customers' emails (sent from the \`settled\` event) are waited for after each round of ours, untimed (at most ${t.email_drain_max_seconds} s). ` +
        `Checked: all ${fmt(t.checks.credited_once)} order numbers (both sides and the real orders) credited exactly once by the fake, with one recharge request each; ours all \`succeeded\` with one attempt and one email each (${t.requests_per_order_ours} requests to the supplier per order).`,
      ""
    )
    L.push("| at a time | orders per side | adapter alone orders/s | p50 / p95 ms | ours orders/s | p50 / p95 ms | ratio |", "|---|---|---|---|---|---|---|")
    for (const r of t.rows) {
      L.push(`| ${r.concurrency} | ${fmt(r.orders_per_side)} | ${fmt(perSec(r.baseline.per_second))} | ${ms(r.baseline.p50_ms)} / ${ms(r.baseline.p95_ms)} | ${fmt(perSec(r.ours.per_second))} | ${ms(r.ours.p50_ms)} / ${ms(r.ours.p95_ms)} | ${r.ratio} |`)
    }
    L.push(
      "",
      "Restock imports, each round into a fresh pool. Baseline: the vault's own import of N codes (what the admin import route does): validate, `sealCodes`, `importCardCodesWorkflow` with the supplier, unit cost and currency. " +
        "Ours: `importRestockCodes` for a restock supplier order (`createRestockOrder`, untimed) delivering the same number of random codes: the lookup of the order's batch reference, validate, the supplier read, sealing, the real unit cost (the supplier's total ÷ codes), the import with the reference as the batch's unique hash. " +
        `${s.restock.rounds} alternating round(s) per size after one untimed round per side. Checked: each pool holds exactly its N available codes in one batch, ours with the supplier's name and unit cost ${s.restock.unit_cost}; a repeated delivery finds its batch and imports nothing.`,
      "",
      "| codes | vault import codes/s (per round) | ours codes/s (per round) | ratio |",
      "|---|---|---|---|"
    )
    for (const r of s.restock.rows) {
      L.push(`| ${fmt(r.codes)} | ${fmt(r.baseline.codes_per_second)} (${r.baseline.rounds.map(fmt).join(", ")}) | ${fmt(r.ours.codes_per_second)} (${r.ours.rounds.map(fmt).join(", ")}) | ${r.ratio} |`)
    }
    L.push("", `Peak RSS of the benchmark process (the app, the fake supplier, both sides): ${s.peak_rss_mb} MB.`, "")
  }

  const v = results.areas.redemption
  if (v && v.rows) {
    L.push(`## Redemption (核销): the module's ledger and the workflow vs a raw conditional UPDATE${since(v)}`, "")
    L.push(
      `Each side spreads its redemptions over ${v.vouchers} multi-use vouchers, in the app booted by the test runner. ` +
        "Baseline: `UPDATE bench_voucher SET remaining = remaining - 1 WHERE id = $1 AND remaining >= 1` through node-pg (as many connections as the module's pool). " +
        "Ledger: the redemption module's `redeemVoucher` (the request key looked up, the program read, the voucher's balance created at first use, the one statement that takes the use and writes its ledger row). " +
        "Workflow: `redeemVoucherWorkflow`, what the counter and partner routes run once the code is resolved (the code checked in the vault, the ledger, the `redeemed` event). " +
        `${v.rounds} rotating round(s) of ${fmt(v.per_round)} per side and concurrency. Checked: ${fmt(v.checks.baseline)} raw and ${fmt(v.checks.ledger + v.checks.workflow)} of ours, each counted exactly once on the balances and in the ledger.`,
      ""
    )
    L.push("| at a time | raw UPDATE /s | p95 ms | ledger /s | p95 ms | ratio | workflow /s | p95 ms | ratio |", "|---|---|---|---|---|---|---|---|---|")
    for (const r of v.rows) {
      L.push(`| ${r.concurrency} | ${fmt(perSec(r.baseline.per_second))} | ${ms(r.baseline.p95_ms)} | ${fmt(perSec(r.ledger.per_second))} | ${ms(r.ledger.p95_ms)} | ${r.ratio_ledger} | ${fmt(perSec(r.workflow.per_second))} | ${ms(r.workflow.p95_ms)} | ${r.ratio_workflow} |`)
    }
    L.push("", `Peak RSS of the benchmark process: ${v.peak_rss_mb} MB.`, "")
  }

  const failed = Object.entries(results.areas).filter(([, a]) => a && a.error)
  if (failed.length) {
    L.push("## Failures", "")
    for (const [name, a] of failed) L.push(`- ${name}: ${a.error}`)
    L.push("")
  }
  L.push("Reproduce: `npm run bench` (all areas) or `node scripts/bench.js <claim|import|checkout|checkout_worker|growth|wholesale|wholesale_worker|flash_sale|flash_sale_worker|suppliers …>`; `BENCH_QUICK=1` for the smoke run. Sources: `bench/`, `scripts/bench.js`.", "")
  return L.join("\n")
}

// ---------------------------------------------------------------------------------------------------------------------

/** `--report`: renders the markdown and the summary again from the stored JSON (after editing the report's wording). */
function reportOnly() {
  const jsonFile = path.join(RESULTS, `${OUT_NAME}.json`)
  const results = JSON.parse(fs.readFileSync(jsonFile, "utf8"))
  fs.writeFileSync(path.join(RESULTS, `${OUT_NAME}.md`), markdown(results))
  printSummary(results)
  console.log(`\n[bench] ${path.relative(ROOT, path.join(RESULTS, `${OUT_NAME}.md`))} rewritten from ${path.relative(ROOT, jsonFile)}`)
}

async function main() {
  if (process.argv.includes("--report")) return reportOnly()
  const areas = parseAreas(process.argv.slice(2))
  const started = Date.now()
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)

  ensureInstalled()
  pg = await ensurePostgres({ preferLocal: true })
  if (!String(pg.host).includes("localhost")) {
    log(`warning: DB_HOST is "${pg.host}"; Medusa's test runners force SSL for hosts not containing "localhost"`)
  }
  const key = () => crypto.randomBytes(32).toString("base64")
  const env = {
    ...process.env,
    NODE_ENV: "test",
    MEDUSA_DISABLE_TELEMETRY: "true",
    LOG_LEVEL: "error",
    // Throwaway keys: the benchmarks' codes are random test data.
    VIRTUAL_GOODS_ENCRYPTION_KEYS: `1:${key()}`,
    VIRTUAL_GOODS_BLIND_INDEX_KEY: key(),
  }
  // In-memory event bus, workflow engine and locks: a shared Redis would let another app's worker take our events.
  delete env.REDIS_URL

  fs.mkdirSync(RESULTS, { recursive: true })
  const results = { date: new Date().toISOString(), quick: QUICK, machine: await machine(), areas: {} }
  log(
    `${QUICK ? "quick" : "full"} run of ${areas.join(", ")} · ${results.machine.cores} cores, ${results.machine.memory_gb} GB · Node ${results.machine.node} · ` +
      `PostgreSQL ${results.machine.postgres.version} (${pg.source})`
  )

  let failed = false
  for (const area of areas) {
    if (interrupted) break
    const dbName = `vg_bench_${area}`
    const resultFile = path.join(RESULTS, `${area}.tmp.json`)
    fs.rmSync(resultFile, { force: true })
    const t0 = Date.now()
    log(`===== ${area} (database ${dbName}) =====`)
    createdDbs.add(dbName)
    await dropDatabases(dbName)
    const code = await runJest(area, { ...env, ...dbEnv(pg, dbName), ...(AREAS[area].env ?? {}), BENCH_DB: dbName, BENCH_RESULT_FILE: resultFile })
    await dropDatabases(dbName).catch((e) => log(`could not drop ${dbName}: ${e.message}`))
    createdDbs.delete(dbName)
    let result = null
    if (code === 0 && fs.existsSync(resultFile)) result = JSON.parse(fs.readFileSync(resultFile, "utf8"))
    if (!result) {
      failed = true
      results.areas[area] = { error: interrupted ? "interrupted" : `the benchmark failed (exit code ${code}); see bench/results/${area}.tmp.log` }
    } else {
      results.areas[area] = { date: results.date, quick: QUICK, ...result }
    }

    if (area === "import" && result && !interrupted) {
      const { importCommandBench } = require("../bench/import-command")
      const cmdDb = "vg_bench_import_cmd"
      createdDbs.add(cmdDb)
      try {
        results.areas.import.command = await importCommandBench({
          pg,
          env,
          codes: QUICK ? 100_000 : 1_000_000,
          dbName: cmdDb,
          log,
          onChild: (c) => (child = c),
        })
      } catch (e) {
        failed = true
        results.areas.import.command_error = String(e.message).split("\n")[0]
        console.error(`[bench] import command: ${e.message}`)
      } finally {
        child = null
        createdDbs.delete(cmdDb)
      }
    }
    if (results.areas[area]) results.areas[area].seconds = Math.round((Date.now() - t0) / 1000)
    log(`${area} finished in ${Math.round((Date.now() - t0) / 1000)} s`)
  }
  await pg.stop()
  results.duration_seconds = Math.round((Date.now() - started) / 1000)

  // A full run of some areas keeps the other areas' figures from the last full run (each with its own date).
  const jsonFile = path.join(RESULTS, `${OUT_NAME}.json`)
  let merged = results
  if (!QUICK && fs.existsSync(jsonFile)) {
    try {
      const previous = JSON.parse(fs.readFileSync(jsonFile, "utf8"))
      if (previous.areas) merged = { ...results, areas: { ...previous.areas, ...results.areas } }
    } catch {
      // an unreadable previous file is simply replaced
    }
  }
  fs.writeFileSync(jsonFile, JSON.stringify(merged, null, 2) + "\n")
  fs.writeFileSync(path.join(RESULTS, `${OUT_NAME}.md`), markdown(merged))
  printSummary(results)
  console.log(
    `\n[bench] ${failed ? "FAILED" : "done"} in ${(results.duration_seconds / 60).toFixed(1)} min · results: ` +
      `${path.relative(ROOT, jsonFile)}, ${path.relative(ROOT, path.join(RESULTS, `${OUT_NAME}.md`))}`
  )
  process.exit(interrupted ? 130 : failed ? 1 : 0)
}

function onSignal(signal) {
  if (interrupted) process.exit(130)
  interrupted = true
  console.log(`\n[bench] ${signal}: stopping the running benchmark and dropping its database`)
  if (child) child.kill(signal)
  else cleanupAndExit()
}

async function cleanupAndExit() {
  for (const db of createdDbs) await dropDatabases(db).catch(() => undefined)
  if (pg) await pg.stop().catch(() => undefined)
  process.exit(130)
}

main().catch(async (e) => {
  console.error(`[bench] ${e && e.stack ? e.stack : e}`)
  for (const db of createdDbs) await dropDatabases(db).catch(() => undefined)
  if (pg) await pg.stop().catch(() => undefined)
  process.exit(1)
})
