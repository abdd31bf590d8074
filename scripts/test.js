#!/usr/bin/env node
"use strict"

/**
 * `npm test`: runs the unit, module-integration, HTTP-integration and install test tiers against a PostgreSQL found
 * or started by scripts/lib/postgres.js (DATABASE_URL, else localhost:5432 as `postgres` without password, else
 * embedded).
 *
 *   node scripts/test.js               all tiers
 *   node scripts/test.js unit http     only these tiers (typecheck | unit | modules | http | install | chaos | storefront | browser)
 *
 * Every tier runs even if an earlier one failed; the exit code is non-zero if any failed.
 */

const crypto = require("crypto")
const fs = require("fs")
const os = require("os")
const path = require("path")
const { spawn } = require("child_process")
const { ensureInstalled } = require("./lib/install")
const { ensurePostgres, dbEnv, ROOT } = require("./lib/postgres")

// unit: src/**/__tests__/*.unit.spec.ts, no database, Redis or other network service.
// modules: every other spec under src (src/**/__tests__/*.spec.ts), against PostgreSQL and Redis: the modules' services
// through Medusa's moduleIntegrationTestRunner, and the Redis-backed rate limits.
// http: integration-tests/http/*.spec.ts, the whole app booted by Medusa's medusaIntegrationTestRunner.
// install: build and pack the plugin, install the tarball into a fresh Medusa app, buy a code there.
// chaos: three API servers and a worker on Redis (scripts/lib/cluster.js) under mixed traffic, killed with SIGKILL and
// restarted; then the invariants (integration-tests/chaos/). CHAOS_SECONDS and friends make it larger.
// typecheck: tsc --noEmit over the plugin's backend and its admin (src/admin/tsconfig.json), both strict; the storefront typechecks in its own tier.
// storefront: the Next.js storefront's typecheck, unit tests and production build (storefront/, its own app).
// browser: the admin's pages and the storefront in Debian's Chromium (installed when missing), driven by playwright-core.
const TIERS = ["typecheck", "unit", "modules", "http", "install", "chaos", "storefront", "browser"]
const TEST_DB_NAME = "medusa_virtual_goods_test"

let pg = null // the PostgreSQL in use, once known
let child = null // the running tier, if any
let interrupted = false

function parseTiers(argv) {
  const unknown = argv.filter((a) => !TIERS.includes(a))
  if (unknown.length) {
    console.error(`Unknown test tier(s): ${unknown.join(", ")}. Usage: node scripts/test.js [${TIERS.join("|")} ...]`)
    process.exit(2)
  }
  return argv.length ? TIERS.filter((t) => argv.includes(t)) : TIERS
}

const randomKey = () => crypto.randomBytes(32).toString("base64")

const JEST_TIERS = ["unit", "modules", "http", "chaos"]

/**
 * The failed tests of a jest tier, from its JSON report: file, test name and the head of the first failure, so the
 * end of a long CI log names the cause even when the middle of it is cut.
 */
function jestFailures(reportFile) {
  let report
  try {
    report = JSON.parse(fs.readFileSync(reportFile, "utf8"))
  } catch {
    return []
  }
  const failures = []
  for (const file of report.testResults || []) {
    const rel = path.relative(ROOT, file.name)
    const failed = (file.assertionResults || []).filter((a) => a.status === "failed")
    if (!failed.length && file.status === "failed") failures.push({ where: rel, message: file.message || "the suite failed to run" })
    for (const a of failed) failures.push({ where: `${rel} › ${a.fullName}`, message: (a.failureMessages || []).join("\n") })
  }
  // eslint-disable-next-line no-control-regex
  const plain = (s) => s.replace(/\u001b\[[0-9;]*m/g, "")
  return failures.map((f) => ({ where: f.where, head: plain(f.message).split("\n").filter((l) => l.trim()).slice(0, 25) }))
}

function runTier(tier, env) {
  return new Promise((resolve) => {
    const started = Date.now()
    const report = JEST_TIERS.includes(tier) ? path.join(os.tmpdir(), `medusa-virtual-goods-${process.pid}-${tier}.json`) : null
    // `--` hands --passWithNoTests (and the JSON report) to jest: a tier without test files is not a failure.
    const args = report ? ["run", `test:${tier}`, "--", "--passWithNoTests", "--json", `--outputFile=${report}`] : ["run", `test:${tier}`]
    child = spawn("npm", args, {
      cwd: ROOT,
      env,
      stdio: "inherit",
      shell: process.platform === "win32",
    })
    const done = (code, detail) => {
      child = null
      const failures = report && code !== 0 ? jestFailures(report) : []
      if (report) fs.rmSync(report, { force: true })
      resolve({ tier, code, detail: interrupted ? "interrupted" : detail, seconds: (Date.now() - started) / 1000, failures })
    }
    child.on("error", (err) => done(1, `could not start npm: ${err.message}`))
    child.on("exit", (code, signal) =>
      done(code === null ? 1 : code, signal ? `signal ${signal}` : `exit code ${code}`)
    )
  })
}

async function stopPostgres() {
  if (pg) await pg.stop()
}

function onSignal(signal) {
  if (interrupted || !child) {
    // Second signal, or nothing to wait for: stop the server we started and leave now.
    stopPostgres().finally(() => process.exit(130))
    return
  }
  interrupted = true
  console.log(`\n[test] ${signal} received: stopping the running tier, skipping the rest`)
  child.kill(signal)
}

async function main() {
  const tiers = parseTiers(process.argv.slice(2))
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)

  ensureInstalled()
  pg = await ensurePostgres({ preferLocal: true })

  const env = {
    ...process.env,
    ...dbEnv(pg, TEST_DB_NAME),
    NODE_ENV: "test",
    MEDUSA_DISABLE_TELEMETRY: "true",
    LOG_LEVEL: "error",
    // Fresh throwaway keys per run unless the caller supplies its own.
    VIRTUAL_GOODS_ENCRYPTION_KEYS: process.env.VIRTUAL_GOODS_ENCRYPTION_KEYS || `1:${randomKey()}`,
    VIRTUAL_GOODS_BLIND_INDEX_KEY: process.env.VIRTUAL_GOODS_BLIND_INDEX_KEY || randomKey(),
  }
  if (!env.DB_HOST.includes("localhost")) {
    console.warn(
      `[test] warning: DB_HOST is "${env.DB_HOST}". Medusa's test runner forces SSL for hosts not containing ` +
        `"localhost"; tests hang in beforeAll if the server has no SSL.`
    )
  }

  const results = []
  for (const tier of tiers) {
    if (interrupted) {
      results.push({ tier, skipped: true })
      continue
    }
    console.log(`\n[test] ===== ${tier} =====`)
    results.push(await runTier(tier, env))
  }

  console.log("\n[test] summary")
  for (const r of results) {
    const status = r.skipped ? "skipped (interrupted)" : r.code === 0 ? "passed" : `FAILED (${r.detail})`
    const time = r.skipped ? "" : ` in ${r.seconds.toFixed(1)} s`
    console.log(`[test]   ${r.tier.padEnd(10)} ${status}${time}`)
  }
  for (const r of results) {
    for (const f of r.failures || []) {
      console.log(`\n[test] ${r.tier} failed: ${f.where}`)
      for (const line of f.head) console.log(`[test]   ${line}`)
    }
  }

  await stopPostgres()
  const failed = results.some((r) => !r.skipped && r.code !== 0)
  process.exit(interrupted ? 130 : failed ? 1 : 0)
}

main().catch(async (err) => {
  console.error(`[test] ${err && err.message ? err.message : err}`)
  await stopPostgres().catch(() => {})
  process.exit(1)
})
