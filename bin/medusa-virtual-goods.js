#!/usr/bin/env node
"use strict"

/**
 * medusa-virtual-goods <command> [args]: runs the plugin's maintenance scripts in the Medusa app of the current
 * directory (through `medusa exec`, so they use the app's configuration and database), with a heap limit that keeps
 * a million-code import well under 512 MB.
 *
 *   import <pool_id> <file.txt|file.csv> [--mode skip-invalid] [--supplier …] [--cost …] [--currency …] [--expires-at …]
 *   generate <pool_id> <count> [--prefix …] [--length 16] [--group-size 4] [--separator -] […]
 *   rotate-keys [--batch-size 1000] [--max-wait-seconds 60]
 */

const fs = require("fs")
const path = require("path")
const { spawn } = require("child_process")

const COMMANDS = { import: "import-codes", generate: "generate-codes", "rotate-keys": "rotate-keys" }
const PACKAGE_ROOT = path.resolve(__dirname, "..")

function scriptPath(name) {
  const built = path.join(PACKAGE_ROOT, ".medusa", "server", "src", "scripts", `${name}.js`)
  if (fs.existsSync(built)) return built
  // Inside the plugin's own repository (the dev app), run the sources.
  const source = path.join(PACKAGE_ROOT, "src", "scripts", `${name}.ts`)
  if (fs.existsSync(source)) return source
  throw new Error(`Script ${name} is missing from ${PACKAGE_ROOT}: build the plugin first (npm run build)`)
}

function main() {
  const [command, ...args] = process.argv.slice(2)
  if (!COMMANDS[command]) {
    console.error(`Usage: medusa-virtual-goods <${Object.keys(COMMANDS).join("|")}> [args]`)
    process.exit(command ? 2 : 0)
  }
  const nodeOptions = process.env.NODE_OPTIONS || ""
  const env = {
    ...process.env,
    NODE_OPTIONS: /max-old-space-size/.test(nodeOptions) ? nodeOptions : `${nodeOptions} --max-old-space-size=384`.trim(),
  }
  const child = spawn("npx", ["medusa", "exec", scriptPath(COMMANDS[command]), ...args], {
    cwd: process.cwd(),
    env,
    stdio: "inherit",
    shell: process.platform === "win32",
  })
  child.on("exit", (code, signal) => process.exit(signal ? 1 : code ?? 1))
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig))
}

main()
