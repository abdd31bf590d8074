import path from "path"
import { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { parseCliArgs, peakMemoryMb, optionalNumber, withBatchProgress } from "../lib/cli"
import { hashFile } from "../lib/import-sources"
import { formatOfFileName } from "../modules/card-vault/utils/import-file"
import { CARD_VAULT_MODULE } from "../modules/card-vault"
import type CardVaultModuleService from "../modules/card-vault/service"
import { startCardImportWorkflow } from "../workflows/virtual-goods/workflows/start-card-import"
import { runCardImportWorkflow } from "../workflows/virtual-goods/workflows/run-card-import"

const USAGE =
  "npx medusa-virtual-goods import <pool_id> <file.txt|file.csv> [--mode all-or-nothing|skip-invalid] " +
  "[--format txt|csv] [--supplier NAME] [--cost 21.5] [--currency cny] [--expires-at 2027-06-30]"

/**
 * Imports a TXT (one code per line) or CSV (header: code, password, expires_at, cost) file from disk into a pool,
 * streaming, with a progress bar. All or nothing by default; `--mode skip-invalid` imports the valid lines. The
 * report of rejected lines is printed (line, field, reason — never a code) and kept on the batch.
 */
export default async function importCodes({ container, args }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const { values, positionals } = parseCliArgs(
    args,
    {
      mode: { type: "string" },
      format: { type: "string" },
      supplier: { type: "string" },
      cost: { type: "string" },
      currency: { type: "string" },
      "expires-at": { type: "string" },
    },
    `${USAGE}\n(through medusa exec, give options as key=value, e.g. mode=skip-invalid)`
  )
  const [poolId, file] = positionals
  if (!poolId || !file || positionals.length > 2) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Expected a pool id and a file.\n\nUsage: ${USAGE}`)
  }
  const mode = values.mode === undefined ? "all_or_nothing" : values.mode.replace(/-/g, "_")
  if (mode !== "all_or_nothing" && mode !== "skip_invalid") {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `--mode must be all-or-nothing or skip-invalid, got "${values.mode}"`)
  }
  const format = (values.format ?? formatOfFileName(file)) as "txt" | "csv"
  if (format !== "txt" && format !== "csv") {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `--format must be txt or csv, got "${values.format}"`)
  }
  const filePath = path.resolve(file)
  const { sha256, bytes } = await hashFile(filePath)
  const actor = { type: "system" as const, id: "cli:import-codes" }
  const { result: start } = await startCardImportWorkflow(container).run({
    input: {
      pool_id: poolId,
      source: "import",
      mode,
      file_name: path.basename(filePath),
      file_hash: sha256,
      bytes_total: bytes,
      supplier: values.supplier ?? null,
      cost_per_code: optionalNumber(values.cost, "cost") ?? null,
      currency_code: values.currency ?? null,
      expires_at: values["expires-at"] ?? null,
      actor,
    },
  })
  const run = runCardImportWorkflow(container)
    .run({ input: { pool_id: poolId, batch_id: start.batch_id, source: { type: "file", path: filePath, format }, actor } })
    .then((r) => r.result)
  const outcome = await withBatchProgress(container, start.batch_id, run)
  await printOutcome(container, outcome)
  logger.info(`Peak memory: ${peakMemoryMb()} MB`)
  if (outcome.status !== "committed") process.exitCode = 1
}

export async function printOutcome(container: ExecArgs["container"], outcome: { batch_id: string; status: string; code_count: number; rejected_count: number; lines_read: number; error: string | null }) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const vault: CardVaultModuleService = container.resolve(CARD_VAULT_MODULE)
  if (outcome.status === "committed") {
    logger.info(
      `Batch ${outcome.batch_id} committed: ${outcome.code_count} codes imported from ${outcome.lines_read} lines, ${outcome.rejected_count} rejected`
    )
  } else {
    logger.error(`Batch ${outcome.batch_id} ${outcome.status}: ${outcome.error}`)
  }
  if (outcome.rejected_count) {
    const { errors, count } = await vault.listImportErrors({ batch_id: outcome.batch_id, limit: 50 })
    logger.info(`Rejected lines (${count}; the full report: GET /admin/virtual-goods/batches/${outcome.batch_id}/report):`)
    for (const e of errors) logger.info(`  line ${e.line} ${e.field}: ${e.message}`)
  }
}
