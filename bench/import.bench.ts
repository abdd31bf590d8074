import path from "path"
import os from "os"
import { createCipheriv, createHmac, randomBytes } from "crypto"
import { promises as fs } from "fs"
import { Readable } from "stream"
import { pipeline } from "stream/promises"
import { Pool } from "pg"
import { from as copyFrom } from "pg-copy-streams"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { CARD_VAULT_MODULE } from "../src/modules/card-vault"
import type CardVaultModuleService from "../src/modules/card-vault/service"
import { hashFile, openImportSource } from "../src/modules/card-vault/utils/import-sources"
import { alternate, fmt, goalText, log, peakRssMb, QUICK, ratio, rawPool, settle, SYSTEM, writeResult } from "./support"

jest.setTimeout(3_600_000)

const key = () => randomBytes(32).toString("base64")

type Timing = { codes: number; seconds: number; codes_per_second: number }

/**
 * Import: our import of a file of codes, end to end as the import command runs it (hash the file, open a batch, stream
 * it through `importStream`: read, validate, reject duplicates in the file and against the vault, seal with AES-GCM +
 * HMAC + mask, one COPY, commit with the batch), against the simplest honest fast path written by hand: generate codes,
 * AES-256-GCM with IVs cut from a bulk random buffer, HMAC-SHA256, one COPY into the same card_code table (another
 * pool) in one transaction through node-pg and pg-copy-streams. 1M codes per round (quick: 100k), alternating rounds.
 * Both sides write the same columns into the same table with all of its indexes; before each round the table is
 * vacuumed and checkpointed, so that no round pays for the previous one's autovacuum or dirty pages.
 */
moduleIntegrationTestRunner<CardVaultModuleService>({
  moduleName: CARD_VAULT_MODULE,
  dbName: process.env.BENCH_DB || "vg_bench_import",
  resolve: path.join(__dirname, "../src/modules/card-vault"),
  pathToMigrations: path.join(__dirname, "../src/modules/card-vault/migrations"),
  moduleOptions: { keys: { "1": key() }, blind_index_key: key() },
  testSuite: ({ service, MikroOrmWrapper }) => {
    let raw: Pool | undefined
    let tmp: string | undefined
    afterAll(async () => {
      await raw?.end()
      if (tmp) await fs.rm(tmp, { recursive: true, force: true })
    })

    it("import: ours vs raw generate + encrypt + COPY", async () => {
      const [{ db }] = (await MikroOrmWrapper.getManager().getConnection().execute("select current_database() as db")) as any[]
      raw = rawPool(db, 2)
      const n = Number(process.env.BENCH_IMPORT_CODES) || (QUICK ? 100_000 : 1_000_000)
      const rounds = Number(process.env.BENCH_IMPORT_ROUNDS) || 2
      tmp = await fs.mkdtemp(path.join(os.tmpdir(), "vg-bench-import-"))

      const rawRound = async (r: number): Promise<Timing> => {
        const pool = await service.createCardPools({ name: `raw import ${r}` })
        await settle(raw!)
        const client = await raw!.connect()
        const t0 = process.hrtime.bigint()
        try {
          await client.query("BEGIN")
          await pipeline(
            Readable.from(rawCopyText(pool.id, n, `r${r}`)),
            client.query(copyFrom(`COPY card_code (${COPY_COLUMNS}) FROM STDIN`))
          )
          await client.query("COMMIT")
        } catch (e) {
          await client.query("ROLLBACK").catch(() => undefined)
          throw e
        } finally {
          client.release()
        }
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9
        await expectCodes(pool.id, n, "raw")
        return timing(n, seconds)
      }

      const ourRound = async (r: number): Promise<Timing> => {
        // The file is written before the clock starts: ours is timed from reading it to the committed batch.
        const file = path.join(tmp!, `codes-${r}.txt`)
        await writeCodesFile(file, n, `OURS${r}`)
        const pool = await service.createCardPools({ name: `our import ${r}` })
        await settle(raw!)
        const t0 = process.hrtime.bigint()
        const { sha256, bytes } = await hashFile(file)
        const { batch_id } = await service.startImportBatch({
          pool_id: pool.id,
          source: "import",
          file_name: path.basename(file),
          file_hash: sha256,
          bytes_total: bytes,
          actor: SYSTEM,
        })
        const source = openImportSource({ type: "file", path: file })
        // As the import step calls it: able to reopen the file, so an all-or-nothing import leaves stored codes to
        // the unique index.
        const outcome = await service.importStream({
          batch_id,
          lines: source.lines,
          bytes: source.bytes,
          reopen: () => openImportSource({ type: "file", path: file }),
          actor: SYSTEM,
        })
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9
        await fs.rm(file, { force: true })
        if (outcome.status !== "committed" || outcome.code_count !== n || outcome.rejected_count !== 0) {
          throw new Error(`our import was not committed whole: ${outcome.status}, ${outcome.code_count} codes, ${outcome.rejected_count} rejected`)
        }
        await expectCodes(pool.id, n, "our")
        return timing(n, seconds)
      }

      const expectCodes = async (poolId: string, expected: number, side: string) => {
        const { rows } = await raw!.query(
          `select count(*)::int as n, count(distinct blind_index)::int as distinct_codes from card_code where pool_id = $1 and status = 'available'`,
          [poolId]
        )
        if (rows[0].n !== expected || rows[0].distinct_codes !== expected) {
          throw new Error(`${side} import: ${rows[0].n} codes (${rows[0].distinct_codes} distinct) stored, ${expected} expected`)
        }
      }

      const sides = await alternate<Timing>(
        rounds,
        async (r) => {
          const t = await rawRound(r)
          log(`import round ${r + 1}, raw: ${fmt(n)} codes in ${t.seconds} s = ${fmt(t.codes_per_second)} codes/s`)
          return t
        },
        async (r) => {
          const t = await ourRound(r)
          log(`import round ${r + 1}, ours: ${fmt(n)} codes in ${t.seconds} s = ${fmt(t.codes_per_second)} codes/s`)
          return t
        }
      )
      const total = (ts: Timing[]) => timing(ts.reduce((s, t) => s + t.codes, 0), ts.reduce((s, t) => s + t.seconds, 0))
      const base = total(sides.a)
      const ours = total(sides.b)
      const result = {
        area: "import",
        goal: "ours ≥ 0.8x raw codes/s",
        codes_per_round: n,
        rounds,
        raw: { ...base, rounds: sides.a },
        ours: { ...ours, rounds: sides.b },
        ratio: ratio(ours.codes_per_second, base.codes_per_second),
        peak_rss_mb_of_bench_process: peakRssMb(),
      }
      log(
        `import of ${fmt(n)} codes × ${rounds} rounds: raw ${fmt(base.codes_per_second)} codes/s, ours ${fmt(ours.codes_per_second)} codes/s: ` +
          `ratio ${result.ratio} (${goalText(result.ratio, 0.8)}); peak RSS of this process (jest, both sides) ${result.peak_rss_mb_of_bench_process} MB`
      )
      await writeResult(result)
    })
  },
})

const timing = (codes: number, seconds: number): Timing => ({
  codes,
  seconds: Math.round(seconds * 100) / 100,
  codes_per_second: Math.round(codes / seconds),
})

// The columns our import writes, in the same order.
const COPY_COLUMNS = "id, pool_id, batch_id, status, key_version, ciphertext, blind_index, mask, has_password, expires_at, cost, raw_cost"

/**
 * COPY text of the raw baseline, 2,000 rows per chunk: a code from bulk random bytes, AES-256-GCM (IV from the same
 * bulk buffer, the row bound by its AAD), HMAC-SHA256 blind index, a mask. Ids increase like ULIDs, so that the primary
 * key is appended to (random ids would split its pages all over and slow the baseline down for nothing).
 */
function* rawCopyText(poolId: string, n: number, tag: string): Generator<string> {
  const aesKey = randomBytes(32)
  const hmacKey = randomBytes(32)
  const batchId = `cbatch_raw_${tag}_${randomBytes(4).toString("hex")}`
  const idPrefix = `ccode_raw${tag}${Date.now().toString(36)}`
  const CHUNK = 2000
  let id = 0
  for (let done = 0; done < n; ) {
    const rows = Math.min(CHUNK, n - done)
    const random = randomBytes(rows * 20) // 8 bytes of code + 12 bytes of IV per row
    let text = ""
    for (let k = 0; k < rows; k++) {
      const code = `RAW-${random.toString("hex", k * 20, k * 20 + 8).toUpperCase()}`
      const iv = random.subarray(k * 20 + 8, k * 20 + 20)
      const rowId = `${idPrefix}${(id++).toString(36).padStart(8, "0")}`
      const cipher = createCipheriv("aes-256-gcm", aesKey, iv)
      cipher.setAAD(Buffer.from(`card_code|${rowId}|${poolId}`))
      const body = Buffer.concat([cipher.update(code, "utf8"), cipher.final()])
      const ciphertext = Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")
      const blindIndex = createHmac("sha256", hmacKey).update(code).digest("hex")
      text += `${rowId}\t${poolId}\t${batchId}\tavailable\t1\t${ciphertext}\t${blindIndex}\t****${code.slice(-4)}\tf\t\\N\t\\N\t\\N\n`
    }
    done += rows
    yield text
  }
}

/** A TXT file of `n` random codes (test codes of this benchmark; the file lives in the OS temp dir and is removed). */
async function writeCodesFile(file: string, n: number, tag: string) {
  const handle = await fs.open(file, "w", 0o600)
  try {
    for (let done = 0; done < n; ) {
      const rows = Math.min(10_000, n - done)
      const random = randomBytes(rows * 8)
      let chunk = ""
      for (let k = 0; k < rows; k++) chunk += `${tag}-${random.toString("hex", k * 8, k * 8 + 8).toUpperCase()}\n`
      await handle.write(chunk)
      done += rows
    }
  } finally {
    await handle.close()
  }
}
