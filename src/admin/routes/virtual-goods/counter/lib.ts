import jsQR from "jsqr"

export type VoucherKind = "single_use" | "multi_use" | "stored_value"
export type VoucherStatus = "redeemable" | "used_up" | "disabled" | "expired"

/** A ledger row as the API answers it (amounts as exact decimal text). */
export type VoucherRedemption = {
  id: string
  kind: "redeem" | "rollback"
  uses: number
  amount: string | null
  remaining_uses_after: number | null
  remaining_value_after: string | null
  channel: "counter" | "partner"
  actor_type: string
  actor_id: string | null
  reason: string | null
  reverses_id: string | null
  rolled_back_at: string | null
  created_at: string
}

/** A voucher as the counter sees it: its mask, never its code. */
export type Voucher = {
  id: string
  mask: string
  pool_id: string
  kind: VoucherKind
  status: VoucherStatus
  remaining_uses: number | null
  remaining_value: string | null
  face_value: string | null
  uses: number | null
  currency_code: string | null
  expires_at: string | null
  redeemed_count: number
  first_redeemed_at: string | null
  last_redeemed_at: string | null
  redemptions?: VoucherRedemption[]
}

/** What is left of a voucher, as one line: "37.5 USD of 50" or "2 of 3 uses". */
export function remainingText(v: Voucher, t: (key: string, vars?: Record<string, unknown>) => string): string {
  if (v.kind === "stored_value") return t("virtualGoods.counter.remainingValue", { value: v.remaining_value ?? "0", currency: (v.currency_code ?? "").toUpperCase(), face: v.face_value ?? "" })
  return t("virtualGoods.counter.remainingUses", { count: v.remaining_uses ?? 0, uses: v.kind === "single_use" ? 1 : (v.uses ?? 0) })
}

/** Redemptions still standing that a counter may try to give back (the API decides about the window). */
export const canRollBack = (r: VoucherRedemption) => r.kind === "redeem" && !r.rolled_back_at

/** A fresh Idempotency-Key for one redemption attempt (kept for its retries). */
export const newRedemptionKey = () => `counter-${crypto.randomUUID()}`

/** An amount as the API takes it: decimal text with at most 8 decimals, above zero; null when it is not one. */
export function amountOf(input: string): string | null {
  const text = input.trim().replace(",", ".")
  return /^\d{1,12}(\.\d{1,8})?$/.test(text) && Number(text) > 0 ? text : null
}

/** The text of the QR code in an image's pixels (RGBA), or null when none is found. */
export function qrTextOfPixels(data: Uint8ClampedArray, width: number, height: number): string | null {
  const found = jsQR(data, width, height, { inversionAttempts: "attemptBoth" })
  return found?.data?.trim() || null
}

/** Reads a QR code from a photo or screenshot the counter chose (when no camera can be used). */
export async function qrTextOfImage(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file)
  const canvas = document.createElement("canvas")
  canvas.width = bitmap.width
  canvas.height = bitmap.height
  const context = canvas.getContext("2d")
  if (!context) return null
  context.drawImage(bitmap, 0, 0)
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height)
  return qrTextOfPixels(data, width, height)
}
