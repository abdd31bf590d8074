import { spawnApp, waitForHealth } from "./app-process"
import { useEnv } from "./env"

export type WorkerProcess = {
  pid: number
  /** Stops the worker (SIGTERM, then SIGKILL after 10 s); resolves once it has exited. */
  stop: () => Promise<void>
  /** Kills the worker at once (SIGKILL: no shutdown, whatever it was doing is cut off); resolves once it has exited. */
  kill: () => Promise<void>
  /** Peak resident memory the worker reported, in MB (read from /proc while it runs). */
  peakRssMb: () => number
}

function rssMb(pid: number): number {
  try {
    const status = require("fs").readFileSync(`/proc/${pid}/status`, "utf8") as string
    const m = /VmRSS:\s+(\d+) kB/.exec(status)
    return m ? Math.round(Number(m[1]) / 1024) : 0
  } catch {
    return 0
  }
}

/**
 * Starts this repository's app as a Medusa worker (`medusa start` with MEDUSA_WORKER_MODE=worker): it serves no API
 * but runs the subscribers and scheduled jobs, taking events from the Redis event bus — the background half of
 * Medusa's production deployment (one or more servers, one or more workers). Resolves once its /health answers.
 */
export async function startWorker(options: { databaseUrl: string; redisUrl: string; port: number; timeoutMs?: number }): Promise<WorkerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    MEDUSA_WORKER_MODE: "worker",
    MEDUSA_ADMIN_DISABLED: "true",
    NODE_OPTIONS: "--no-warnings",
  }
  const app = spawnApp(["start", "--port", String(options.port)], env)
  const { child, exit } = app
  let peak = 0
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(child.pid!))
  }, 500)
  const stop = async () => {
    clearInterval(sampler)
    if (app.exited()) return
    child.kill("SIGTERM")
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
    await exit
    clearTimeout(timer)
  }
  try {
    await waitForHealth(app, options.port, "the Medusa worker", options.timeoutMs)
  } catch (e) {
    await stop()
    throw e
  }
  const kill = async () => {
    clearInterval(sampler)
    if (app.exited()) return
    child.kill("SIGKILL")
    await exit
  }
  return { pid: child.pid!, stop, kill, peakRssMb: () => Math.max(peak, rssMb(child.pid!)) }
}

/**
 * Makes the app that Medusa's test runner boots in this test file an API server of the production deployment
 * (`MEDUSA_WORKER_MODE=server`) on the Redis event bus, workflow engine and locking at `redisUrl`. The runner loads
 * medusa-config before it applies its `env` option, so call this at the top of the file, before the runner; the
 * variables are restored after the file.
 */
export function serveWithWorkerTopology(redisUrl: string) {
  useEnv({ REDIS_URL: redisUrl, MEDUSA_WORKER_MODE: "server" })
}

/** Empties a test's own Redis database, so that no job of an earlier, interrupted run is picked up. */
export async function emptyRedis(redisUrl: string) {
  const Redis = require("ioredis")
  const redis = new Redis(redisUrl)
  await redis.flushdb()
  await redis.quit()
}

/** Starts a worker on a database of the test PostgreSQL. */
export function startTestWorker(options: { database: string; redisUrl: string; port: number }): Promise<WorkerProcess> {
  return startWorker({ databaseUrl: testDatabaseUrl(options.database), redisUrl: options.redisUrl, port: options.port })
}

/** The URL of a database on the test PostgreSQL (DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD). */
export function testDatabaseUrl(database: string): string {
  const auth = process.env.DB_PASSWORD ? `${process.env.DB_USERNAME}:${encodeURIComponent(process.env.DB_PASSWORD)}` : process.env.DB_USERNAME
  return `postgres://${auth}@${process.env.DB_HOST}:${process.env.DB_PORT ?? 5432}/${database}`
}
