import { ChildProcess, spawn } from "child_process"
import http from "http"
import path from "path"

export const ROOT = path.resolve(__dirname, "../..")

/** The Medusa CLI of this repository. */
export const medusaCli = () => require.resolve("@medusajs/cli/cli.js", { paths: [ROOT] })

/** This repository's app started by the Medusa CLI in a child process, with the tail of its output kept. */
export type AppProcess = {
  child: ChildProcess
  /** The last 4000 characters the process wrote (stdout and stderr). */
  output: () => string
  exited: () => boolean
  /** Resolves once the process has exited. */
  exit: Promise<void>
}

/** Runs `medusa <args>` from the repository's root with `env`; `detached` gives it a process group of its own. */
export function spawnApp(args: string[], env: NodeJS.ProcessEnv, options: { detached?: boolean } = {}): AppProcess {
  const child = spawn(process.execPath, [medusaCli(), ...args], { cwd: ROOT, env, detached: options.detached, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  }
  child.stdout!.on("data", keep)
  child.stderr!.on("data", keep)
  let exited = false
  const exit = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true
      resolve()
    })
  )
  return { child, output: () => output, exited: () => exited, exit }
}

/** The HTTP status of GET `path` on loopback `port`, or 0 when nothing answers within a second. */
export const statusOf = (port: number, p: string) =>
  new Promise<number>((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: p, timeout: 1000 }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on("error", () => resolve(0))
    req.on("timeout", () => {
      req.destroy()
      resolve(0)
    })
  })

/** Waits until the app's /health answers 200; throws with its last output when it exits or the deadline passes. */
export async function waitForHealth(app: AppProcess, port: number, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while ((await statusOf(port, "/health")) !== 200) {
    if (app.exited() || Date.now() > deadline) {
      throw new Error(`${what} did not start${app.exited() ? " (it exited)" : ""}; its last output:\n${app.output()}`)
    }
    await new Promise((r) => setTimeout(r, 300))
  }
}
