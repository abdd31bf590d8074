"use client"

import { useState } from "react"
import { formatDate, type Lang } from "@lib/i18n"
import { revealCustomerCode, revealCustomerGiftCode, type MaskedCode, type RevealedCode } from "@lib/data/virtual-goods"
import type { CodeLabels as Labels } from "./code-labels"
import CodeValue from "./code-value"
import CopyButton from "./copy-button"
import VoucherInfo from "./voucher-info"

/**
 * A customer's codes, masked; each revealed only when they press Reveal (audited by the backend, never cached). The
 * codes of an order, or (`giftId`) the code a campaign gave them.
 */
export default function CodesList({ orderId, giftId, codes, labels, lang }: { orderId?: string; giftId?: string; codes: MaskedCode[]; labels: Labels; lang: Lang }) {
  const [shown, setShown] = useState<Record<string, RevealedCode>>({})
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  if (!codes.length) return <p className="muted">{labels.none}</p>
  return (
    <div>
      <p className="muted">{labels.masked}</p>
      <table>
        <tbody>
          {codes.map((c) => {
            const plain = shown[c.id]
            return (
              <tr key={c.id} data-testid="code-row" data-code-id={c.id}>
                <CodeValue code={c} plain={plain} passwordLabel={labels.password}>
                  {c.expires_at ? <div className="muted">{labels.expires.replace("{date}", formatDate(c.expires_at, lang))}</div> : null}
                </CodeValue>
                <td className="muted">
                  {plain ? labels.revealed : c.status === "voided" ? labels.voided : c.status === "revealed" ? labels.revealed : labels.delivered}
                  {c.voucher && c.status !== "voided" ? <VoucherInfo voucher={c.voucher} code={plain?.code} labels={labels} lang={lang} /> : null}
                </td>
                <td>
                  {c.status === "voided" ? null : plain ? (
                    <CopyButton text={plain.code} labels={{ copy: labels.copy, copied: labels.copied }} />
                  ) : (
                    <button
                      data-testid="reveal-code"
                      disabled={busy === c.id}
                      onClick={async () => {
                        setBusy(c.id)
                        setError(null)
                        const res = giftId ? await revealCustomerGiftCode(giftId, c.id) : await revealCustomerCode(orderId ?? "", c.id)
                        setBusy(null)
                        if (res.code) setShown((s) => ({ ...s, [c.id]: res.code! }))
                        else setError(res.error ?? "")
                      }}
                    >
                      {busy === c.id ? labels.revealing : labels.reveal}
                    </button>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {error ? <p className="error">{error}</p> : null}
    </div>
  )
}
