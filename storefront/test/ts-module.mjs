// Imports one of the storefront's TypeScript modules in a unit test: transpiled with the project's own TypeScript
// (types erased, nothing checked — `npm run typecheck` does that) into a temporary ES module. For modules without
// runtime imports (pure functions; `import type` is erased): a module that imports at runtime is refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import ts from "typescript"

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)))

export async function importTs(relativePath) {
  const file = join(ROOT, relativePath)
  const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.Preserve },
  })
  if (/^\s*import\s/m.test(outputText)) throw new Error(`${relativePath} imports other modules at runtime: test its pure parts from a module without imports`)
  const dir = mkdtempSync(join(tmpdir(), "storefront-test-"))
  try {
    const out = join(dir, basename(file).replace(/\.tsx?$/, ".mjs"))
    writeFileSync(out, outputText)
    return await import(pathToFileURL(out).href)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
