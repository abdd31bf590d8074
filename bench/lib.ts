import { promises as fs } from "fs"
import path from "path"

export const QUICK = process.env.BENCH_QUICK === "1"
export const RESULTS_DIR = path.join(__dirname, "results")

export type Timed = { ops: number; seconds: number; per_second: number; p50_ms: number; p95_ms: number; p99_ms: number }

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export function summarize(latenciesMs: number[], seconds: number): Timed {
  const sorted = [...latenciesMs].sort((a, b) => a - b)
  const round = (n: number) => Math.round(n * 100) / 100
  return {
    ops: sorted.length,
    seconds: round(seconds),
    per_second: round(sorted.length / seconds),
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
  }
}

export type Round = { latencies: number[]; seconds: number }

/** Runs `total` calls of `fn` on `workers` concurrent loops; returns every call's latency and the wall time. */
export async function concurrent(workers: number, total: number, fn: (i: number) => Promise<unknown>): Promise<Round> {
  const latencies: number[] = []
  let next = 0
  const started = process.hrtime.bigint()
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        const i = next++
        const t0 = process.hrtime.bigint()
        await fn(i)
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
      }
    })
  )
  return { latencies, seconds: Number(process.hrtime.bigint() - started) / 1e9 }
}

/** Combines alternating rounds of one side: total operations over total time, latencies pooled. */
export function combine(rounds: Round[]): Timed {
  return summarize(
    rounds.flatMap((r) => r.latencies),
    rounds.reduce((s, r) => s + r.seconds, 0)
  )
}

export const ratio = (ours: number, base: number) => Math.round((ours / base) * 100) / 100

export async function writeResult(area: string, result: unknown) {
  await fs.mkdir(RESULTS_DIR, { recursive: true })
  await fs.writeFile(path.join(RESULTS_DIR, `${area}.tmp.json`), JSON.stringify(result, null, 2))
}

export function log(line: string) {
  process.stdout.write(`[bench] ${line}\n`)
}
