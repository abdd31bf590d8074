import { createCipheriv, createDecipheriv, createHash, randomBytes } from "crypto"
import { createReadStream, promises as fs } from "fs"
import os from "os"
import path from "path"
import { Readable, Transform } from "stream"
import { pipeline } from "stream/promises"
import { MedusaError } from "@medusajs/framework/utils"
import { countBytes, formatOfFileName, ImportFileFormat, ImportLine, readImportLines } from "./import-file"
import { generateVoucherCodes, resolveVoucherFormat, VoucherFormat } from "./voucher-code"

/**
 * Where the lines of an import come from. Only references travel through workflows: a staged upload's id, a file
 * path on the server, or a generator's format — never codes.
 */
export type CardImportSource =
  | { type: "staged"; id: string; format: ImportFileFormat }
  | { type: "file"; path: string; format?: ImportFileFormat | null }
  | { type: "generate"; format: VoucherFormat; count: number }

const STAGING_DIR = path.join(os.tmpdir(), "medusa-virtual-goods-uploads")
const STALE_STAGED_MS = 24 * 3600_000

type Staged = { path: string; key: Buffer; iv: Buffer; bytes: number; sha256: string; file_name: string | null }

/**
 * Uploaded files wait here between the upload and the end of their import. They are encrypted on the way to disk
 * with a key that exists only in this process's memory (AES-256-CTR), so a plaintext code never rests on disk,
 * and a file left behind by a crash is unreadable noise. Files older than a day are removed.
 */
const staged = new Map<string, Staged>()

export async function stageUpload(
  source: Readable,
  fileName: string | null
): Promise<{ id: string; bytes: number; sha256: string; file_name: string | null }> {
  await fs.mkdir(STAGING_DIR, { recursive: true, mode: 0o700 })
  await removeStaleStagedFiles()
  const id = randomBytes(16).toString("hex")
  const key = randomBytes(32)
  const iv = randomBytes(16)
  const file = path.join(STAGING_DIR, `${id}.bin`)
  const hash = createHash("sha256")
  let bytes = 0
  const measure = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk)
      bytes += chunk.length
      cb(null, chunk)
    },
  })
  const handle = await fs.open(file, "wx", 0o600)
  try {
    await pipeline(source, measure, createCipheriv("aes-256-ctr", key, iv), handle.createWriteStream())
  } catch (e) {
    await fs.rm(file, { force: true })
    throw e
  }
  const entry: Staged = { path: file, key, iv, bytes, sha256: hash.digest("hex"), file_name: fileName }
  staged.set(id, entry)
  return { id, bytes, sha256: entry.sha256, file_name: fileName }
}

export async function discardStaged(id: string) {
  const entry = staged.get(id)
  staged.delete(id)
  if (entry) await fs.rm(entry.path, { force: true })
}

async function removeStaleStagedFiles() {
  const names = await fs.readdir(STAGING_DIR).catch(() => [] as string[])
  const cutoff = Date.now() - STALE_STAGED_MS
  for (const name of names) {
    const file = path.join(STAGING_DIR, name)
    const stat = await fs.stat(file).catch(() => null)
    if (stat && stat.mtimeMs < cutoff) await fs.rm(file, { force: true })
  }
}

/** SHA-256 and size of a file on disk, read as a stream. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256")
  let bytes = 0
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer)
    bytes += (chunk as Buffer).length
  }
  return { sha256: hash.digest("hex"), bytes }
}

/**
 * Opens a source as import lines, with a byte counter for progress. `target_count` is set for generation.
 */
export function openImportSource(source: CardImportSource): {
  lines: AsyncIterable<ImportLine>
  bytes?: { bytes: number }
  target_count?: number
  close: () => Promise<void>
} {
  if (source.type === "generate") {
    const format = resolveVoucherFormat(source.format)
    return { lines: generatedLines(format), target_count: source.count, close: async () => undefined }
  }
  const counter = { bytes: 0 }
  if (source.type === "staged") {
    const entry = staged.get(source.id)
    if (!entry) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        "The uploaded file is no longer available (the server restarted before its import ran); upload it again"
      )
    }
    const raw = createReadStream(entry.path)
    const plain = raw.pipe(createDecipheriv("aes-256-ctr", entry.key, entry.iv))
    raw.on("error", (e) => plain.destroy(e))
    return {
      lines: readImportLines(countBytes(plain, counter), source.format),
      bytes: counter,
      close: () => discardStaged(source.id),
    }
  }
  const stream = createReadStream(source.path)
  return {
    lines: readImportLines(countBytes(stream, counter), source.format ?? formatOfFileName(source.path)),
    bytes: counter,
    close: async () => void stream.destroy(),
  }
}

async function* generatedLines(format: ReturnType<typeof resolveVoucherFormat>): AsyncGenerator<ImportLine> {
  let line = 0
  for (const code of generateVoucherCodes(format)) {
    yield { line: ++line, entry: code }
  }
}
