import { Readable } from "stream"
import { pipeline } from "stream/promises"
import { from as copyFrom } from "pg-copy-streams"
import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { FingerprintSet } from "../utils/fingerprint-set"
import { ImportEntry, ImportEntryError, validateImportEntry } from "../utils/import-entries"
import type { ImportLine } from "../utils/import-file"
import { auditActor, sqlStateOf, VaultSqlService, type VaultServiceDeps, INSERT_CHUNK, type Knex } from "../utils/sql"
import type KeyringService from "./keyring"

/** What an import reads of its batch. */
type ImportBatchRow = { id: string; pool_id: string; expires_at: Date | string | null }
import { batchFields, insertCommittedBatch, IMPORT_CHUNK, IMPORT_GRACE_SECONDS, COPY_COLUMNS, importLockKey, copyRow, insertImportErrors, importFailureMessage, ImportProgress } from "../utils/import-sql"
import type { CardActor, SealedCardCode, CardBatchInput, StartImportBatchInput, ImportOutcome } from "../types"
import { CardCodeStatus } from "../utils/state-machine"

/** Imports, files and generation fill exclusive pools; a reusable pool takes shared codes (services/shared-codes.ts). */
function refuseReusable(pool: { id: string; kind: string }) {
  if (pool.kind === "reusable") {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Pool ${pool.id} is reusable: add its codes as shared codes (POST /admin/virtual-goods/pools/${pool.id}/shared-codes)`
    )
  }
}

/**
 * Imports: batches of sealed codes (all or nothing), streamed imports of files and generators through COPY with
 * progress and heartbeat, rejected lines, reverting a batch, and abandoned imports.
 */
export default class CodeImportService extends VaultSqlService {
  protected readonly keyring_: KeyringService

  constructor(container: VaultServiceDeps & { keyringService: KeyringService }) {
    super(container)
    this.keyring_ = container.keyringService
  }

  /**
   * Stores sealed codes as one committed batch, all or nothing. A code already in the vault (also one added
   * by a concurrent import) rejects the whole batch. With `reserve_for` the codes are stored reserved under that key
   * (one `reserve` audit row with the import's), for the order that bought them.
   */
  @InjectTransactionManager()
  async importSealedCodes(
    input: CardBatchInput & { codes: SealedCardCode[] },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ batch_id: string; imported: number }> {
    const knex = this.knex_(ctx)
    const pool = await knex("card_pool").first("id", "kind").where({ id: input.pool_id }).whereNull("deleted_at")
    if (!pool) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card pool with id: ${input.pool_id} was not found`)
    }
    refuseReusable(pool)
    if (!input.codes.length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "An import needs at least one code")
    }
    const batchId = await insertCommittedBatch(knex, input, input.codes.length)
    const batchExpiry = input.expires_at ? new Date(input.expires_at) : null
    const reserveFor = input.reserve_for ?? null
    try {
      for (let i = 0; i < input.codes.length; i += INSERT_CHUNK) {
        await knex("card_code").insert(
          input.codes.slice(i, i + INSERT_CHUNK).map((c) => ({
            id: c.id,
            pool_id: input.pool_id,
            batch_id: batchId,
            status: reserveFor ? CardCodeStatus.RESERVED : CardCodeStatus.AVAILABLE,
            cart_id: reserveFor,
            reserved_at: reserveFor ? knex.fn.now() : null,
            key_version: c.key_version,
            ciphertext: c.ciphertext,
            blind_index: c.blind_index,
            mask: c.mask,
            has_password: c.has_password,
            expires_at: c.expires_at ?? batchExpiry,
            cost: c.cost ?? null,
            raw_cost: c.cost ? JSON.stringify({ value: c.cost, precision: 20 }) : null,
          }))
        )
      }
    } catch (e: unknown) {
      if (sqlStateOf(e) === "23505") {
        throw new MedusaError(
          MedusaError.Types.DUPLICATE_ERROR,
          "Import rejected, nothing stored: a code in this import is already in the vault (added concurrently)"
        )
      }
      throw e
    }
    await this.audit_(knex, {
      action: "import",
      actor: input.actor,
      pool_id: input.pool_id,
      batch_id: batchId,
      code_count: input.codes.length,
      details: { imported: input.codes.length, supplier: input.supplier ?? null },
    })
    if (reserveFor) {
      await this.audit_(knex, {
        action: "reserve",
        actor: input.actor,
        pool_id: input.pool_id,
        batch_id: batchId,
        cart_id: reserveFor,
        code_ids: input.codes.map((c) => c.id),
      })
    }
    return { batch_id: batchId, imported: input.codes.length }
  }

  /**
   * Compensation of an import: removes the batch and its codes, which must all still be in stock (or still reserved
   * for no order, for an import made for one sale).
   */
  @InjectTransactionManager()
  async revertImport(input: { batch_id: string }, @MedusaContext() ctx: Context = {}): Promise<void> {
    const knex = this.knex_(ctx)
    const batch = await knex("card_batch").first("id", "pool_id").where({ id: input.batch_id })
    if (!batch) return
    const busy = await knex("card_code")
      .count({ n: "*" })
      .where({ batch_id: input.batch_id })
      .whereNot((q) =>
        q.where("status", CardCodeStatus.AVAILABLE).orWhere((r) => r.where("status", CardCodeStatus.RESERVED).whereNull("order_id"))
      )
      .first()
    if (Number(busy?.n ?? 0) > 0) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Batch ${input.batch_id} cannot be reverted: some of its codes already left stock`
      )
    }
    await knex("card_code").where({ batch_id: input.batch_id }).delete()
    await knex("card_shared_code").where({ batch_id: input.batch_id }).delete()
    await knex("card_batch").where({ id: input.batch_id }).delete()
    await this.audit_(knex, {
      action: "import_reverted",
      actor: { type: "system" },
      pool_id: batch.pool_id,
      batch_id: input.batch_id,
    })
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Streaming imports and generation
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Opens an import (or a generation run) as a batch in status `importing`. Nothing of it is sellable until
   * `importStream` commits it. A file whose hash matches a committed batch, or one still being imported, is refused;
   * a batch whose importer died (its transaction's lock is free and it has not reported progress for a while) is
   * marked failed first, so the same file can be imported again after a crash.
   */
  @InjectManager()
  async startImportBatch(input: StartImportBatchInput, @MedusaContext() ctx: Context = {}
  ): Promise<{ batch_id: string }> {
    const knex = this.knex_(ctx)
    const pool = await knex("card_pool").first("id", "kind").where({ id: input.pool_id }).whereNull("deleted_at")
    if (!pool) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card pool with id: ${input.pool_id} was not found`)
    }
    refuseReusable(pool)
    if (input.file_hash) {
      const same = await knex("card_batch")
        .first("id", "pool_id", "status", "code_count", "created_at")
        .where({ file_hash: input.file_hash })
        .whereIn("status", ["importing", "committed"])
        .whereNull("deleted_at")
      if (same?.status === "importing" && !(await this.importRunning_(knex, same.id))) {
        // Its importer is gone (e.g. killed). Give a just-started importer the grace period to take its lock, then
        // close the batch so this file can be imported again.
        const { rows } = await knex.raw(
          `SELECT greatest(0, extract(epoch from (updated_at + make_interval(secs => ?) - now())))::float AS wait
             FROM card_batch WHERE id = ?`,
          [IMPORT_GRACE_SECONDS, same.id]
        )
        await new Promise((r) => setTimeout(r, Math.ceil((rows[0]?.wait ?? 0) * 1000) + 50))
        await this.failAbandonedImports({ batch_ids: [same.id], grace_seconds: IMPORT_GRACE_SECONDS }, ctx)
      }
      await this.refuseImportedFile_(knex, input.file_hash)
    }
    const batchId = generateEntityId(undefined, "cbatch")
    try {
      await knex("card_batch").insert({
        ...batchFields(batchId, input),
        file_name: input.file_name ? String(input.file_name).slice(0, 255) : null,
        source: input.source,
        mode: input.mode ?? "all_or_nothing",
        status: "importing",
        bytes_total: input.bytes_total ?? null,
        lines_total: input.lines_total ?? null,
        generator: input.generator ? JSON.stringify(input.generator) : null,
      })
    } catch (e: unknown) {
      // Another import of the same file started at the same moment: the unique index on the hash decided.
      if (sqlStateOf(e) === "23505" && input.file_hash) await this.refuseImportedFile_(knex, input.file_hash)
      throw e
    }
    return { batch_id: batchId }
  }

  /** Whether a batch's importer holds its transaction lock right now. */
  private async importRunning_(knex: Knex, batchId: string): Promise<boolean> {
    const { rows } = await knex.raw(
      `SELECT CASE WHEN pg_try_advisory_lock(hashtextextended(?, 0)) THEN NOT pg_advisory_unlock(hashtextextended(?, 0))
              ELSE true END AS running`,
      [importLockKey(batchId), importLockKey(batchId)]
    )
    return !!rows[0]?.running
  }

  private async refuseImportedFile_(knex: Knex, fileHash: string) {
    const same = await knex("card_batch")
      .first("id", "pool_id", "status", "code_count", "created_at")
      .where({ file_hash: fileHash })
      .whereIn("status", ["importing", "committed"])
      .whereNull("deleted_at")
    if (!same) return
    if (same.status === "committed") {
      throw new MedusaError(
        MedusaError.Types.DUPLICATE_ERROR,
        `This file was already imported: batch ${same.id} (pool ${same.pool_id}, ${same.code_count} codes, ` +
          `${new Date(same.created_at).toISOString()}). Nothing was imported.`
      )
    }
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      `This file is being imported right now as batch ${same.id}; follow its progress instead of starting it again.`
    )
  }

  /**
   * Streams lines into an `importing` batch inside one transaction: validates each line, rejects duplicates inside
   * the file and against the vault, seals the codes in chunks and writes them with one `COPY`. Progress (lines
   * read, codes written, lines rejected, bytes) and the rejected lines' report are written outside the transaction
   * so they can be read while it runs and survive a rejection. At the end the batch is committed together with its
   * codes, or — in `all_or_nothing` mode with bad lines, with no valid line, or on any error — rolled back, leaving
   * nothing but the batch's final state and report. With `target_count` (generation) it stops once that many codes
   * are written, skipping any that collide.
   */
  @InjectManager()
  async importStream(
    input: {
      batch_id: string
      lines: AsyncIterable<ImportLine>
      /** Bytes consumed so far by the reader of the source, for progress. */
      bytes?: { bytes: number }
      target_count?: number
      /**
       * Opens the source again from its start. With it, an all-or-nothing import skips the per-chunk lookup of codes
       * already in the vault and lets the unique index find them; only when it does is the file read a second time,
       * to write the report.
       */
      reopen?: () => { lines: AsyncIterable<ImportLine>; close: () => Promise<void> }
      actor: CardActor
    },
    @MedusaContext() ctx: Context = {}
  ): Promise<ImportOutcome> {
    const knex = this.knex_(ctx)
    const batch = await knex("card_batch").first("*").where({ id: input.batch_id })
    if (!batch || batch.status !== "importing") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Batch ${input.batch_id} is ${batch ? batch.status : "missing"}: only an importing batch can receive codes`
      )
    }
    const state = { lines_read: 0, code_count: 0, rejected_count: 0 }
    const progress = new ImportProgress(knex, batch.id, state, input.bytes)
    const conn = await knex.client.acquireConnection()
    let open = false
    try {
      await conn.query("BEGIN")
      open = true
      await conn.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [importLockKey(batch.id)])
      const optimistic = batch.mode === "all_or_nothing" && !!input.reopen && !input.target_count
      const work = { last: Promise.resolve() as Promise<unknown> }
      const rows = this.importRows_(knex, batch, { ...input, check_stored: !optimistic, work }, state, progress)
      try {
        await pipeline(Readable.from(rows), conn.query(copyFrom(`COPY card_code (${COPY_COLUMNS.join(", ")}) FROM STDIN`)))
      } catch (e: unknown) {
        if (!(optimistic && sqlStateOf(e) === "23505")) throw e
        // A code of the file is already in the vault: nothing is stored; read the file again for the full report
        // (once the chunks still being prepared have written their report lines, which the report pass replaces).
        await conn.query("ROLLBACK")
        open = false
        await work.last.catch(() => undefined)
        return await this.reportRejectedImport_(knex, batch, input.reopen!)
      }
      await progress.flush(true)

      const rejectAll = batch.mode === "all_or_nothing" && state.rejected_count > 0
      if (rejectAll || state.code_count === 0) {
        await conn.query("ROLLBACK")
        open = false
        const error = rejectAll
          ? `${state.rejected_count} of ${state.lines_read} lines are invalid; nothing was stored (download the report)`
          : state.lines_read === 0
            ? "The file holds no codes"
            : `None of the ${state.lines_read} lines is valid; nothing was stored (download the report)`
        await this.finishBatch_(knex, batch.id, { ...state, status: "rejected", error, code_count: 0 })
        return { batch_id: batch.id, status: "rejected", ...state, code_count: 0, error }
      }
      const { rowCount } = await conn.query(
        `UPDATE card_batch SET status = 'committed', code_count = $2, rejected_count = $3, lines_read = $4,
                lines_total = coalesce(lines_total, $4), bytes_read = coalesce(bytes_total, bytes_read), finished_at = clock_timestamp(), updated_at = clock_timestamp()
          WHERE id = $1 AND status = 'importing'`,
        [batch.id, state.code_count, state.rejected_count, state.lines_read]
      )
      if (rowCount !== 1) {
        throw new MedusaError(MedusaError.Types.CONFLICT, `Batch ${batch.id} was closed by someone else while it was importing`)
      }
      await conn.query(
        `INSERT INTO card_audit_log (id, action, actor_type, actor_id, ip, user_agent, pool_id, batch_id, code_count, details)
         VALUES ($1, 'import', $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          generateEntityId(undefined, "caudit"),
          ...auditActor(input.actor),
          batch.pool_id,
          batch.id,
          state.code_count,
          JSON.stringify({
            imported: state.code_count,
            rejected: state.rejected_count,
            lines: state.lines_read,
            source: batch.source,
            mode: batch.mode,
            supplier: batch.supplier,
          }),
        ]
      )
      await conn.query("COMMIT")
      open = false
      return { batch_id: batch.id, status: "committed", ...state, error: null }
    } catch (e: unknown) {
      if (open) await conn.query("ROLLBACK").catch(() => undefined)
      open = false
      const error = importFailureMessage(e)
      await this.finishBatch_(knex, batch.id, { ...state, status: "failed", error, code_count: 0 }).catch(() => undefined)
      if (e instanceof MedusaError) {
        throw new MedusaError(e.type, `Import of batch ${batch.id} failed, nothing was stored: ${e.message}`)
      }
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Import of batch ${batch.id} failed, nothing was stored: ${error}`)
    } finally {
      await knex.client.releaseConnection(conn)
    }
  }

  /**
   * The report of an all-or-nothing import that met a code already in the vault: every line is checked again (with
   * the lookup this time) and every rejected line recorded; the batch ends `rejected`, nothing stored.
   */
  private async reportRejectedImport_(
    knex: Knex,
    batch: ImportBatchRow,
    reopen: () => { lines: AsyncIterable<ImportLine>; close: () => Promise<void> }
  ): Promise<ImportOutcome> {
    await knex("card_import_error").where({ batch_id: batch.id }).delete()
    const state = { lines_read: 0, code_count: 0, rejected_count: 0 }
    const source = reopen()
    try {
      const progress = new ImportProgress(knex, batch.id, state)
      for await (const _text of this.importRows_(knex, batch, { lines: source.lines, check_stored: true }, state, progress)) {
        // A dry run: only the report is kept.
      }
      await progress.flush(true)
    } finally {
      await source.close()
    }
    if (!state.rejected_count) {
      const error = "a code of this file was being stored by another import at the same time; nothing was stored, run it again"
      await this.finishBatch_(knex, batch.id, { ...state, status: "failed", error, code_count: 0 })
      throw new MedusaError(MedusaError.Types.CONFLICT, error)
    }
    const error = `${state.rejected_count} of ${state.lines_read} lines are invalid; nothing was stored (download the report)`
    await this.finishBatch_(knex, batch.id, { ...state, status: "rejected", error, code_count: 0 })
    return { batch_id: batch.id, status: "rejected", ...state, code_count: 0, error }
  }

  /** Produces COPY text for the accepted lines of a batch, chunk by chunk, recording rejected lines. */
  private async *importRows_(
    knex: Knex,
    batch: ImportBatchRow,
    input: {
      lines: AsyncIterable<ImportLine>
      target_count?: number
      check_stored: boolean
      /** Set to the last chunk's work, so a caller can wait for chunks still in flight after a failure. */
      work?: { last: Promise<unknown> }
    },
    state: { lines_read: number; code_count: number; rejected_count: number },
    progress: ImportProgress
  ): AsyncGenerator<string> {
    const now = new Date()
    const batchExpiry: Date | null = batch.expires_at ? new Date(batch.expires_at) : null
    // First line of every code seen in this file.
    const seen = new FingerprintSet()
    const target = input.target_count ?? Infinity
    let chunk: ImportEntry[] = []
    let errors: ImportEntryError[] = []
    // Chunks are finished strictly in file order, each after the one before it.
    let previous: Promise<unknown> = Promise.resolve()

    /**
     * Seals a chunk and rejects in-file duplicates at once; looks up which codes the vault already holds (a query that
     * runs while the previous chunk is being copied); then, in order, writes the chunk's report lines and returns its
     * COPY text.
     */
    const submit = (): Promise<string> => {
      const sealed = this.keyring_.sealCodes(batch.pool_id, chunk)
      chunk = []
      const rejected = errors
      errors = []
      const fresh: SealedCardCode[] = []
      for (const code of sealed) {
        const first = seen.add(code.blind_index, code.line)
        if (first) rejected.push({ line: code.line, field: "code", message: `duplicates line ${first}` })
        else fresh.push(code)
      }
      // Codes committed by earlier imports (unless the unique index is left to find them, see `reopen`). A concurrent
      // import committing the same code makes the COPY fail on the unique index, and this import then stores nothing.
      const lookup = input.check_stored
        ? this.keyring_.findExistingBlindIndexes(fresh.map((f) => f.blind_index))
        : Promise.resolve(new Set<string>())
      lookup.catch(() => undefined) // awaited below, in order; this only keeps an early failure from going unhandled
      const finished = previous.then(async () => {
        const stored = await lookup
        let text = ""
        for (const code of fresh) {
          if (stored.has(code.blind_index)) {
            rejected.push({ line: code.line, field: "code", message: "is already in the vault" })
            continue
          }
          if (state.code_count >= target) break
          text += copyRow(batch, code, batchExpiry)
          state.code_count++
        }
        state.rejected_count += rejected.length
        if (rejected.length) await insertImportErrors(knex, batch.id, rejected)
        await progress.flush(false)
        return text
      })
      // Awaited in order by the caller; this keeps a chunk that fails while an earlier one is awaited from counting
      // as unhandled.
      finished.catch(() => undefined)
      previous = finished
      if (input.work) input.work.last = finished
      return finished
    }

    // One chunk is prepared while the one before it is copied. Generation (a target count) goes one chunk at a time,
    // so that it generates no more codes than it needs.
    const lookahead = !input.target_count
    let pending: Promise<string> | null = null
    for await (const item of input.lines) {
      state.lines_read++
      if (item.error) {
        errors.push(item.error)
      } else {
        const result = validateImportEntry(item.entry, item.line, now)
        if (result.errors) errors.push(...result.errors)
        else chunk.push(result.entry)
      }
      if (chunk.length + errors.length >= Math.min(IMPORT_CHUNK, target - state.code_count)) {
        const next = submit()
        if (pending) {
          const text = await pending
          if (text) yield text
        }
        pending = next
        if (!lookahead) {
          const text = await pending
          pending = null
          if (text) yield text
          if (state.code_count >= target) break
        }
      }
    }
    const last = submit()
    for (const p of [pending, last]) {
      const text = p ? await p : ""
      if (text) yield text
    }
  }

  private async finishBatch_(
    knex: Knex,
    batchId: string,
    result: { status: "rejected" | "failed"; lines_read: number; code_count: number; rejected_count: number; error: string }
  ) {
    await knex("card_batch")
      .where({ id: batchId, status: "importing" })
      .update({
        status: result.status,
        lines_read: result.lines_read,
        code_count: result.code_count,
        rejected_count: result.rejected_count,
        error: result.error.slice(0, 2000),
        finished_at: knex.fn.now(),
        updated_at: knex.fn.now(),
      })
  }

  /**
   * Marks `importing` batches whose importer is gone as failed: its transaction lock is free (the process or its
   * connection died, and PostgreSQL rolled its codes back) and it has not reported progress for `grace_seconds`.
   * Returns the batches it closed.
   */
  @InjectTransactionManager()
  async failAbandonedImports(
    input: { batch_ids?: string[]; grace_seconds?: number } = {},
    @MedusaContext() ctx: Context = {}
  ): Promise<string[]> {
    const knex = this.knex_(ctx)
    const q = knex("card_batch")
      .where("status", "importing")
      .where("updated_at", "<", knex.raw("now() - make_interval(secs => ?)", [input.grace_seconds ?? IMPORT_GRACE_SECONDS]))
      .whereRaw(`pg_try_advisory_xact_lock(hashtextextended('${importLockKey("")}' || id, 0))`)
      .update({
        status: "failed",
        error: "The import stopped before it finished (process or connection lost); nothing was stored. Run it again.",
        code_count: 0,
        finished_at: knex.fn.now(),
        updated_at: knex.fn.now(),
      })
      .returning("id")
    if (input.batch_ids) q.whereIn("id", input.batch_ids)
    return (await q).map((r: { id: string }) => r.id)
  }

  /** Marks an importing batch failed (its import could not start or was rolled back). */
  @InjectManager()
  async closeImportBatch(input: { batch_id: string; error: string }, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    await knex("card_batch")
      .where({ id: input.batch_id, status: "importing" })
      .update({ status: "failed", error: input.error.slice(0, 2000), finished_at: knex.fn.now(), updated_at: knex.fn.now() })
  }

  /** Rejected lines of a batch, by line. */
  @InjectManager()
  async listImportErrors(
    input: { batch_id: string; limit?: number; offset?: number },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ errors: ImportEntryError[]; count: number }> {
    const knex = this.knex_(ctx)
    const q = knex("card_import_error").where({ batch_id: input.batch_id }).whereNull("deleted_at")
    const [{ n }] = await q.clone().count({ n: "*" })
    const rows = await q
      .select("line", "field", "message")
      .orderBy([{ column: "line" }, { column: "id" }])
      .limit(input.limit ?? 100_000)
      .offset(input.offset ?? 0)
    return { errors: rows, count: Number(n) }
  }
}

