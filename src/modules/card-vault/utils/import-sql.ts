import { generateEntityId, MedusaError } from "@medusajs/framework/utils"
import { ImportEntryError } from "./import-entries"
import { CardCodeTransitions } from "./state-machine"
import { errorMessage } from "../../../utils/errors"
import { INSERT_CHUNK, sqlStateOf, type Knex } from "./sql"
import type { SealedCardCode, CardBatchInput } from "../types"

export const IMPORT_CHUNK = 2000
/** An importing batch that has not reported progress for this long, and whose lock is free, is abandoned. */
export const IMPORT_GRACE_SECONDS = 5
export const COPY_COLUMNS = [
  "id",
  "pool_id",
  "batch_id",
  "status",
  "key_version",
  "ciphertext",
  "blind_index",
  "mask",
  "has_password",
  "expires_at",
  "cost",
  "raw_cost",
]


export const importLockKey = (batchId: string) => `card-import:${batchId}`

/** The columns every kind of batch sets from its input: supplier, cost, currency, expiry, file hash, creator. */
export function batchFields(id: string, input: CardBatchInput) {
  const cost = input.cost_per_code ?? null
  return {
    id,
    pool_id: input.pool_id,
    supplier: input.supplier ?? null,
    cost_per_code: cost === null ? null : String(cost),
    raw_cost_per_code: cost === null ? null : JSON.stringify({ value: String(cost), precision: 20 }),
    currency_code: input.currency_code ? input.currency_code.toLowerCase() : null,
    expires_at: input.expires_at ? new Date(input.expires_at) : null,
    file_hash: input.file_hash ?? null,
    created_by: input.actor.id ?? null,
  }
}

/** Inserts a batch committed at once (an import of sealed codes, an addition of shared codes); returns its id. */
export async function insertCommittedBatch(knex: Knex, input: CardBatchInput, codeCount: number): Promise<string> {
  const batchId = generateEntityId(undefined, "cbatch")
  await knex("card_batch").insert({
    ...batchFields(batchId, input),
    source: "import",
    status: "committed",
    code_count: codeCount,
    rejected_count: 0,
  })
  return batchId
}

/** COPY text format: backslash, tab and line breaks escaped; `\N` for NULL. */
function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "\\N"
  if (typeof value === "boolean") return value ? "t" : "f"
  return String(value).replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"))
}

export function copyRow(batch: { id: string; pool_id: string }, code: SealedCardCode, batchExpiry: Date | null): string {
  const expires = code.expires_at ?? batchExpiry
  const cost = code.cost ?? null
  return (
    [
      code.id,
      batch.pool_id,
      batch.id,
      CardCodeTransitions.release.to,
      code.key_version,
      code.ciphertext,
      code.blind_index,
      copyValue(code.mask),
      copyValue(code.has_password),
      expires ? expires.toISOString() : "\\N",
      copyValue(cost),
      cost === null ? "\\N" : JSON.stringify({ value: cost, precision: 20 }),
    ].join("\t") + "\n"
  )
}

export async function insertImportErrors(knex: Knex, batchId: string, errors: ImportEntryError[]) {
  for (let i = 0; i < errors.length; i += INSERT_CHUNK) {
    await knex("card_import_error").insert(
      errors.slice(i, i + INSERT_CHUNK).map((e) => ({
        id: generateEntityId(undefined, "cimperr"),
        batch_id: batchId,
        line: e.line,
        field: e.field,
        message: e.message.slice(0, 500),
      }))
    )
  }
}

/** What a failed import records: our own messages, or the database's error without its detail (which can quote row data). */
export function importFailureMessage(e: unknown): string {
  if (e instanceof MedusaError) return e.message
  const state = sqlStateOf(e)
  if (state === "23505") {
    return "a code of this file was stored by another import while this one ran; run it again to see which lines"
  }
  if (state) return `database error ${state}`
  return errorMessage(e).slice(0, 500)
}

/** Writes an importing batch's progress outside its transaction, at most every 250 ms. Also its heartbeat. */
export class ImportProgress {
  private last = 0
  constructor(
    private readonly knex: Knex,
    private readonly batchId: string,
    private readonly state: { lines_read: number; code_count: number; rejected_count: number },
    private readonly bytes?: { bytes: number }
  ) {}

  async flush(force: boolean) {
    const now = Date.now()
    if (!force && now - this.last < 250) return
    this.last = now
    await this.knex("card_batch")
      .where({ id: this.batchId, status: "importing" })
      .update({
        lines_read: this.state.lines_read,
        code_count: this.state.code_count,
        rejected_count: this.state.rejected_count,
        ...(this.bytes ? { bytes_read: this.bytes.bytes } : {}),
        updated_at: this.knex.fn.now(),
      })
  }
}

