import { readdir, readFile } from "fs/promises"
import path from "path"

/** A checkpoint read back from its exported copy (see export-audit-checkpoint), named by its file. */
export type CheckpointCopy = { id: string; payload: string; signature: string }

/**
 * The checkpoints exported to `dir` (files `audit-checkpoint-*.json`), for verification next to the stored ones. A
 * file that is not a checkpoint is answered as one that cannot verify (so it is reported, not skipped). No directory:
 * none.
 */
export async function readExportedCheckpoints(dir: string | null | undefined): Promise<CheckpointCopy[]> {
  if (!dir) return []
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => /^audit-checkpoint-.*\.json$/.test(n)).sort()
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return []
    throw e
  }
  const copies: CheckpointCopy[] = []
  for (const name of names) {
    try {
      const parsed = JSON.parse(await readFile(path.join(dir, name), "utf8")) as Partial<CheckpointCopy>
      copies.push({ id: name, payload: String(parsed.payload ?? ""), signature: String(parsed.signature ?? "") })
    } catch {
      copies.push({ id: name, payload: "", signature: "" })
    }
  }
  return copies
}
