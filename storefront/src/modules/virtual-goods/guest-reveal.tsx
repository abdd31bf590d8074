"use client"

import { useState } from "react"
import type { Lang } from "@lib/i18n"
import type { MaskedCode, RevealedCode } from "@lib/data/virtual-goods"
import type { CodeLabels } from "@modules/order/code-labels"
import CodeValue from "@modules/order/code-value"
import CopyButton from "@modules/order/copy-button"
import VoucherInfo from "@modules/order/voucher-info"

type Labels = { button: string; warning: string; usesLeft: string; invalid: string; copy: string; copied: string; password: string; revealing: string }

type Reveal = () => Promise<{ uses_left?: number; codes?: RevealedCode[]; error?: string }>

/**
 * An order's codes opened by a guest link or by this browser's receipt, masked until the shopper reveals them
 * (`reveal`: the server action that spends one use, audited). A voucher of the store shows what is left and, once
 * revealed, its QR code for the counter (`voucher`: the labels and language it is told in).
 */
export default function GuestReveal({
  reveal,
  codes,
  labels,
  voucher,
}: {
  reveal: Reveal
  codes: MaskedCode[]
  labels: Labels
  voucher?: { labels: CodeLabels; lang: Lang }
}) {
  const [revealed, setRevealed] = useState<RevealedCode[] | null>(null)
  const [usesLeft, setUsesLeft] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const byId = new Map((revealed ?? []).map((c) => [c.id, c]))
  return (
    <div>
      <table>
        <tbody>
          {codes.map((c) => {
            const plain = byId.get(c.id)
            return (
              <tr key={c.id} data-testid="code-row" data-code-id={c.id}>
                <CodeValue code={c} plain={plain} passwordLabel={labels.password} />
                {voucher && codes.some((x) => x.voucher) ? (
                  <td className="muted">{c.voucher ? <VoucherInfo voucher={c.voucher} code={plain?.code} labels={voucher.labels} lang={voucher.lang} /> : null}</td>
                ) : null}
                <td>{plain ? <CopyButton text={plain.code} labels={{ copy: labels.copy, copied: labels.copied }} /> : null}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {revealed ? (
        usesLeft !== null ? <p className="muted" data-testid="uses-left-after">{labels.usesLeft.replace("{n}", String(usesLeft))}</p> : null
      ) : (
        <>
          <p className="muted">{labels.warning}</p>
          <button
            data-testid="reveal-link"
            disabled={busy}
            onClick={async () => {
              setBusy(true)
              const res = await reveal()
              setBusy(false)
              if (res.codes) {
                setRevealed(res.codes)
                setUsesLeft(res.uses_left ?? null)
              } else setError(res.error === "invalid" ? labels.invalid : res.error ?? "")
            }}
          >
            {busy ? labels.revealing : labels.button}
          </button>
        </>
      )}
      {error ? <p className="error" data-testid="reveal-error">{error}</p> : null}
    </div>
  )
}
