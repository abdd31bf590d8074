import { MedusaError } from "@medusajs/framework/utils"

/** One field a top-up's recipient is made of (a phone number, a game account, a server…). */
export type RecipientFieldSpec = {
  key: string
  label: string
  /** A regular expression the whole value must match. */
  pattern?: string | null
  min_length?: number | null
  max_length?: number | null
  /** Default true. */
  required?: boolean
}

const KEY = /^[a-z][a-z0-9_]{0,39}$/

/** Reads a product's recipient fields as stored; a malformed definition is an admin's error, named by field. */
export function parseRecipientFields(raw: unknown): RecipientFieldSpec[] {
  const list = Array.isArray(raw) ? raw : []
  return list.map((f, i) => {
    const field = (f ?? {}) as Record<string, unknown>
    const where = `recipient_fields[${i}]`
    if (typeof field.key !== "string" || !KEY.test(field.key)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${where}.key must be lower-case letters, digits and _ (starting with a letter, at most 40)`)
    }
    if (field.pattern !== undefined && field.pattern !== null) {
      if (typeof field.pattern !== "string" || field.pattern.length > 200) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `${where}.pattern must be a regular expression of at most 200 characters`)
      }
      try {
        new RegExp(field.pattern)
      } catch {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `${where}.pattern is not a valid regular expression`)
      }
    }
    for (const bound of ["min_length", "max_length"] as const) {
      const v = field[bound]
      if (v !== undefined && v !== null && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 200)) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `${where}.${bound} must be a whole number from 0 to 200`)
      }
    }
    return {
      key: field.key,
      label: typeof field.label === "string" && field.label ? field.label : field.key,
      pattern: (field.pattern as string | undefined) ?? null,
      min_length: (field.min_length as number | undefined) ?? null,
      max_length: (field.max_length as number | undefined) ?? null,
      required: field.required !== false,
    }
  })
}

/**
 * A recipient checked against its product's fields: every required field present, no other field, each value text
 * of the allowed length matching the pattern. The error names the field and the rule, never the value.
 */
export function validateRecipient(specs: RecipientFieldSpec[], given: Record<string, unknown> | null | undefined): Record<string, string> {
  if (!specs.length) throw new MedusaError(MedusaError.Types.INVALID_DATA, "This top-up product has no recipient fields configured")
  const input = given ?? {}
  const known = new Set(specs.map((s) => s.key))
  const unknown = Object.keys(input).filter((k) => !known.has(k))
  if (unknown.length) throw new MedusaError(MedusaError.Types.INVALID_DATA, `recipient.${unknown[0]} is not a field of this product (fields: ${[...known].join(", ")})`)
  const out: Record<string, string> = {}
  for (const spec of specs) {
    const raw = input[spec.key]
    if (raw === undefined || raw === null || raw === "") {
      if (spec.required !== false) throw new MedusaError(MedusaError.Types.INVALID_DATA, `recipient.${spec.key} (${spec.label}) is required`)
      continue
    }
    if (typeof raw !== "string") throw new MedusaError(MedusaError.Types.INVALID_DATA, `recipient.${spec.key} (${spec.label}) must be text`)
    const value = raw.trim()
    if (spec.min_length != null && value.length < spec.min_length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `recipient.${spec.key} (${spec.label}) must have at least ${spec.min_length} characters`)
    }
    if (spec.max_length != null && value.length > spec.max_length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `recipient.${spec.key} (${spec.label}) must have at most ${spec.max_length} characters`)
    }
    if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(value)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `recipient.${spec.key} (${spec.label}) is not in the expected format`)
    }
    out[spec.key] = value
  }
  return out
}
