import { randomBytes } from "crypto"
import { MedusaError } from "@medusajs/framework/utils"

/** Crockford's base32 alphabet: digits and letters without I, L, O and U. */
export const CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/** Fewer random bits than this and a generated code could be guessed; the generator refuses. */
export const MIN_VOUCHER_BITS = 64
export const DEFAULT_VOUCHER_FORMAT: Required<VoucherFormat> = {
  prefix: "",
  length: 16,
  group_size: 4,
  separator: "-",
}
export const MAX_VOUCHER_LENGTH = 64

export type VoucherFormat = {
  /** Text put in front of every code, e.g. "GIFT-". Letters, digits and - _ only. */
  prefix?: string
  /** Random characters per code (5 bits each); a check character is added. */
  length?: number
  /** Characters per group of the random part + check character; 0 for no grouping. */
  group_size?: number
  /** Between groups: "-", " ", "." or "" */
  separator?: string
}

const BITS_PER_CHAR = 5
const SEPARATORS = ["-", " ", ".", ""]
const VALUE_OF = new Map<string, number>()
for (let i = 0; i < CROCKFORD_ALPHABET.length; i++) {
  VALUE_OF.set(CROCKFORD_ALPHABET[i], i)
  VALUE_OF.set(CROCKFORD_ALPHABET[i].toLowerCase(), i)
}
// Crockford decoding: the letters that look like digits read as those digits.
for (const [c, v] of [["O", 0], ["o", 0], ["I", 1], ["i", 1], ["L", 1], ["l", 1]] as const) VALUE_OF.set(c, v)

/**
 * Multiplication in GF(2^5) modulo x^5 + x^2 + 1. The check character is a Damm check over the quasigroup
 * x ∘ y = 2·x ⊕ y of this field: weakly totally anti-symmetric, so it catches every single wrong character and
 * every swap of two adjacent different characters.
 */
function gfMul2(x: number): number {
  const shifted = x << 1
  return shifted & 0x20 ? (shifted ^ 0x25) & 0x1f : shifted
}

function dammInterim(values: Iterable<number>): number {
  let interim = 0
  for (const v of values) interim = gfMul2(interim) ^ v
  return interim
}

/** The check character of a string of base32 values: the one that brings the Damm interim back to 0. */
export function checkCharacter(values: number[]): string {
  return CROCKFORD_ALPHABET[gfMul2(dammInterim(values))]
}

export type ResolvedVoucherFormat = Required<VoucherFormat> & { bits: number }

/**
 * Checks a format and computes its entropy. Refuses formats with fewer than 64 random bits, showing the arithmetic.
 */
export function resolveVoucherFormat(format: VoucherFormat = {}): ResolvedVoucherFormat {
  const f = { ...DEFAULT_VOUCHER_FORMAT, ...Object.fromEntries(Object.entries(format).filter(([, v]) => v !== undefined && v !== null)) }
  if (!Number.isInteger(f.length) || f.length < 1 || f.length > MAX_VOUCHER_LENGTH) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `length must be an integer from 1 to ${MAX_VOUCHER_LENGTH}, got ${f.length}`)
  }
  if (!Number.isInteger(f.group_size) || f.group_size < 0 || f.group_size > MAX_VOUCHER_LENGTH) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `group_size must be an integer from 0 to ${MAX_VOUCHER_LENGTH}, got ${f.group_size}`)
  }
  if (!SEPARATORS.includes(f.separator)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `separator must be one of "-", " ", ".", "" (got "${f.separator}")`)
  }
  if (typeof f.prefix !== "string" || !/^[A-Za-z0-9_-]{0,32}$/.test(f.prefix)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "prefix may hold up to 32 letters, digits, - and _")
  }
  const bits = f.length * BITS_PER_CHAR
  if (bits < MIN_VOUCHER_BITS) {
    const needed = Math.ceil(MIN_VOUCHER_BITS / BITS_PER_CHAR)
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Too guessable: ${f.length} random characters × ${BITS_PER_CHAR} bits = ${bits} bits, below the minimum of ${MIN_VOUCHER_BITS} bits. ` +
        `Use a length of at least ${needed} (${needed} × ${BITS_PER_CHAR} = ${needed * BITS_PER_CHAR} bits); the default ${DEFAULT_VOUCHER_FORMAT.length} gives ${DEFAULT_VOUCHER_FORMAT.length * BITS_PER_CHAR}.`
    )
  }
  return { ...f, bits }
}

function layout(body: string, format: ResolvedVoucherFormat): string {
  if (!format.group_size) return format.prefix + body
  const groups: string[] = []
  for (let i = 0; i < body.length; i += format.group_size) groups.push(body.slice(i, i + format.group_size))
  return format.prefix + groups.join(format.separator)
}

/**
 * Generates codes from a cryptographically secure source: random bytes are read as a bit stream, 5 bits a
 * character, so every character of the alphabet is equally likely. Yields forever; the caller takes what it needs.
 */
export function* generateVoucherCodes(format: ResolvedVoucherFormat): Generator<string> {
  const perCode = format.length
  const codesPerRefill = 1024
  while (true) {
    const bytes = randomBytes(Math.ceil((perCode * codesPerRefill * BITS_PER_CHAR) / 8))
    let bitPos = 0
    for (let n = 0; n < codesPerRefill; n++) {
      const values: number[] = new Array(perCode)
      for (let i = 0; i < perCode; i++) {
        const byte = bitPos >> 3
        const offset = bitPos & 7
        const word = (bytes[byte] << 8) | (bytes[byte + 1] ?? 0)
        values[i] = (word >> (11 - offset)) & 0x1f
        bitPos += BITS_PER_CHAR
      }
      let body = ""
      for (const v of values) body += CROCKFORD_ALPHABET[v]
      yield layout(body + checkCharacter(values), format)
    }
  }
}

/**
 * Checks a code typed back by a person against a format: prefix, alphabet (case and the look-alikes O/I/L are
 * forgiven, separators ignored), length and check character.
 */
export function isValidVoucherCode(code: string, format: ResolvedVoucherFormat): boolean {
  let rest = String(code ?? "").trim()
  if (format.prefix) {
    if (rest.slice(0, format.prefix.length).toUpperCase() !== format.prefix.toUpperCase()) return false
    rest = rest.slice(format.prefix.length)
  }
  const values: number[] = []
  for (const ch of rest) {
    if (ch === "-" || ch === " " || ch === ".") continue
    const v = VALUE_OF.get(ch)
    if (v === undefined) return false
    values.push(v)
  }
  return values.length === format.length + 1 && dammInterim(values) === 0
}
