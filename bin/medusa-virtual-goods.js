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
 *   verify-audit [--checkpoint-dir dir] [--public-key key.pem]
 *   audit-checkpoint
 */

const fs = require("fs")
const path = require("path")
const { spawn } = require("child_process")

const COMMANDS = {
  import: "import-codes",
  generate: "generate-codes",
  "rotate-keys": "rotate-keys",
  "verify-audit": "verify-audit",
  "audit-checkpoint": "audit-checkpoint",
}
const PACKAGE_ROOT = path.resolve(__dirname, "..")

function scriptPath(name) {
  // Inside the plugin's own repository (the dev app) the sources are there and current; a published package ships
  // only the build.
  const source = path.join(PACKAGE_ROOT, "src", "scripts", `${name}.ts`)
  if (fs.existsSync(source)) return source
  const built = path.join(PACKAGE_ROOT, ".medusa", "server", "src", "scripts", `${name}.js`)
  if (fs.existsSync(built)) return built
  throw new Error(`Script ${name} is missing from ${PACKAGE_ROOT}: build the plugin first (npm run build)`)
}

/** `--key value` and `--key=value` become `key=value`: `medusa exec` accepts positional arguments only. */
function toPositional(args) {
  const out = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(a)
    if (!m) out.push(a)
    else if (m[2] !== undefined) out.push(`${m[1]}=${m[2]}`)
    else if (i + 1 < args.length) out.push(`${m[1]}=${args[++i]}`)
    else throw new Error(`Option --${m[1]} needs a value`)
  }
  return out
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
  let positional
  try {
    positional = toPositional(args)
  } catch (e) {
    console.error(e.message)
    process.exit(2)
  }
  const child = spawn("npx", ["medusa", "exec", scriptPath(COMMANDS[command]), ...positional], {
    cwd: process.cwd(),
    env,
    stdio: "inherit",
    shell: process.platform === "win32",
  })
  child.on("exit", (code, signal) => process.exit(signal ? 1 : code ?? 1))
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig))
}

main()
