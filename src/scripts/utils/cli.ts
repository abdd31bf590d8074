import { parseArgs } from "util"
import { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { ImportOutcome, StartImportBatchInput } from "../../modules/card-vault/service"
import { startCardImportWorkflow } from "../../workflows/virtual-goods/workflows/start-card-import"
import { runCardImportWorkflow } from "../../workflows/virtual-goods/workflows/run-card-import"
import type { CardImportSource } from "../../modules/card-vault/utils/import-sources"
import { errorMessage } from "../../utils/errors"
import { cardVaultModule } from "../../workflows/virtual-goods/utils/card-vault-module"

/**
 * Parses script arguments; unknown options are refused with the usage text. `medusa exec` passes positional
 * arguments only, so options also come as `key=value` (the `medusa-virtual-goods` bin turns `--key value` into that).
 */
export function parseCliArgs<T extends Record<string, { type: "string" | "boolean" }>>(
  args: string[] | undefined,
  options: T,
  usage: string
) {
  const normalized = (args ?? []).map((a) => (/^[a-z][a-z-]*=/.test(a) ? `--${a}` : a))
  try {
    return parseArgs({ args: normalized, options, allowPositionals: true, strict: true })
  } catch (e: unknown) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${errorMessage(e)}\n\nUsage: ${usage}`)
  }
}

export function optionalNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n)) throw new MedusaError(MedusaError.Types.INVALID_DATA, `--${name} must be a number, got "${value}"`)
  return n
}

/** An amount option (`--cost 2.5`) as its exact decimal text, never a float. */
export function optionalAmount(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (!/^\d{1,16}(\.\d{1,10})?$/.test(text)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `--${name} must be a non-negative decimal amount, got "${value}"`)
  }
  return text
}

const fmt = (n: number) => n.toLocaleString("en-US")

/**
 * Draws a batch's progress while `work` runs: a bar on a terminal, a line every 10% otherwise. Reads the batch row
 * the import updates (the same figures the admin API shows). Resolves with `work`'s result.
 */
export async function withBatchProgress<T>(
  container: MedusaContainer,
  batchId: string,
  work: Promise<T>,
  out: NodeJS.WriteStream = process.stderr
): Promise<T> {
  const vault = cardVaultModule(container)
  const started = Date.now()
  let lastDecile = -1
  let done = false
  const draw = async () => {
    const [b] = await vault.listCardBatches({ id: batchId }, { take: 1 })
    if (!b) return
    const total = b.lines_total ? Number(b.lines_total) : b.bytes_total ? Number(b.bytes_total) : 0
    const doneUnits = b.lines_total ? Number(b.lines_read) : Number(b.bytes_read)
    const ratio = total ? Math.min(1, doneUnits / total) : 0
    const seconds = (Date.now() - started) / 1000
    const rate = seconds > 0 ? Math.round(Number(b.lines_read) / seconds) : 0
    const text =
      `${(ratio * 100).toFixed(0).padStart(3)}% ${fmt(Number(b.lines_read))} lines · ${fmt(Number(b.code_count))} codes · ` +
      `${fmt(Number(b.rejected_count))} rejected · ${fmt(rate)} lines/s`
    if (out.isTTY) {
      const width = 30
      const filled = Math.round(ratio * width)
      out.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${text}   `)
    } else {
      const decile = Math.floor(ratio * 10)
      if (decile > lastDecile) {
        lastDecile = decile
        out.write(`${text}\n`)
      }
    }
  }
  const timer = setInterval(() => void (done ? undefined : draw().catch(() => undefined)), 500)
  try {
    return await work
  } finally {
    done = true
    clearInterval(timer)
    await draw().catch(() => undefined)
    if (out.isTTY) out.write("\n")
  }
}

/** Peak resident memory of this process so far, in MB. */
export const peakMemoryMb = () => Math.round(process.resourceUsage().maxRSS / 1024)

/**
 * What the import and generate commands share: opens the batch, fills it with a progress bar, prints the outcome
 * and the first rejected lines (line, field, reason — never a code) and the peak memory. Exit code 1 when the batch
 * was not committed.
 */
export async function runImportCommand(
  container: MedusaContainer,
  start: StartImportBatchInput,
  source: CardImportSource,
  out: NodeJS.WriteStream = process.stdout
) {
  const vault = cardVaultModule(container)
  const { result: opened } = await startCardImportWorkflow(container).run({ input: start })
  const run = runCardImportWorkflow(container)
    .run({ input: { pool_id: start.pool_id, batch_id: opened.batch_id, source, actor: start.actor } })
    .then((r) => r.result as ImportOutcome)
  const outcome = await withBatchProgress(container, opened.batch_id, run)
  // The command's result goes to its output whatever the app's log level is.
  out.write(
    outcome.status === "committed"
      ? `Batch ${outcome.batch_id} committed: ${outcome.code_count} codes imported from ${outcome.lines_read} lines, ${outcome.rejected_count} rejected\n`
      : `Batch ${outcome.batch_id} ${outcome.status}: ${outcome.error}\n`
  )
  if (outcome.rejected_count) {
    const { errors, count } = await vault.listImportErrors({ batch_id: outcome.batch_id, limit: 50 })
    out.write(`Rejected lines (${count}; the full report: GET /admin/virtual-goods/batches/${outcome.batch_id}/report):\n`)
    for (const e of errors) out.write(`  line ${e.line} ${e.field}: ${e.message}\n`)
  }
  out.write(`Peak memory: ${peakMemoryMb()} MB\n`)
  if (outcome.status !== "committed") process.exitCode = 1
  return outcome
}
