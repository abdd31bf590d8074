"use client"

import { useEffect, useState } from "react"
import QRCode from "qrcode"
import { formatDate, type Lang } from "@lib/i18n"
import type { VoucherState } from "@lib/data/virtual-goods"
import type { CodeLabels } from "./code-labels"

/** What is left of a voucher, in the page's words. */
function leftText(v: VoucherState, labels: CodeLabels): string {
  if (v.status === "used_up") return labels.voucherUsedUp
  if (v.status === "expired") return labels.voucherExpired
  if (v.kind === "stored_value") {
    const currency = (v.currency_code ?? "").toUpperCase()
    return labels.voucherValue.replace("{value}", `${v.remaining_value ?? "0"} ${currency}`).replace("{face}", `${v.face_value ?? ""} ${currency}`)
  }
  return labels.voucherUses.replace("{n}", String(v.remaining_uses ?? 0)).replace("{total}", String(v.kind === "single_use" ? 1 : (v.uses ?? v.remaining_uses ?? 0)))
}

/**
 * A voucher of the store: what is left and when it was last used; once the shopper revealed it, its QR code for the
 * counter, drawn in the browser from the revealed code (never sent anywhere, never cached).
 */
export default function VoucherInfo({ voucher, code, labels, lang }: { voucher: VoucherState; code?: string; labels: CodeLabels; lang: Lang }) {
  const [qr, setQr] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    if (code && voucher.status === "redeemable") QRCode.toDataURL(code, { margin: 2, scale: 6 }).then((url) => live && setQr(url), () => live && setQr(null))
    else setQr(null)
    return () => {
      live = false
    }
  }, [code, voucher.status])
  return (
    <div data-testid="voucher-info" data-status={voucher.status}>
      <div>{leftText(voucher, labels)}</div>
      {voucher.last_redeemed_at ? <div className="muted">{labels.voucherLastUsed.replace("{date}", formatDate(voucher.last_redeemed_at, lang))}</div> : null}
      {qr ? (
        <figure style={{ margin: "8px 0 0" }}>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data URL drawn here, nothing to optimise */}
          <img data-testid="voucher-qr" src={qr} alt={labels.voucherQr} width={160} height={160} />
          <figcaption className="muted">{labels.voucherQr}</figcaption>
        </figure>
      ) : null}
    </div>
  )
}
