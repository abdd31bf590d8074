import { Readable } from "stream"
import { countBytes, formatOfFileName, ImportLine, readImportLines } from "../utils/import-file"

const read = async (text: string | Buffer, format: "txt" | "csv", chunkSize = 7) => {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text)
  const chunks: Buffer[] = []
  for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize))
  const out: ImportLine[] = []
  for await (const line of readImportLines(Readable.from(chunks), format)) out.push(line)
  return out
}

describe("readImportLines", () => {
  it("txt: one code per line, CRLF or LF, BOM and blank lines ignored, line numbers of the file", async () => {
    expect(await read("\uFEFFAAAA-1\r\n\r\n  BBBB-2  \nCCCC-3", "txt")).toEqual([
      { line: 1, entry: "AAAA-1" },
      { line: 3, entry: "  BBBB-2  " },
      { line: 4, entry: "CCCC-3" },
    ])
  })

  it("csv: header names the columns in any order and case, with aliases; quoted fields keep commas", async () => {
    const csv = 'PIN,Card,Expiry,cost\r\n"1,2",C-1,2030-01-01,1.5\r\n,C-2,,\r\n'
    expect(await read(csv, "csv")).toEqual([
      { line: 2, entry: { password: "1,2", code: "C-1", expires_at: "2030-01-01", cost: "1.5" } },
      { line: 3, entry: { password: "", code: "C-2", expires_at: "", cost: "" } },
    ])
  })

  it("csv: a row with the wrong number of fields is reported with its line", async () => {
    expect(await read("code,password\nA,1\nB\nC,3,4\n", "csv")).toEqual([
      { line: 2, entry: { code: "A", password: "1" } },
      { line: 3, error: { line: 3, field: "entry", message: "has 1 fields, the header has 2" } },
      { line: 4, error: { line: 4, field: "entry", message: "has 3 fields, the header has 2" } },
    ])
  })

  it("csv: a bad header or an unreadable file stops with a clear error that quotes no code", async () => {
    await expect(read("password\nx\n", "csv")).rejects.toThrow("Line 1: the header has no code column")
    await expect(read("code,code\nx,y\n", "csv")).rejects.toThrow("Line 1: column code appears twice in the header")
    await expect(read("code,serial\n", "csv")).rejects.toThrow(
      'Line 1: column 2 of the header is not one of code, password, expires_at, cost (is the header row missing?)'
    )
    await expect(read("", "csv")).rejects.toThrow("The CSV file is empty: it needs a header row with a code column")
    // A file without its header row: the first code is taken for a column name and must not be echoed.
    const headless = await read("SECRET-FIRST-CODE,1234\nNEXT,5678\n", "csv").catch((e) => e)
    expect(headless.message).toBe("Line 1: column 1 of the header is not one of code, password, expires_at, cost (is the header row missing?)")
    const err = await read('code\nA\n"SECRET-UNCLOSED\nB\n', "csv").catch((e) => e)
    expect(err.message).toMatch(/^The CSV file cannot be read at line \d: a quoted field is not closed$/)
    expect(err.message).not.toContain("SECRET")
  })

  it("counts the bytes that went through, without losing any before the reader starts", async () => {
    const text = Array.from({ length: 5000 }, (_, i) => `CODE-${i}`).join("\n")
    const counter = { bytes: 0 }
    const stream = countBytes(Readable.from([Buffer.from(text)]), counter)
    await new Promise((r) => setTimeout(r, 20))
    const lines: ImportLine[] = []
    for await (const l of readImportLines(stream, "txt")) lines.push(l)
    expect(lines).toHaveLength(5000)
    expect(counter.bytes).toBe(Buffer.byteLength(text))
  })

  it("picks the format from the file name", () => {
    expect(formatOfFileName("codes.CSV")).toBe("csv")
    expect(formatOfFileName("codes.txt")).toBe("txt")
    expect(formatOfFileName(undefined)).toBe("txt")
  })
})
