"use strict"

const fs = require("fs")
const path = require("path")
const { spawnSync } = require("child_process")

const ROOT = path.resolve(__dirname, "..", "..")

/** Runs `npm install` in the repository root when the dependencies are missing (e.g. a fresh clone). */
function ensureInstalled() {
  const medusaBin = path.join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "medusa.cmd" : "medusa")
  if (fs.existsSync(medusaBin)) return

  console.log("[install] node_modules is missing or incomplete: running npm install --no-audit --no-fund")
  // `npm ci` is deliberately not used: the lockfile may lack optional packages of other platforms.
  const res = spawnSync("npm", ["install", "--no-audit", "--no-fund"], {
    cwd: ROOT,
    stdio: "inherit",
    shell: process.platform === "win32", // npm is npm.cmd on Windows
  })
  if (res.error) throw new Error(`npm install could not be started: ${res.error.message}`)
  if (res.status !== 0) {
    throw new Error(`npm install failed (${res.signal ? `signal ${res.signal}` : `exit code ${res.status}`})`)
  }
  if (!fs.existsSync(medusaBin)) {
    throw new Error("npm install finished but node_modules/.bin/medusa is still missing")
  }
}

module.exports = { ensureInstalled }
