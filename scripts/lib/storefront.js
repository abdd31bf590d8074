"use strict"

/**
 * The Next.js storefront in storefront/ (its own app and lockfile): installed when its dependencies are missing,
 * built when the build is missing or older than its sources, started with `node server.mjs`.
 */

const fs = require("fs")
const path = require("path")
const http = require("http")
const { spawn, spawnSync } = require("child_process")

const ROOT = path.resolve(__dirname, "..", "..")
const DIR = path.join(ROOT, "storefront")

function run(args, what) {
  const res = spawnSync("npm", args, { cwd: DIR, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, shell: process.platform === "win32" })
  if (res.error) throw new Error(`${what} could not be started: ${res.error.message}`)
  if (res.status !== 0) throw new Error(`${what} failed (${res.signal ? `signal ${res.signal}` : `exit code ${res.status}`})`)
}

function ensureStorefrontInstalled() {
  if (fs.existsSync(path.join(DIR, "node_modules", ".bin", process.platform === "win32" ? "next.cmd" : "next"))) return
  console.log("[storefront] installing its dependencies: npm install --no-audit --no-fund (in storefront/)")
  run(["install", "--no-audit", "--no-fund"], "npm install in storefront/")
}

/** Newest modification time under a folder (sources only). */
function newest(dir) {
  let t = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs)
  }
  return t
}

function ensureStorefrontBuilt({ force = false } = {}) {
  ensureStorefrontInstalled()
  const buildId = path.join(DIR, ".next", "BUILD_ID")
  const sources = Math.max(newest(path.join(DIR, "src")), ...["next.config.mjs", "package.json", "tsconfig.json"].map((f) => fs.statSync(path.join(DIR, f)).mtimeMs))
  if (!force && fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs >= sources) return false
  console.log("[storefront] building: next build (in storefront/)")
  run(["run", "build"], "next build")
  return true
}

/** Starts the storefront; resolves with the child once it answers on `port`. */
function startStorefront({ port = 8000, env = {}, stdio = "inherit", timeoutMs = 60_000 } = {}) {
  const child = spawn(process.execPath, ["server.mjs"], {
    cwd: DIR,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), HOSTNAME: "127.0.0.1", ...env },
    stdio,
  })
  const deadline = Date.now() + timeoutMs
  return new Promise((resolve, reject) => {
    let exited = false
    child.once("exit", (code) => {
      exited = true
      reject(new Error(`the storefront exited with code ${code}`))
    })
    const probe = () => {
      if (exited) return
      const req = http.get({ host: "127.0.0.1", port, path: "/virtual-goods/health-probe", timeout: 2000 }, (res) => {
        res.resume()
        resolve(child)
      })
      req.on("error", () => (Date.now() > deadline ? reject(new Error(`the storefront did not answer on port ${port} within ${timeoutMs} ms`)) : setTimeout(probe, 300)))
    }
    probe()
  })
}

module.exports = { ensureStorefrontInstalled, ensureStorefrontBuilt, startStorefront, STOREFRONT_DIR: DIR }

/** `node scripts/lib/storefront.js check` (the `storefront` test tier): install, typecheck, unit tests, build. */
if (require.main === module) {
  if (process.argv[2] !== "check") {
    console.error("usage: node scripts/lib/storefront.js check")
    process.exit(2)
  }
  try {
    ensureStorefrontInstalled()
    run(["run", "typecheck"], "the storefront's typecheck")
    run(["test"], "the storefront's unit tests")
    ensureStorefrontBuilt({ force: true })
  } catch (e) {
    console.error(`[storefront] ${e.message}`)
    process.exit(1)
  }
}
