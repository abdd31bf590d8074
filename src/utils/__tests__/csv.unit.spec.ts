import { csvCell } from "../csv"

describe("csvCell", () => {
  it("quotes what needs quoting and neutralises formulas, leaving numbers alone", () => {
    expect(csvCell("duplicates line 3")).toBe("duplicates line 3")
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"')
    expect(csvCell("two\nlines")).toBe('"two\nlines"')
    expect(csvCell(null)).toBe("")
    expect(csvCell("-136.5")).toBe("-136.5")
    expect(csvCell(-5)).toBe("-5")
    expect(csvCell("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"")
    expect(csvCell("+1+1")).toBe("'+1+1")
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)")
    expect(csvCell("-2+3")).toBe("'-2+3")
  })
})
