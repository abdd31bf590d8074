import { ExecArgs } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { optionalAmount, optionalNumber, parseCliArgs, runImportCommand } from "./utils/cli"
import { resolveVoucherFormat } from "../modules/card-vault/utils/voucher-code"

const USAGE =
  "npx medusa-virtual-goods generate <pool_id> <count> [--prefix GIFT-] [--length 16] [--group-size 4] " +
  "[--separator -] [--supplier NAME] [--cost 0] [--currency cny] [--expires-at 2027-06-30]"

export const MAX_GENERATE_COUNT = 10_000_000

/**
 * Generates own vouchers into a pool: Crockford base32 with a check character, at least 64 random bits (the
 * default 16 characters give 80). Uses the same streaming path as a file import, with a progress bar.
 */
export default async function generateCodes({ container, args }: ExecArgs) {
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
  process.stdout.write(`Generating ${count} codes of ${format.bits} random bits into ${poolId}\n`)
  await runImportCommand(
    container,
    {
      pool_id: poolId,
      source: "generated",
      // A generated code that happens to exist already is skipped and another one generated in its place.
      mode: "skip_invalid",
      lines_total: count,
      generator: format,
      supplier: values.supplier ?? null,
      cost_per_code: optionalAmount(values.cost, "cost") ?? null,
      currency_code: values.currency ?? null,
      expires_at: values["expires-at"] ?? null,
      actor: { type: "system", id: "cli:generate-codes" },
    },
    { type: "generate", format, count }
  )
}
