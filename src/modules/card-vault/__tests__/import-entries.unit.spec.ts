import { validateImportEntries } from "../utils/import-entries"

describe("validateImportEntries", () => {
  const now = new Date("2026-11-21T00:00:00Z")

  it("accepts strings and objects, trimming codes and keeping line numbers", () => {
    const { entries, errors } = validateImportEntries(
      ["  AAAA-1111 ", { code: "BBBB-2222", password: "pw-1", expires_at: "2027-01-31" }],
      now
    )
    expect(errors).toEqual([])
    expect(entries).toEqual([
      { line: 1, code: "AAAA-1111", password: null, expires_at: null },
      { line: 2, code: "BBBB-2222", password: "pw-1", expires_at: new Date("2027-01-31") },
    ])
  })

  it("reports every bad entry by line and field, never echoing the code", () => {
    const secret = "SECRET-DUPLICATE-CODE"
    const { entries, errors } = validateImportEntries(
      [
        "GOOD-0001",
        "",
        { code: 42 } as any,
        "x".repeat(513),
        "BAD\u0007BELL",
        { code: "GOOD-0002", password: 7 } as any,
        { code: "GOOD-0003", expires_at: "not a date" },
        { code: "GOOD-0004", expires_at: "2020-01-01" },
        secret,
        ` ${secret}`,
        null as any,
      ],
      now
    )
    expect(entries.map((e) => e.line)).toEqual([1, 9])
    expect(errors).toEqual([
      { line: 2, field: "code", message: "is required" },
      { line: 3, field: "code", message: "is required" },
      { line: 4, field: "code", message: "is longer than 512 characters" },
      { line: 5, field: "code", message: "contains control characters" },
      { line: 6, field: "password", message: "must be a string" },
      { line: 7, field: "expires_at", message: "is not a valid date (use ISO 8601, e.g. 2027-01-31)" },
      { line: 8, field: "expires_at", message: "is in the past" },
      { line: 10, field: "code", message: "duplicates line 9" },
      { line: 11, field: "entry", message: "must be a string or an object with a code" },
    ])
    expect(JSON.stringify(errors)).not.toContain(secret)
  })
})
