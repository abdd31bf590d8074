import { spawn } from "child_process"
import { randomBytes } from "crypto"
import { promises as fs } from "fs"
import os from "os"
import path from "path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { assertVaultInvariants, poolCounts, waitFor } from "../helpers"
import { useAdmin } from "../helpers/fixtures"
import { CodeCipher, codeAad, maskCode } from "../../src/modules/card-vault/utils/crypto"
import { isValidVoucherCode, resolveVoucherFormat } from "../../src/modules/card-vault/utils/voucher-code"

jest.setTimeout(240_000)

const ROOT = path.resolve(__dirname, "..", "..")
const uniq = () => randomBytes(5).toString("hex").toUpperCase()

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const admin = useAdmin({ api, getContainer })

    const createPool = async (name = "Pool") =>
      (await api.post("/admin/virtual-goods/pools", { name }, admin)).data.card_pool as { id: string }

    const upload = (poolId: string, name: string, content: string | Buffer, fields: Record<string, string> = {}) => {
      const form = new FormData()
      for (const [k, v] of Object.entries(fields)) form.append(k, v)
      form.append("file", new Blob([content]), name)
      return api.post(`/admin/virtual-goods/pools/${poolId}/import-files`, form, admin)
    }

    const finished = (batchId: string, timeoutMs = 60_000) =>
      waitFor(async () => {
        const { data } = await api.get(`/admin/virtual-goods/batches/${batchId}`, admin)
        return data.card_batch.status !== "importing" ? data.card_batch : null
      }, timeoutMs)

    const errorsOf = async (batchId: string) =>
      (await api.get(`/admin/virtual-goods/batches/${batchId}/errors?limit=1000`, admin)).data

    // One file with every kind of bad line; line numbers are the file's own (blank lines count).
    const badFile = (tag: string) => {
      const lines = [
        `GOOD-${tag}-0001`, // 1
        `GOOD-${tag}-0002`, // 2
        "", // 3: blank, skipped
        `GOOD-${tag}-0001`, // 4: duplicate of line 1
        "X".repeat(513), // 5: too long
        `BAD\u0007${tag}`, // 6: control character
        `GOOD-${tag}-0003`, // 7
      ]
      return lines.join("\n") + "\n"
    }

    it("keeps a batch's cost as the exact decimal it was given, from JSON or a form, and names a bad one", async () => {
      const pool = await createPool("Exact costs")
      const tag = uniq()
      const json = await api.post(`/admin/virtual-goods/pools/${pool.id}/imports`, { codes: [`COST-${tag}-1`], cost_per_code: "0.1234567891" }, admin)
      const form = await upload(pool.id, "codes.txt", `COST-${tag}-2\n`, { cost_per_code: "12345678901234.5678" })
      await finished(form.data.card_batch.id)
      const { rows } = await dbConnection.raw(`select cost_per_code::text as cost from card_batch where id in (?, ?) order by created_at`, [
        json.data.card_batch.id,
        form.data.card_batch.id,
      ])
      // Through a JavaScript float these would have lost digits (0.1234567891 survives, 12345678901234.5678 does not).
      expect(rows).toEqual([{ cost: "0.1234567891" }, { cost: "12345678901234.5678" }])
      for (const bad of ["-1", "2,50", "1e3", "abc"]) {
        const res = await api.post(`/admin/virtual-goods/pools/${pool.id}/imports`, { codes: [`COST-${tag}-3`], cost_per_code: bad }, admin).catch((e) => e.response)
        expect([res.status, res.data.message]).toEqual([400, expect.stringContaining("cost_per_code must be a non-negative decimal amount, e.g. 2.5")])
      }
      expect(await poolCounts(dbConnection, pool.id)).toEqual(expect.objectContaining({ available: 2 }))
    })

    describe("POST /admin/virtual-goods/pools/:id/import-files", () => {
      it("all or nothing: a file with bad lines is rejected with a per-line report and stores nothing", async () => {
        const pool = await createPool()
        const tag = uniq()
        const res = await upload(pool.id, "codes.txt", badFile(tag))
        expect(res.status).toBe(202)
        expect(res.data.card_batch).toEqual(
          expect.objectContaining({ status: "importing", mode: "all_or_nothing", file_name: "codes.txt", source: "import" })
        )
        const batch = await finished(res.data.card_batch.id)
        expect(batch).toEqual(
          expect.objectContaining({
            status: "rejected",
            code_count: 0,
            rejected_count: 3,
            lines_read: 6,
            error: "3 of 6 lines are invalid; nothing was stored (download the report)",
            progress: expect.objectContaining({ percent: 100 }),
          })
        )
        expect((await errorsOf(batch.id)).errors).toEqual([
          { line: 4, field: "code", message: "duplicates line 1" },
          { line: 5, field: "code", message: "is longer than 512 characters" },
          { line: 6, field: "code", message: "contains control characters" },
        ])
        const report = await api.get(`/admin/virtual-goods/batches/${batch.id}/report`, admin)
        expect(report.headers["content-type"]).toMatch(/^text\/csv/)
        expect(report.headers["content-disposition"]).toBe(`attachment; filename="${batch.id}-report.csv"`)
        expect(report.data).toBe(
          "line,field,message\n4,code,duplicates line 1\n5,code,is longer than 512 characters\n6,code,contains control characters\n"
        )
        expect(report.data).not.toContain(tag)
        expect(await poolCounts(dbConnection, pool.id)).toEqual(expect.objectContaining({ available: 0 }))
        await assertVaultInvariants(dbConnection, pool.id, 0)

        // A rejected file can be fixed and sent again; the same bytes too (nothing of it was stored).
        const again = await upload(pool.id, "codes.txt", badFile(tag), { mode: "skip_invalid" })
        const second = await finished(again.data.card_batch.id)
        expect(second).toEqual(expect.objectContaining({ status: "committed", code_count: 3, rejected_count: 3 }))
      })

      it("skip invalid: the valid lines are imported, bad and already stored ones reported; the same file twice is refused", async () => {
        const pool = await createPool()
        const tag = uniq()
        await api.post(`/admin/virtual-goods/pools/${pool.id}/imports`, { codes: [`GOOD-${tag}-0003`] }, admin)
        const content = badFile(tag)
        const res = await upload(pool.id, "codes.txt", content, {
          mode: "skip_invalid",
          supplier: "Shenzhen Cards",
          cost_per_code: "2.5",
          currency_code: "CNY",
        })
        const batch = await finished(res.data.card_batch.id)
        expect(batch).toEqual(
          expect.objectContaining({
            status: "committed",
            code_count: 2,
            rejected_count: 4,
            lines_read: 6,
            lines_total: 6,
            supplier: "Shenzhen Cards",
            currency_code: "cny",
            bytes_total: Buffer.byteLength(content),
            bytes_read: Buffer.byteLength(content),
          })
        )
        expect((await errorsOf(batch.id)).errors).toEqual([
          { line: 4, field: "code", message: "duplicates line 1" },
          { line: 5, field: "code", message: "is longer than 512 characters" },
          { line: 6, field: "code", message: "contains control characters" },
          { line: 7, field: "code", message: "is already in the vault" },
        ])
        expect(await poolCounts(dbConnection, pool.id)).toEqual(expect.objectContaining({ available: 3 }))
        const { data: found } = await api.post(`/admin/virtual-goods/codes/search`, { code: `GOOD-${tag}-0002`, pool_id: pool.id }, admin)
        expect(found.card_codes).toEqual([expect.objectContaining({ batch_id: batch.id, status: "available", mask: "****0002" })])
        await assertVaultInvariants(dbConnection, pool.id, 3)

        const twice = await upload(pool.id, "renamed.txt", content, { mode: "skip_invalid" }).catch((e) => e)
        expect(twice.response.status).toBe(422)
        expect(twice.response.data.message).toBe(
          `This file was already imported: batch ${batch.id} (pool ${pool.id}, 2 codes, ${batch.created_at}). Nothing was imported.`
        )
        const { data: batches } = await api.get(`/admin/virtual-goods/pools/${pool.id}/batches`, admin)
        expect(batches.count).toBe(2)
      })

      it("all or nothing: a code already in the vault rejects the file, and the report still covers every line", async () => {
        const pool = await createPool()
        const tag = uniq()
        await api.post(`/admin/virtual-goods/pools/${pool.id}/imports`, { codes: [`STORED-${tag}`] }, admin)
        // Large enough to span several chunks: the stored code sits in the middle, bad lines before and after it.
        const lines = Array.from({ length: 9000 }, (_, i) => `MANY-${tag}-${i}`)
        lines[10] = `BAD\u0007${tag}`
        lines[4500] = `STORED-${tag}`
        lines[8000] = `MANY-${tag}-7`
        const res = await upload(pool.id, "codes.txt", lines.join("\n"))
        const batch = await finished(res.data.card_batch.id)
        expect(batch).toEqual(
          expect.objectContaining({
            status: "rejected",
            code_count: 0,
            rejected_count: 3,
            lines_read: 9000,
            error: "3 of 9000 lines are invalid; nothing was stored (download the report)",
          })
        )
        expect((await errorsOf(batch.id)).errors).toEqual([
          { line: 11, field: "code", message: "contains control characters" },
          { line: 4501, field: "code", message: "is already in the vault" },
          { line: 8001, field: "code", message: "duplicates line 8" },
        ])
        expect(await poolCounts(dbConnection, pool.id)).toEqual(expect.objectContaining({ available: 1 }))
        await assertVaultInvariants(dbConnection, pool.id, 1)
      })

      it("CSV with password, expiry and cost columns; quoted fields; a short row is reported", async () => {
        const pool = await createPool()
        const tag = uniq()
        const csv = [
          "Code,Password,Expires_At,Cost",
          `CARD-${tag}-1,"84,41",2030-01-31,1.25`,
          `"CARD-${tag}-2",,,`,
          `CARD-${tag}-3,pw`,
          `CARD-${tag}-4,pw,2020-01-01,1`,
          `CARD-${tag}-5,pw,2030-01-01,-3`,
          `CARD-${tag}-6,pw,31/02/2030,1`,
        ].join("\r\n")
        const res = await upload(pool.id, "codes.csv", csv, { mode: "skip_invalid", cost_per_code: "2" })
        const batch = await finished(res.data.card_batch.id)
        expect(batch).toEqual(expect.objectContaining({ status: "committed", code_count: 2, rejected_count: 4, lines_read: 6 }))
        expect((await errorsOf(batch.id)).errors).toEqual([
          { line: 4, field: "entry", message: "has 2 fields, the header has 4" },
          { line: 5, field: "expires_at", message: "is in the past" },
          { line: 6, field: "cost", message: "is not a valid amount (a non-negative decimal such as 21.50)" },
          { line: 7, field: "expires_at", message: "is not a valid date (use ISO 8601, e.g. 2027-01-31)" },
        ])
        const { rows } = await dbConnection.raw(
          `select mask, has_password, expires_at, cost::text as cost from card_code where batch_id = ? order by id`,
          [batch.id]
        )
        expect(rows).toEqual([
          { mask: maskCode(`CARD-${tag}-1`), has_password: true, expires_at: new Date("2030-01-31T00:00:00Z"), cost: "1.25" },
          { mask: maskCode(`CARD-${tag}-2`), has_password: false, expires_at: null, cost: null },
        ])
      })

      it("an unreadable CSV fails with the line where reading stopped and stores nothing", async () => {
        const pool = await createPool()
        const res = await upload(pool.id, "codes.csv", `code\nOK-${uniq()}\n"UNCLOSED-${uniq()}\nNEXT\n`, { mode: "skip_invalid" })
        const batch = await finished(res.data.card_batch.id)
        expect(batch.status).toBe("failed")
        expect(batch.error).toMatch(/^The CSV file cannot be read at line \d+: a quoted field is not closed$/)
        expect(batch.code_count).toBe(0)
        expect(await poolCounts(dbConnection, pool.id)).toEqual(expect.objectContaining({ available: 0 }))

        const header = await upload(pool.id, "other.csv", `code,serial\nA-${uniq()},1\n`)
        const refused = await finished(header.data.card_batch.id)
        expect(refused.error).toBe(
          'Line 1: column 2 of the header is not one of code, password, expires_at, cost (is the header row missing?)'
        )
      })

      it("refuses a request without a file, a non-multipart body and bad fields", async () => {
        const pool = await createPool()
        const form = new FormData()
        form.append("mode", "skip_invalid")
        const noFile = await api.post(`/admin/virtual-goods/pools/${pool.id}/import-files`, form, admin).catch((e: any) => e)
        expect(noFile.response.status).toBe(400)
        expect(noFile.response.data.message).toBe('A file is required: send it as the multipart field "file"')

        const json = await api.post(`/admin/virtual-goods/pools/${pool.id}/import-files`, { codes: ["A"] }, admin).catch((e: any) => e)
        expect(json.response.status).toBe(400)
        expect(json.response.data.message).toBe('Send the import as multipart/form-data with the file in the field "file"')

        const mode = await upload(pool.id, "a.txt", "A\n", { mode: "some" }).catch((e: any) => e)
        expect(mode.response.status).toBe(400)
        expect(mode.response.data.message).toMatch(/mode/)

        const missing = await upload("cpool_missing", "a.txt", `A-${uniq()}\n`).catch((e: any) => e)
        expect(missing.response.status).toBe(404)
        const { rows } = await dbConnection.raw(`select count(*)::int as n from card_batch`)
        expect(rows[0].n).toBe(0)
      })

      it("a large file: progress is readable while it runs and none of its codes is visible before the commit", async () => {
        const pool = await createPool()
        const n = 60_000
        const content = Array.from({ length: n }, (_, i) => `BIG-${i}-${randomBytes(6).toString("hex")}`).join("\n")
        const res = await upload(pool.id, "big.txt", content)
        const seenWhileImporting = await waitFor(async () => {
          const { data } = await api.get(`/admin/virtual-goods/batches/${res.data.card_batch.id}`, admin)
          const b = data.card_batch
          if (b.status === "importing" && b.lines_read > 0) {
            const visible = await poolCounts(dbConnection, pool.id)
            return { batch: b, visible }
          }
          if (b.status !== "importing") throw new Error(`finished before progress could be seen: ${b.status}`)
          return null
        }, 60_000)
        expect(seenWhileImporting.visible.available).toBe(0)
        expect(seenWhileImporting.batch.progress.percent).toBeGreaterThanOrEqual(0)
        expect(seenWhileImporting.batch.progress.percent).toBeLessThan(100)
        const batch = await finished(res.data.card_batch.id)
        expect(batch).toEqual(expect.objectContaining({ status: "committed", code_count: n, lines_read: n, rejected_count: 0 }))
        await assertVaultInvariants(dbConnection, pool.id, n)
      })
    })

    describe("POST /admin/virtual-goods/pools/:id/generate", () => {
      it("generates vouchers with a valid check character and refuses guessable formats with the arithmetic", async () => {
        const pool = await createPool()
        const res = await api.post(
          `/admin/virtual-goods/pools/${pool.id}/generate`,
          { count: 500, prefix: "GIFT-", length: 16, group_size: 4, separator: "-" },
          admin
        )
        expect(res.status).toBe(202)
        const batch = await finished(res.data.card_batch.id)
        expect(batch).toEqual(
          expect.objectContaining({
            status: "committed",
            source: "generated",
            code_count: 500,
            lines_total: 500,
            generator: { prefix: "GIFT-", length: 16, group_size: 4, separator: "-", bits: 80 },
          })
        )
        await assertVaultInvariants(dbConnection, pool.id, 500)
        const { rows } = await dbConnection.raw(`select id from card_code where batch_id = ? limit 3`, [batch.id])
        const vault: any = getContainer().resolve("card_vault")
        await dbConnection.raw(`update card_code set status = 'reserved', cart_id = 'cart_x' where id = any(?)`, [rows.map((r: any) => r.id)])
        await dbConnection.raw(
          `update card_code set status = 'delivered', order_id = 'order_x' where id = any(?)`,
          [rows.map((r: any) => r.id)]
        )
        const revealed = await vault.revealCodes({ code_ids: rows.map((r: any) => r.id), actor: { type: "system" } })
        const format = resolveVoucherFormat({ prefix: "GIFT-", length: 16, group_size: 4, separator: "-" })
        for (const c of revealed) {
          expect(c.code).toMatch(/^GIFT-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}-[0-9A-HJKMNP-TV-Z]$/)
          expect(isValidVoucherCode(c.code, format)).toBe(true)
        }

        const weak = await api
          .post(`/admin/virtual-goods/pools/${pool.id}/generate`, { count: 10, length: 12 }, admin)
          .catch((e: any) => e)
        expect(weak.response.status).toBe(400)
        expect(weak.response.data.message).toBe(
          "Too guessable: 12 random characters × 5 bits = 60 bits, below the minimum of 64 bits. Use a length of at least 13 (13 × 5 = 65 bits); the default 16 gives 80."
        )
        const tooMany = await api
          .post(`/admin/virtual-goods/pools/${pool.id}/generate`, { count: 1_000_001 }, admin)
          .catch((e: any) => e)
        expect(tooMany.response.status).toBe(400)
        const { data } = await api.get(`/admin/virtual-goods/pools/${pool.id}/batches`, admin)
        expect(data.count).toBe(1)
      })
    })

    describe("commands", () => {
      let dbName = ""
      beforeEach(async () => {
        dbName = (await dbConnection.raw("select current_database() as db")).rows[0].db
      })
      const runCli = (args: string[], script = "import-codes", env: Record<string, string> = {}) =>
        spawn("npx", ["medusa", "exec", `./src/scripts/${script}.ts`, ...args], {
          cwd: ROOT,
          env: {
            ...process.env,
            ...env,
            DATABASE_URL: `postgres://${process.env.DB_USERNAME}${process.env.DB_PASSWORD ? `:${process.env.DB_PASSWORD}` : ""}@${process.env.DB_HOST}:${process.env.DB_PORT ?? 5432}/${dbName}`,
            LOG_LEVEL: "info",
          },
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        })
      const collect = (child: ReturnType<typeof runCli>) => {
        let out = ""
        let exited = false
        child.stdout!.on("data", (d) => (out += d))
        child.stderr!.on("data", (d) => (out += d))
        const done = new Promise<number | null>((resolve) =>
          child.on("exit", (code) => {
            exited = true
            resolve(code)
          })
        )
        return { output: () => out, done, exited: () => exited }
      }

      it("killed halfway, the import leaves nothing visible; run again, it imports the file exactly once", async () => {
        const pool = await createPool("CLI pool")
        const n = 150_000
        const file = path.join(os.tmpdir(), `vg-import-${uniq()}.txt`)
        await fs.writeFile(file, Array.from({ length: n }, (_, i) => `CLI-${i}-${randomBytes(6).toString("hex")}`).join("\n") + "\n")
        try {
          const first = runCli([pool.id, file])
          const firstRun = collect(first)
          const batchId = await waitFor(async () => {
            const { rows } = await dbConnection.raw(
              `select id, lines_read from card_batch where pool_id = ? and status = 'importing'`,
              [pool.id]
            )
            if (firstRun.exited()) throw new Error("the import command exited before it could be killed")
            return rows[0]?.lines_read >= 20_000 ? (rows[0].id as string) : null
          }, 120_000).catch((e) => {
            throw new Error(`${e.message}; import command output:\n${firstRun.output()}`)
          })
          process.kill(-first.pid!, "SIGKILL")
          await firstRun.done
          expect(await poolCounts(dbConnection, pool.id)).toEqual(expect.objectContaining({ available: 0 }))
          const { rows: orphans } = await dbConnection.raw(`select count(*)::int as n from card_code where batch_id = ?`, [batchId])
          expect(orphans[0].n).toBe(0)

          const second = collect(runCli([pool.id, file]))
          const code = await second.done
          expect(second.output()).toContain("committed: 150000 codes imported from 150000 lines, 0 rejected")
          expect(code).toBe(0)
          const { rows: batches } = await dbConnection.raw(
            `select id, status, code_count, error from card_batch where pool_id = ? order by created_at`,
            [pool.id]
          )
          expect(batches).toEqual([
            {
              id: batchId,
              status: "failed",
              code_count: 0,
              error: "The import stopped before it finished (process or connection lost); nothing was stored. Run it again.",
            },
            expect.objectContaining({ status: "committed", code_count: n }),
          ])
          await assertVaultInvariants(dbConnection, pool.id, n)

          const third = collect(runCli([pool.id, file]))
          expect(await third.done).not.toBe(0)
          expect(third.output()).toContain(`This file was already imported: batch ${batches[1].id}`)
        } finally {
          await fs.rm(file, { force: true })
        }
      })

      it("rotate-keys re-encrypts every code under the new primary key, and reports it", async () => {
        const pool = await createPool("Rotation pool")
        const codes = Array.from({ length: 30 }, (_, i) => `ROTATE-${i}-${uniq()}`)
        await api.post(`/admin/virtual-goods/pools/${pool.id}/imports`, { codes }, admin)
        const oldKeys = process.env.VIRTUAL_GOODS_ENCRYPTION_KEYS!
        const newKey = randomBytes(32).toString("base64")
        const run = collect(
          runCli(["batch-size=7"], "rotate-keys", {
            VIRTUAL_GOODS_ENCRYPTION_KEYS: `${oldKeys},2:${newKey}`,
            VIRTUAL_GOODS_PRIMARY_KEY_VERSION: "2",
          })
        )
        expect(await run.done).toBe(0)
        expect(run.output()).toContain("Primary key version 2; codes per key version: 1: 30, 2: 0")
        expect(run.output()).toContain("Re-encrypted 30 codes under key version 2; 0 remaining")
        expect(run.output()).toContain("Key version(s) 1 no longer seal any code and can be removed from the keyring.")
        const { rows } = await dbConnection.raw(`select id, pool_id, key_version, ciphertext from card_code where pool_id = ?`, [pool.id])
        const onlyNewKey = new CodeCipher({ keys: { "2": newKey }, blind_index_key: process.env.VIRTUAL_GOODS_BLIND_INDEX_KEY! })
        expect(rows.map((r: any) => onlyNewKey.decrypt(r, codeAad(r.id, r.pool_id)).code).sort()).toEqual([...codes].sort())
        const { rows: audit } = await dbConnection.raw(`select actor_id, code_count from card_audit_log where action = 'key_rotation'`)
        expect(audit).toEqual([{ actor_id: "cli:rotate-keys", code_count: 30 }])
      })
    })
  },
})
