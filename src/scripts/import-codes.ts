import path from "path"
import { ExecArgs } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { optionalAmount, optionalNumber, parseCliArgs, runImportCommand } from "./utils/cli"
import { hashFile } from "../modules/card-vault/utils/import-sources"
import { formatOfFileName } from "../modules/card-vault/utils/import-file"

const USAGE =
  "npx medusa-virtual-goods import <pool_id> <file.txt|file.csv> [--mode all-or-nothing|skip-invalid] " +
  "[--format txt|csv] [--supplier NAME] [--cost 21.5] [--currency cny] [--expires-at 2027-06-30]"

const MAX_IMPORT_FILE_BYTES = 2 ** 31 - 1

/**
 * Imports a TXT (one code per line) or CSV (header: code, password, expires_at, cost) file from disk into a pool,
 * streaming, with a progress bar. All or nothing by default; `--mode skip-invalid` imports the valid lines. The
 * report of rejected lines is printed (line, field, reason — never a code) and kept on the batch.
 */
export default async function importCodes({ container, args }: ExecArgs) {
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
  if (bytes > MAX_IMPORT_FILE_BYTES) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `${path.basename(filePath)} has ${bytes} bytes; files up to 2 GiB (about 80 million codes) are imported in one batch: split it`
    )
  }
  await runImportCommand(
    container,
    {
      pool_id: poolId,
      source: "import",
      mode,
      file_name: path.basename(filePath),
      file_hash: sha256,
      bytes_total: bytes,
      supplier: values.supplier ?? null,
      cost_per_code: optionalAmount(values.cost, "cost") ?? null,
      currency_code: values.currency ?? null,
      expires_at: values["expires-at"] ?? null,
      actor: { type: "system", id: "cli:import-codes" },
    },
    { type: "file", path: filePath, format }
  )
}
