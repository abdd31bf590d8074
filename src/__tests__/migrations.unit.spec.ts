import { readdirSync, readFileSync } from "fs"
import path from "path"

/**
 * Medusa records the migrations it ran by name, in one table for every module: two modules with a migration of the
 * same name and the second is taken as already run (a real install then lacks its columns). Names are unique across
 * the plugin's modules, and each file's class carries its file's name.
 */
describe("the modules' migrations", () => {
  const modulesDir = path.resolve(__dirname, "../modules")
  const migrations = readdirSync(modulesDir).flatMap((module) => {
    const dir = path.join(modulesDir, module, "migrations")
    let files: string[] = []
    try {
      files = readdirSync(dir).filter((f) => /^Migration\d+\.ts$/.test(f))
    } catch {
      return []
    }
    return files.map((file) => ({ module, name: file.replace(/\.ts$/, ""), source: readFileSync(path.join(dir, file), "utf8") }))
  })

  it("are found", () => {
    expect(migrations.length).toBeGreaterThan(5)
  })

  it("have names unique across modules", () => {
    const seen = new Map<string, string>()
    const clashes: string[] = []
    for (const m of migrations) {
      const other = seen.get(m.name)
      if (other) clashes.push(`${m.name}: ${other} and ${m.module}`)
      seen.set(m.name, m.module)
    }
    expect(clashes).toEqual([])
  })

  it("export a class named like their file", () => {
    expect(migrations.filter((m) => !m.source.includes(`export class ${m.name} extends Migration`)).map((m) => `${m.module}/${m.name}`)).toEqual([])
  })
})
