"use strict"

/**
 * Finds the Chromium that the browser tests drive with playwright-core: CHROMIUM_PATH, else Debian's `chromium`.
 * When it is missing and this process may install packages (root with apt-get), installs Debian's chromium and a CJK
 * font (the admin's Chinese labels must render as characters, not boxes); otherwise fails saying what to install.
 */

const fs = require("fs")
const { execFileSync, spawnSync } = require("child_process")

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium", "/snap/bin/chromium"]
const PACKAGES = ["chromium", "fonts-noto-cjk"]

function findChromium() {
  if (process.env.CHROMIUM_PATH) {
    if (!fs.existsSync(process.env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`)
    return process.env.CHROMIUM_PATH
  }
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null
}

function hasCjkFont() {
  const r = spawnSync("fc-list", [":lang=zh"], { encoding: "utf8" })
  return r.status === 0 && r.stdout.trim().length > 0
}

function canInstall() {
  return process.platform === "linux" && typeof process.getuid === "function" && process.getuid() === 0 && fs.existsSync("/usr/bin/apt-get")
}

function aptInstall(packages, log) {
  log(`installing ${packages.join(", ")} with apt-get (Debian packages)`)
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env })
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { stdio: "inherit", env })
}

/** Path of a usable Chromium, installing it (and a CJK font) first when missing and possible. */
function ensureChromium(log = (m) => console.log(`[browser] ${m}`)) {
  let found = findChromium()
  const missing = []
  if (!found) missing.push("chromium")
  if (!hasCjkFont()) missing.push("fonts-noto-cjk")
  if (missing.length) {
    if (!canInstall()) {
      if (!found) {
        throw new Error(
          `Chromium not found (looked at CHROMIUM_PATH and ${CANDIDATES.join(", ")}). Install Debian's packages: ` +
            `sudo apt-get install ${PACKAGES.join(" ")}, or set CHROMIUM_PATH.`
        )
      }
      log(`warning: no CJK font (fonts-noto-cjk): Chinese labels may render as boxes in screenshots`)
    } else {
      aptInstall(missing, log)
      found = findChromium()
      if (!found) throw new Error("apt-get installed chromium but no chromium binary was found")
    }
  }
  const version = execFileSync(found, ["--version"], { encoding: "utf8" }).trim()
  log(`${version} at ${found}`)
  return found
}

module.exports = { ensureChromium, findChromium }
