import QRCode from "qrcode"
import en from "../../../../i18n/json/en.json"
import zhCN from "../../../../i18n/json/zhCN.json"
import { amountOf, canRollBack, qrTextOfPixels, remainingText, type Voucher, type VoucherRedemption } from "../lib"

/** The pixels (RGBA) of a QR code for `text`, drawn as an image would hold them: black modules on a white margin. */
function qrPixels(text: string, scale = 4, margin = 4): { data: Uint8ClampedArray; width: number; height: number } {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" })
  const size = qr.modules.size
  const width = (size + margin * 2) * scale
  const data = new Uint8ClampedArray(width * width * 4).fill(255)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!qr.modules.get(y, x)) continue
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const i = (((y + margin) * scale + dy) * width + (x + margin) * scale + dx) * 4
          data[i] = data[i + 1] = data[i + 2] = 0
        }
      }
    }
  }
  return { data, width, height: width }
}

const t = (key: string, vars: Record<string, unknown> = {}) => {
  const template = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], en) as string
  return template.replace(/\{\{(\w+)\}\}/g, (_, name) => String(vars[name]))
}

const voucher = (over: Partial<Voucher>): Voucher => ({
  id: "ccode_1",
  mask: "****ABCD",
  pool_id: "cpool_1",
  kind: "single_use",
  status: "redeemable",
  remaining_uses: 1,
  remaining_value: null,
  face_value: null,
  uses: null,
  currency_code: null,
  expires_at: null,
  redeemed_count: 0,
  first_redeemed_at: null,
  last_redeemed_at: null,
  ...over,
})

describe("the counter page's helpers", () => {
  it("reads a voucher's code back from the pixels of its QR code; an image without one reads nothing", () => {
    const code = "COFFEE-7F3A-91C2-44DE-0B5A"
    const { data, width, height } = qrPixels(code)
    expect(qrTextOfPixels(data, width, height)).toBe(code)
    expect(qrTextOfPixels(new Uint8ClampedArray(64 * 64 * 4).fill(255), 64, 64)).toBeNull()
  })

  it("takes an amount as the API does: positive decimal text, a comma read as the decimal point", () => {
    expect(["12.50", " 7 ", "0,5", "0", "-1", "1e3", "12.123456789", "abc"].map(amountOf)).toEqual(["12.50", "7", "0.5", null, null, null, null, null])
  })

  it("says what is left of each kind, and only standing redemptions can be rolled back", () => {
    expect(remainingText(voucher({ kind: "stored_value", remaining_value: "37.5", face_value: "50", currency_code: "usd" }), t)).toBe("37.5 USD of 50")
    expect(remainingText(voucher({ kind: "multi_use", remaining_uses: 2, uses: 3 }), t)).toBe("2 of 3 uses")
    expect(remainingText(voucher({ remaining_uses: 0 }), t)).toBe("0 of 1 uses")
    const row = { kind: "redeem", rolled_back_at: null } as VoucherRedemption
    expect([canRollBack(row), canRollBack({ ...row, rolled_back_at: "2026-12-01T00:00:00Z" }), canRollBack({ ...row, kind: "rollback" })]).toEqual([true, false, false])
  })

  it("has every counter label in both languages", () => {
    const keys = (node: unknown, prefix = ""): string[] =>
      Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => (typeof v === "object" && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
    expect(keys(zhCN.virtualGoods.counter).sort()).toEqual(keys(en.virtualGoods.counter).sort())
  })
})
