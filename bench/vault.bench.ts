import { createCipheriv, createHmac, randomBytes } from "crypto"
import path from "path"
import { promises as fs } from "fs"
import os from "os"
import { Pool } from "pg"
import { from as copyFrom } from "pg-copy-streams"
import { Readable } from "stream"
import { pipeline } from "stream/promises"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { CARD_VAULT_MODULE } from "../src/modules/card-vault"
import CardVaultModuleService, { claimStatement } from "../src/modules/card-vault/service"
import { openImportSource } from "../src/lib/import-sources"
import { combine, concurrent, log, QUICK, ratio, Round, writeResult } from "./lib"

jest.setTimeout(3_600_000)

const key = () => randomBytes(32).toString("base64")
const encryptionKey = key()
const indexKey = key()
const SYSTEM = { type: "system" as const, id: "bench" }

/**
 * Card vault benchmarks against real PostgreSQL: claim (our reservation path vs one raw SQL statement), import (our
 * streaming import of a file vs a raw generate + encrypt + COPY loop) and growth (import and claim cost as pools grow
 * and empty). Each pair runs in the same process, alternating rounds.
 */
moduleIntegrationTestRunner<CardVaultModuleService>({
  moduleName: CARD_VAULT_MODULE,
  resolve: path.join(__dirname, "../src/modules/card-vault"),
  pathToMigrations: path.join(__dirname, "../src/modules/card-vault/migrations"),
  moduleOptions: { keys: { "1": encryptionKey }, blind_index_key: indexKey },
  testSuite: ({ service, MikroOrmWrapper }) => {
    const sql = async (query: string, params: unknown[] = []) =>
      (await MikroOrmWrapper.getManager().getConnection().execute(query, params)) as any[]
    let raw: Pool
    const results: Record<string, unknown> = {}

    // The runner prepares its database before each test (not before a beforeAll).
    beforeEach(async () => {
      if (raw) return
      const [{ db }] = await sql("select current_database() as db")
      // The same number of connections as the vault's own pool (knex's default, 10), so neither side queues more.
      raw = new Pool({
        host: process.env.DB_HOST,
        port: Number(process.env.DB_PORT ?? 5432),
        user: process.env.DB_USERNAME,
        password: process.env.DB_PASSWORD || undefined,
        database: db,
        max: 10,
      })
    })
    afterAll(async () => {
      await raw?.end()
    })

    /** Fills a pool through the vault's streaming import of generated codes; returns codes per second. */
    const fill = async (name: string, n: number) => {
      const pool = await service.createCardPools({ name })
      const t0 = Date.now()
      const { batch_id } = await service.startImportBatch({ pool_id: pool.id, source: "generated", mode: "skip_invalid", lines_total: n, actor: SYSTEM })
      const source = openImportSource({ type: "generate", format: {}, count: n })
      const outcome = await service.importStream({ batch_id, lines: source.lines, target_count: n, actor: SYSTEM })
      if (outcome.code_count !== n) throw new Error(`fill of ${name}: ${outcome.code_count} of ${n} codes`)
      return { pool_id: pool.id, rate: Math.round(n / ((Date.now() - t0) / 1000)) }
    }

    // The raw statement of ../shared/limits.md, in the same FIFO order as ours so that it uses the same partial index
    // (ordered by id alone, the planner may take the primary key and walk every claimed row first).
    const RAW_CLAIM = `WITH c AS (SELECT id FROM card_code WHERE pool_id = $1 AND status = 'available' AND deleted_at IS NULL
                         ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                       UPDATE card_code cc SET status = 'reserved', cart_id = $2, reserved_at = now(), updated_at = now()
                         FROM c WHERE cc.id = c.id RETURNING cc.id`

    const indexOfPlan = async (poolId: string) => {
      const [row] = await sql(`explain (format json) ${claimStatement("fifo")}`, [poolId, 1, "cart_plan"])
      const names = [...JSON.stringify(row["QUERY PLAN"]).matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1])
      return [...new Set(names)].join(", ") || "no index (sequential scan)"
    }

    /** Alternating rounds of raw and our claims on two pools of the same size; checks no code is claimed twice. */
    const claimPair = async (rawPool: string, ourPool: string, workers: number, perRound: number, rounds: number, tag: string) => {
      const rawRounds: Round[] = []
      const ourRounds: Round[] = []
      const claimed = new Set<string>()
      const keep = (id: string | undefined) => {
        if (!id) throw new Error("a claim found no code: the pool is too small for this benchmark")
        if (claimed.has(id)) throw new Error(`code ${id} claimed twice`)
        claimed.add(id)
      }
      for (let r = 0; r < rounds; r++) {
        rawRounds.push(
          await concurrent(workers, perRound, async (i) => {
            const { rows } = await raw.query(RAW_CLAIM, [rawPool, `raw_${tag}_${r}_${i}`])
            keep(rows[0]?.id)
          })
        )
        ourRounds.push(
          await concurrent(workers, perRound, async (i) => {
            const { reserved_code_ids } = await service.reserveForCart({
              cart_id: `cart_${tag}_${r}_${i}`,
              items: [{ pool_id: ourPool, quantity: 1 }],
              actor: SYSTEM,
            })
            keep(reserved_code_ids[0])
          })
        )
      }
      const base = combine(rawRounds)
      const ours = combine(ourRounds)
      return { workers, claims_per_side: base.ops, raw: base, ours, ratio: ratio(ours.per_second, base.per_second) }
    }

    it("claim and growth", async () => {
      const sizes = QUICK ? [10_000, 100_000] : [10_000, 1_000_000]
      const rounds = 3
      const claim: any[] = []
      const fills: Record<number, number[]> = {}
      for (const size of sizes) {
        const rawPool = await fill(`raw ${size}`, size)
        const ourPool = await fill(`ours ${size}`, size)
        fills[size] = [rawPool.rate, ourPool.rate]
        log(`pools of ${size}: filled at ${rawPool.rate} and ${ourPool.rate} codes/s`)
        await sql("analyze card_code")
        const plan = await indexOfPlan(ourPool.pool_id)
        // Keep each side under a third of its pool.
        const budget = Math.floor(size / 3 / rounds)
        for (const workers of [1, 16]) {
          const perRound = Math.min(workers === 1 ? (QUICK ? 300 : 1000) : QUICK ? 1000 : 4000, Math.floor(budget / 2))
          const r = await claimPair(rawPool.pool_id, ourPool.pool_id, workers, perRound, rounds, `${size}_${workers}`)
          log(`claim, pool ${size}, ${workers} worker(s): raw ${r.raw.per_second}/s, ours ${r.ours.per_second}/s, ratio ${r.ratio}`)
          claim.push({ pool_size: size, plan_index: plan, ...r })
        }
      }
      results.claim = { goal: "ours ≥ 0.7 × raw", rounds, rows: claim }

      // Growth: import cost per pool size, and the claim on a fresh pool vs one that is 90% sold.
      const mid = QUICK ? 20_000 : 100_000
      const fresh = await fill(`growth fresh ${mid}`, mid)
      const sold = await fill(`growth sold ${mid}`, mid)
      fills[mid] = [fresh.rate, sold.rate]
      await sql(
        `update card_code set status = 'delivered', cart_id = 'cart_sold', order_id = 'order_sold', delivered_at = now()
          where id in (select id from card_code where pool_id = ? order by id limit ?)`,
        [sold.pool_id, Math.floor(mid * 0.9)]
      )
      // Autovacuum (tuned by the migration to run after 2% of the table changed) would have cleaned up behind the sales;
      // a bulk update gives it no time, so vacuum here.
      await sql("vacuum analyze card_code")
      const freshPlan = await indexOfPlan(fresh.pool_id)
      const soldPlan = await indexOfPlan(sold.pool_id)
      const perRound = Math.floor((mid * 0.1) / 2)
      const freshOurs = await concurrent(16, perRound, (i) =>
        service.reserveForCart({ cart_id: `cart_gf_${i}`, items: [{ pool_id: fresh.pool_id, quantity: 1 }], actor: SYSTEM })
      )
      const soldOurs = await concurrent(16, perRound, (i) =>
        service.reserveForCart({ cart_id: `cart_gs_${i}`, items: [{ pool_id: sold.pool_id, quantity: 1 }], actor: SYSTEM })
      )
      const f = combine([freshOurs])
      const s = combine([soldOurs])
      results.growth = {
        import_rate_by_pool_size: Object.fromEntries(Object.entries(fills).map(([size, rates]) => [size, Math.round((rates[0] + rates[1]) / 2)])),
        claim_16_workers: {
          pool_size: mid,
          fresh: { ...f, plan_index: freshPlan },
          ninety_percent_sold: { ...s, plan_index: soldPlan },
          ratio_sold_vs_fresh: ratio(s.per_second, f.per_second),
        },
      }
      log(`claim (ours, 16 workers): fresh ${f.per_second}/s via ${freshPlan}; 90% sold ${s.per_second}/s via ${soldPlan}`)
      await writeResult("vault-claim", results)
    })

    it("import", async () => {
      const n = QUICK ? 100_000 : 1_000_000
      const rounds = 2
      const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "vg-bench-"))
      const rawRates: number[] = []
      const ourRates: number[] = []
      try {
        for (let r = 0; r < rounds; r++) {
          // Raw: generate, encrypt (AES-256-GCM, IVs from one bulk random buffer), HMAC, COPY — one connection.
          const rawPool = await service.createCardPools({ name: `raw import ${r}` })
          const client = await raw.connect()
          const t0 = Date.now()
          try {
            await client.query("BEGIN")
            await pipeline(Readable.from(rawRows(rawPool.id, n)), client.query(copyFrom(
              "COPY card_code (id, pool_id, batch_id, status, key_version, ciphertext, blind_index, mask) FROM STDIN"
            )))
            await client.query("COMMIT")
          } finally {
            client.release()
          }
          rawRates.push(Math.round(n / ((Date.now() - t0) / 1000)))

          // Ours: the whole import of a file of n codes, from reading the file to the committed batch.
          const file = path.join(tmp, `codes-${r}.txt`)
          await writeCodesFile(file, n, `OURS${r}`)
          const ourPool = await service.createCardPools({ name: `our import ${r}` })
          const t1 = Date.now()
          const { batch_id } = await service.startImportBatch({ pool_id: ourPool.id, source: "import", actor: SYSTEM })
          const source = openImportSource({ type: "file", path: file })
          const outcome = await service.importStream({ batch_id, lines: source.lines, bytes: source.bytes, actor: SYSTEM })
          if (outcome.status !== "committed" || outcome.code_count !== n) throw new Error(`import: ${JSON.stringify(outcome)}`)
          ourRates.push(Math.round(n / ((Date.now() - t1) / 1000)))
          log(`import round ${r + 1}: raw ${rawRates[r]} codes/s, ours ${ourRates[r]} codes/s`)
        }
      } finally {
        await fs.rm(tmp, { recursive: true, force: true })
      }
      const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length)
      results.import = {
        goal: "ours ≥ 0.8 × raw",
        codes_per_round: n,
        rounds,
        raw_codes_per_second: mean(rawRates),
        ours_codes_per_second: mean(ourRates),
        ratio: ratio(mean(ourRates), mean(rawRates)),
        raw_rounds: rawRates,
        ours_rounds: ourRates,
      }
      await writeResult("vault-import", results.import)
    })
  },
})

/** COPY rows of the raw baseline: random codes sealed the plain way, 5,000 rows per chunk. */
function* rawRows(poolId: string, n: number): Generator<string> {
  const aesKey = randomBytes(32)
  const hmacKey = randomBytes(32)
  const batchId = `cbatch_raw_${randomBytes(6).toString("hex")}`
  let ivs = Buffer.alloc(0)
  let at = 0
  for (let done = 0; done < n; ) {
    let chunk = ""
    for (let k = 0; k < 5000 && done < n; k++, done++) {
      if (at + 12 > ivs.length) {
        ivs = randomBytes(12 * 4096)
        at = 0
      }
      const iv = ivs.subarray(at, (at += 12))
      const code = `RAW-${randomBytes(8).toString("hex").toUpperCase()}`
      const id = `ccode_raw${randomBytes(10).toString("hex")}`
      const cipher = createCipheriv("aes-256-gcm", aesKey, iv)
      cipher.setAAD(Buffer.from(`card_code|${id}|${poolId}`))
      const body = Buffer.concat([cipher.update(code), cipher.final()])
      const ct = Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")
      const bi = createHmac("sha256", hmacKey).update(code).digest("hex")
      chunk += `${id}\t${poolId}\t${batchId}\tavailable\t1\t${ct}\t${bi}\t****${code.slice(-4)}\n`
    }
    yield chunk
  }
}

async function writeCodesFile(file: string, n: number, tag: string) {
  const handle = await fs.open(file, "w")
  try {
    for (let done = 0; done < n; ) {
      let chunk = ""
      for (let k = 0; k < 10_000 && done < n; k++, done++) chunk += `${tag}-${randomBytes(8).toString("hex").toUpperCase()}\n`
      await handle.write(chunk)
    }
  } finally {
    await handle.close()
  }
}
