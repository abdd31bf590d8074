import { normalizeCode } from "./crypto"

export const MAX_CODE_LENGTH = 512
export const MAX_PASSWORD_LENGTH = 512
export const MAX_IMPORT_ENTRIES = 10_000

export type ImportEntryInput =
  | string
  | { code?: unknown; password?: unknown; expires_at?: unknown; cost?: unknown }

export type ImportEntry = {
  line: number
  code: string
  password: string | null
  expires_at: Date | null
  /** Cost of this code as a decimal string, when the line gave one. */
  cost?: string | null
}

/** One problem with one entry. Never carries the code itself: entries are named by their 1-based line. */
export type ImportEntryError = {
  line: number
  field: "code" | "password" | "expires_at" | "cost" | "entry" | "sale_limit"
  message: string
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/
const AMOUNT = /^\d{1,12}(\.\d{1,8})?$/

const isBlank = (v: unknown) => v === undefined || v === null || v === ""

/**
 * Checks one entry without touching the database: shape, length, control characters, expiry and cost. Returns the
 * parsed entry, or the entry's errors (one per bad field).
 */
export function validateImportEntry(
  raw: ImportEntryInput,
  line: number,
  now: Date = new Date()
): { entry: ImportEntry; errors?: undefined } | { entry?: undefined; errors: ImportEntryError[] } {
  const obj = typeof raw === "string" ? { code: raw } : raw
  if (!obj || typeof obj !== "object") {
    return { errors: [{ line, field: "entry", message: "must be a string or an object with a code" }] }
  }
  const errors: ImportEntryError[] = []
  let code = ""
  if (typeof obj.code !== "string" || !normalizeCode(obj.code)) {
    errors.push({ line, field: "code", message: "is required" })
  } else {
    code = normalizeCode(obj.code)
    if (code.length > MAX_CODE_LENGTH) {
      errors.push({ line, field: "code", message: `is longer than ${MAX_CODE_LENGTH} characters` })
    } else if (CONTROL_CHARS.test(code)) {
      errors.push({ line, field: "code", message: "contains control characters" })
    }
  }
  let password: string | null = null
  if (!isBlank(obj.password)) {
    if (typeof obj.password !== "string") {
      errors.push({ line, field: "password", message: "must be a string" })
    } else if (obj.password.length > MAX_PASSWORD_LENGTH) {
      errors.push({ line, field: "password", message: `is longer than ${MAX_PASSWORD_LENGTH} characters` })
    } else if (CONTROL_CHARS.test(obj.password)) {
      errors.push({ line, field: "password", message: "contains control characters" })
    } else {
      password = obj.password
    }
  }
  let expiresAt: Date | null = null
  if (!isBlank(obj.expires_at)) {
    const d = typeof obj.expires_at === "string" || obj.expires_at instanceof Date ? new Date(obj.expires_at as string) : null
    if (!d || Number.isNaN(d.getTime())) {
      errors.push({ line, field: "expires_at", message: "is not a valid date (use ISO 8601, e.g. 2027-01-31)" })
    } else if (d.getTime() <= now.getTime()) {
      errors.push({ line, field: "expires_at", message: "is in the past" })
    } else {
      expiresAt = d
    }
  }
  let cost: string | null = null
  if (!isBlank(obj.cost)) {
    const value = typeof obj.cost === "number" ? String(obj.cost) : typeof obj.cost === "string" ? obj.cost.trim() : ""
    if (!AMOUNT.test(value)) {
      errors.push({ line, field: "cost", message: "is not a valid amount (a non-negative decimal such as 21.50)" })
    } else {
      cost = value
    }
  }
  if (errors.length) return { errors }
  return { entry: { line, code, password, expires_at: expiresAt, ...(cost !== null ? { cost } : {}) } }
}

/**
 * Checks a list of import entries without touching the database: every entry (see `validateImportEntry`) and
 * duplicates inside the list. Returns the parsed entries and a per-line report.
 */
export function validateImportEntries(
  entries: ImportEntryInput[],
  now: Date = new Date()
): { entries: ImportEntry[]; errors: ImportEntryError[] } {
  const errors: ImportEntryError[] = []
  const parsed: ImportEntry[] = []
  const firstLineOf = new Map<string, number>()

  entries.forEach((raw, idx) => {
    const result = validateImportEntry(raw, idx + 1, now)
    if (result.errors) {
      errors.push(...result.errors)
      return
    }
    const { entry } = result
    const first = firstLineOf.get(entry.code)
    if (first !== undefined) {
      errors.push({ line: entry.line, field: "code", message: `duplicates line ${first}` })
      return
    }
    firstLineOf.set(entry.code, entry.line)
    parsed.push(entry)
  })

  return { entries: parsed, errors }
}
