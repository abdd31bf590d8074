import { existsSync, readdirSync, readFileSync, statSync } from "fs"
import path from "path"

/**
 * The README is the introduction and docs/*.md the reference: every relative link in them must reach an existing
 * file (and, for a link to a heading, that heading), and every page in docs/ must be reachable from the README.
 */

const root = path.resolve(__dirname, "../..")
const docsDir = path.join(root, "docs")
const docPages = readdirSync(docsDir)
  .filter((name) => name.endsWith(".md"))
  .map((name) => path.join(docsDir, name))
const readme = path.join(root, "README.md")
const markdownFiles = [readme, ...docPages]

type Link = { line: number; target: string }

/** The file's lines outside fenced code blocks, with their line numbers (1-based). */
function proseLines(file: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = []
  let fence: string | null = null
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((text, i) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(text)
      if (marker) {
        if (fence === null) fence = marker[1][0]
        else if (marker[1][0] === fence) fence = null
        return
      }
      if (fence === null) out.push({ line: i + 1, text })
    })
  return out
}

function linksOf(file: string): Link[] {
  const links: Link[] = []
  for (const { line, text } of proseLines(file)) {
    const withoutCode = text.replace(/``[^`]*``|`[^`]*`/g, "")
    for (const m of withoutCode.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ line, target: m[1] })
    }
  }
  return links
}

function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")
}

/** GitHub's anchors for a markdown file's headings (lower case, punctuation dropped, spaces to hyphens, -n for repeats). */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  for (const { text } of proseLines(file)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)
    if (!heading) continue
    const plain = heading[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*~]/g, "")
    const slug = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-")
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    anchors.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return anchors
}

function relative(file: string): string {
  return path.relative(root, file)
}

describe("documentation links", () => {
  it("finds the README and the pages in docs/", () => {
    expect(existsSync(readme)).toBe(true)
    expect(docPages.length).toBeGreaterThan(0)
  })

  it("keeps the README an introduction: the reference lives in docs/", () => {
    expect(statSync(readme).size).toBeLessThan(25_000)
  })

  it.each(markdownFiles.map((file) => [relative(file), file]))(
    "every relative link in %s reaches an existing file and heading",
    (_name, file) => {
      const broken: string[] = []
      for (const { line, target } of linksOf(file)) {
        if (isExternal(target)) continue
        const [rawPath, anchor] = target.split("#", 2)
        const targetPath = rawPath === "" ? file : path.resolve(path.dirname(file), decodeURIComponent(rawPath))
        if (!existsSync(targetPath)) {
          broken.push(`${relative(file)}:${line} → ${target} (no such file)`)
          continue
        }
        if (anchor && targetPath.endsWith(".md") && !anchorsOf(targetPath).has(decodeURIComponent(anchor))) {
          broken.push(`${relative(file)}:${line} → ${target} (no such heading)`)
        }
      }
      expect(broken).toEqual([])
    }
  )

  it("links every page in docs/ from the README", () => {
    const linked = new Set(
      linksOf(readme)
        .filter(({ target }) => !isExternal(target))
        .map(({ target }) => path.resolve(root, decodeURIComponent(target.split("#")[0])))
    )
    const unlinked = docPages.filter((page) => !linked.has(page)).map(relative)
    expect(unlinked).toEqual([])
  })

  it("links every page in docs/ back to the README", () => {
    const withoutLink = docPages
      .filter(
        (page) =>
          !linksOf(page).some(
            ({ target }) => !isExternal(target) && path.resolve(docsDir, target.split("#")[0]) === readme
          )
      )
      .map(relative)
    expect(withoutLink).toEqual([])
  })
})
