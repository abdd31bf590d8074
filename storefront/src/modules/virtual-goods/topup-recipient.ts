/**
 * Direct top-ups (直充): a variant linked to a supplier's top-up product needs a recipient (a phone number, a game
 * account…) on each of its cart lines before checkout. Pure functions (no imports), shared by the server functions,
 * the cart and checkout pages and the recipient form, and unit-tested in test/topup-recipient.test.mjs.
 */

/** One field of a top-up's recipient, as `GET /store/virtual-goods/topup-fields` describes it. */
export type TopUpField = {
  key: string
  label: string
  /** A regular expression the whole (trimmed) value must match. */
  pattern?: string | null
  min_length?: number | null
  max_length?: number | null
  /** Default true. */
  required?: boolean | null
}

/** `GET /store/virtual-goods/topup-fields?variant_id=…`: `top_up` false and no fields for other variants. */
export type TopUpFields = { variant_id: string; top_up: boolean; fields: TopUpField[] }

/** A cart line of a top-up variant, with its recipient's mask once one is set. */
export type TopUpLine = { lineId: string; variantId: string; title: string; fields: TopUpField[]; masked: string | null }

/** What the line metadata holds once a recipient is set: its id and its mask, never the value. */
export const RECIPIENT_ID_KEY = "virtual_goods_recipient_id"
export const RECIPIENT_MASK_KEY = "virtual_goods_recipient"

type CartLine = {
  id: string
  variant_id?: string | null
  product_title?: string | null
  title?: string | null
  metadata?: Record<string, unknown> | null
}

/** The cart's top-up lines (those whose variant is a top-up), in the cart's order. */
export function topUpLinesOf(items: CartLine[] | null | undefined, fieldsByVariant: Record<string, TopUpFields | undefined>): TopUpLine[] {
  const out: TopUpLine[] = []
  for (const item of items ?? []) {
    const spec = item.variant_id ? fieldsByVariant[item.variant_id] : undefined
    if (!spec?.top_up) continue
    const id = item.metadata?.[RECIPIENT_ID_KEY]
    const mask = item.metadata?.[RECIPIENT_MASK_KEY]
    const hasRecipient = typeof id === "string" && id.length > 0
    out.push({
      lineId: item.id,
      variantId: item.variant_id as string,
      title: item.product_title || item.title || item.id,
      fields: spec.fields,
      masked: hasRecipient ? (typeof mask === "string" && mask ? mask : "•••") : null,
    })
  }
  return out
}

/** The top-up lines that have no recipient yet: checkout waits for them. */
export const missingRecipients = (lines: TopUpLine[]): TopUpLine[] => lines.filter((l) => l.masked === null)

export type FieldProblem = { key: string; label: string; rule: "required" | "min_length" | "max_length" | "pattern"; n?: number }

/**
 * A recipient checked as the backend checks it (its `validateRecipient`), for immediate feedback — the backend stays
 * the authority: each value trimmed; empty is missing (an error when the field is required, left out otherwise); then
 * the lengths; then the pattern, which must match the whole value. A pattern this browser cannot compile is left to
 * the backend. Answers the values to send (known fields only) and the problems, by field.
 */
export function checkRecipient(fields: TopUpField[], given: Record<string, string | null | undefined>): { values: Record<string, string>; problems: FieldProblem[] } {
  const values: Record<string, string> = {}
  const problems: FieldProblem[] = []
  for (const field of fields) {
    const value = (given[field.key] ?? "").trim()
    const label = field.label || field.key
    if (!value) {
      if (field.required !== false) problems.push({ key: field.key, label, rule: "required" })
      continue
    }
    if (field.min_length != null && value.length < field.min_length) {
      problems.push({ key: field.key, label, rule: "min_length", n: field.min_length })
      continue
    }
    if (field.max_length != null && value.length > field.max_length) {
      problems.push({ key: field.key, label, rule: "max_length", n: field.max_length })
      continue
    }
    if (field.pattern && patternRefuses(field.pattern, value)) {
      problems.push({ key: field.key, label, rule: "pattern" })
      continue
    }
    values[field.key] = value
  }
  return { values, problems }
}

function patternRefuses(pattern: string, value: string): boolean {
  let re: RegExp
  try {
    re = new RegExp(`^(?:${pattern})$`)
  } catch {
    return false
  }
  return !re.test(value)
}

/** A text's `{name}` placeholders filled (the form's messages come translated, as templates). */
export const fillTemplate = (template: string, vars: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))

/** The message of a problem, from the templates of the page's language. */
export function problemMessage(problem: FieldProblem, templates: { required: string; minLength: string; maxLength: string; pattern: string }): string {
  const template = { required: templates.required, min_length: templates.minLength, max_length: templates.maxLength, pattern: templates.pattern }[problem.rule]
  return fillTemplate(template, { label: problem.label, n: problem.n ?? "" })
}
