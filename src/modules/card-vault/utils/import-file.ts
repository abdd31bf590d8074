import { Readable, Transform } from "stream"
import { createInterface } from "readline"
import { parse } from "csv-parse"
import { MedusaError } from "@medusajs/framework/utils"
import type { ImportEntryError, ImportEntryInput } from "./import-entries"

export type ImportFileFormat = "txt" | "csv"

/** One line of an import file: what it says, or why it cannot be read. Never logged. */
export type ImportLine = { line: number; entry: ImportEntryInput; error?: undefined } | { line: number; entry?: undefined; error: ImportEntryError }

/** Columns a CSV file may have (header names are case-insensitive; aliases map to the same field). */
export const CSV_COLUMNS: Record<string, "code" | "password" | "expires_at" | "cost"> = {
  code: "code",
  card: "code",
  password: "password",
  pin: "password",
  expires_at: "expires_at",
  expiry: "expires_at",
  expires: "expires_at",
  cost: "cost",
}

export function formatOfFileName(name: string | null | undefined): ImportFileFormat {
  return /\.csv$/i.test(String(name ?? "")) ? "csv" : "txt"
}

/**
 * Passes a stream through unchanged, counting its bytes for progress. A transform (not a 'data' listener) so that no
 * data flows before the reader is attached.
 */
export function countBytes(stream: Readable, counter: { bytes: number }): Readable {
  const counting = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      counter.bytes += chunk.length
      cb(null, chunk)
    },
  })
  stream.on("error", (e) => counting.destroy(e))
  return stream.pipe(counting)
}

/**
 * Reads an import file line by line without holding it in memory.
 * - txt: one code per line; surrounding whitespace is trimmed, blank lines are skipped, a UTF-8 BOM is ignored.
 * - csv: a header row naming the columns (`code` required; `password`, `expires_at`, `cost` optional), then one
 *   code per row. Quoted fields follow RFC 4180. A row with a different number of fields than the header is
 *   reported; an unreadable file (e.g. an unclosed quote) stops the import with the line where reading failed.
 */
export async function* readImportLines(stream: Readable, format: ImportFileFormat): AsyncGenerator<ImportLine> {
  if (format === "txt") {
    const rl = createInterface({ input: stream, crlfDelay: Infinity })
    let line = 0
    for await (const text of rl) {
      line++
      const value = line === 1 ? text.replace(/^\uFEFF/, "") : text
      if (!value.trim()) continue
      yield { line, entry: value }
    }
    return
  }

  const parser = stream.pipe(
    parse({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true, trim: true })
  )
  let columns: ("code" | "password" | "expires_at" | "cost")[] | null = null
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines
      if (!columns) {
        columns = headerColumns(record, line)
        continue
      }
      if (record.length !== columns.length) {
        yield {
          line,
          error: { line, field: "entry", message: `has ${record.length} fields, the header has ${columns.length}` },
        }
        continue
      }
      const entry: Record<string, string> = {}
      columns.forEach((c, i) => (entry[c] = record[i]))
      yield { line, entry }
    }
  } catch (e: unknown) {
    if (e instanceof MedusaError) throw e
    // csv-parse errors quote the offending field: keep only the position and the kind of problem.
    const { lines, info, code } = (typeof e === "object" && e !== null ? e : {}) as CsvParseErrorFields
    const line = lines ?? info?.lines
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `The CSV file cannot be read${line ? ` at line ${line}` : ""}: ${csvProblem(code)}`
    )
  }
  if (!columns) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "The CSV file is empty: it needs a header row with a code column")
  }
}

function headerColumns(record: string[], line: number) {
  const seen = new Set<string>()
  const columns = record.map((name, i) => {
    const field = CSV_COLUMNS[name.trim().toLowerCase()]
    if (!field) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        // The name is not repeated: in a file without a header row it would be a code.
        `Line ${line}: column ${i + 1} of the header is not one of ${[...new Set(Object.values(CSV_COLUMNS))].join(", ")} (is the header row missing?)`
      )
    }
    if (seen.has(field)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Line ${line}: column ${field} appears twice in the header`)
    }
    seen.add(field)
    return field
  })
  if (!seen.has("code")) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Line ${line}: the header has no code column`)
  }
  return columns
}

/** What csv-parse's errors carry besides the message (which quotes the field, so is never shown). */
type CsvParseErrorFields = { lines?: number; info?: { lines?: number }; code?: string }

function csvProblem(code: string | undefined): string {
  switch (code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted field is not closed"
    case "CSV_INVALID_CLOSING_QUOTE":
      return "a quote closes a field in the middle of it"
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return "characters follow a closing quote"
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
      return "a row has a different number of fields"
    default:
      return code ? code.toLowerCase().replace(/^csv_/, "").replace(/_/g, " ") : "malformed CSV"
  }
}
