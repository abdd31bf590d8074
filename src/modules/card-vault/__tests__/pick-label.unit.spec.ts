import { isSafePickLabel, labelSearchPattern, pickLabel } from "../utils/pick-label"

describe("pickLabel", () => {
  it("shows the first and last characters and one * for each hidden one", () => {
    expect(pickLabel("13800005678", 3, 4)).toBe("138****5678")
    expect(pickLabel("ABCD-EFGH-IJKL", 4, 0)).toBe("ABCD**********")
    expect(pickLabel("ABCD-EFGH-IJKL", 0, 4)).toBe("**********IJKL")
    expect(pickLabel("ABCDEFGH", 0, 0)).toBe("********")
  })

  it("is the whole code when the rule shows as many characters as it has", () => {
    expect(pickLabel("123456", 3, 3)).toBe("123456")
    expect(pickLabel("123456", 5, 4)).toBe("123456")
  })

  it("counts characters, not UTF-16 units, and trims like stored codes", () => {
    expect(pickLabel("  卡密ABCDEF😀  ", 2, 1)).toBe("卡密******😀")
    expect(pickLabel("卡密ABCDEF😀", 2, 1)).toHaveLength(2 + 6 + 2)
  })

  it("treats negative or fractional counts as whole non-negative ones", () => {
    expect(pickLabel("ABCDEFGH", -1, 2.7)).toBe("******GH")
  })

  it("offers only codes that keep at least four characters hidden", () => {
    expect(isSafePickLabel("13800005678", 3, 4)).toBe(true)
    expect(isSafePickLabel("1380005678", 3, 4)).toBe(false)
    expect(isSafePickLabel("123456", 3, 3)).toBe(false)
  })

  it("escapes LIKE wildcards in a search", () => {
    expect(labelSearchPattern("56_8%")).toBe("%56\\_8\\%%")
    expect(labelSearchPattern("a\\b")).toBe("%a\\\\b%")
  })
})
