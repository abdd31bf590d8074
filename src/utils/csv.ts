/**
 * One CSV cell: quoted when it holds a quote, comma or line break; a text cell starting with =, +, @ or - (not a
 * number) is prefixed with ' so that a spreadsheet opening the download never runs it as a formula.
 */
export function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? "" : String(value)
  const safe = /^[=+@]/.test(s) || (s.startsWith("-") && Number.isNaN(Number(s))) ? `'${s}` : s
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
