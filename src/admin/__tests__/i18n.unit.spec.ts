import fs from "fs"
import path from "path"
import en from "../i18n/json/en.json"
import zhCN from "../i18n/json/zhCN.json"

const keysOf = (o: object, prefix = ""): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" ? keysOf(v, `${prefix}${k}.`) : [`${prefix}${k}`]))

const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return e.name === "__tests__" ? [] : sources(full)
    return /\.tsx?$/.test(e.name) ? [full] : []
  })

describe("admin labels", () => {
  it("English and Chinese have the same keys", () => {
    const a = keysOf(en).sort()
    const b = keysOf(zhCN).sort()
    expect(a.filter((k) => !b.includes(k))).toEqual([])
    expect(b.filter((k) => !a.includes(k))).toEqual([])
  })

  it("every label a page names in full exists (or the group a page picks a label from)", () => {
    const leaves = keysOf(en)
    const known = new Set([...leaves, ...leaves.flatMap((k) => k.split(".").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join(".")))])
    const missing: string[] = []
    for (const file of sources(path.join(__dirname, ".."))) {
      const text = fs.readFileSync(file, "utf8")
      for (const m of text.matchAll(/["'`](virtualGoods\.[A-Za-z0-9_.]+)["'`]/g)) {
        if (!known.has(m[1])) missing.push(`${path.basename(file)}: ${m[1]}`)
      }
    }
    expect(missing).toEqual([])
  })
})
