import { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { optionalNumber, parseCliArgs, peakMemoryMb, withBatchProgress } from "../lib/cli"
import { resolveVoucherFormat } from "../modules/card-vault/utils/voucher-code"
import { startCardImportWorkflow } from "../workflows/virtual-goods/workflows/start-card-import"
import { runCardImportWorkflow } from "../workflows/virtual-goods/workflows/run-card-import"
import { printOutcome } from "./import-codes"

const USAGE =
  "npx medusa-virtual-goods generate <pool_id> <count> [--prefix GIFT-] [--length 16] [--group-size 4] " +
  "[--separator -] [--supplier NAME] [--cost 0] [--currency cny] [--expires-at 2027-06-30]"

export const MAX_GENERATE_COUNT = 10_000_000

/**
 * Generates own vouchers into a pool: Crockford base32 with a check character, at least 64 random bits (the
 * default 16 characters give 80). Uses the same streaming path as a file import, with a progress bar.
 */
export default async function generateCodes({ container, args }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const { values, positionals } = parseCliArgs(
    args,
    {
      prefix: { type: "string" },
      length: { type: "string" },
      "group-size": { type: "string" },
      separator: { type: "string" },
      supplier: { type: "string" },
      cost: { type: "string" },
      currency: { type: "string" },
      "expires-at": { type: "string" },
    },
    `${USAGE}\n(through medusa exec, give options as key=value, e.g. mode=skip-invalid)`
  )
  const [poolId, countText] = positionals
  const count = Number(countText)
  if (!poolId || !Number.isInteger(count) || count < 1 || count > MAX_GENERATE_COUNT || positionals.length > 2) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Expected a pool id and a count from 1 to ${MAX_GENERATE_COUNT}.\n\nUsage: ${USAGE}`
    )
  }
  const format = resolveVoucherFormat({
    prefix: values.prefix,
    length: optionalNumber(values.length, "length"),
    group_size: optionalNumber(values["group-size"], "group-size"),
    separator: values.separator,
  })
  logger.info(`Generating ${count} codes of ${format.bits} random bits into ${poolId}`)
  const actor = { type: "system" as const, id: "cli:generate-codes" }
  const { result: start } = await startCardImportWorkflow(container).run({
    input: {
      pool_id: poolId,
      source: "generated",
      mode: "skip_invalid",
      lines_total: count,
      generator: format,
      supplier: values.supplier ?? null,
      cost_per_code: optionalNumber(values.cost, "cost") ?? null,
      currency_code: values.currency ?? null,
      expires_at: values["expires-at"] ?? null,
      actor,
    },
  })
  const run = runCardImportWorkflow(container)
    .run({ input: { pool_id: poolId, batch_id: start.batch_id, source: { type: "generate", format, count }, actor } })
    .then((r) => r.result)
  const outcome = await withBatchProgress(container, start.batch_id, run)
  await printOutcome(container, outcome)
  logger.info(`Peak memory: ${peakMemoryMb()} MB`)
  if (outcome.status !== "committed") process.exitCode = 1
}
