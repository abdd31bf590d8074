"use client"

import { useState } from "react"
import type { MaskedCode, RevealedCode } from "@lib/data/virtual-goods"
import CodeValue from "@modules/order/code-value"
import CopyButton from "@modules/order/copy-button"

type Labels = { button: string; warning: string; usesLeft: string; invalid: string; copy: string; copied: string; password: string; revealing: string }

type Reveal = () => Promise<{ uses_left?: number; codes?: RevealedCode[]; error?: string }>

/**
 * An order's codes opened by a guest link or by this browser's receipt, masked until the shopper reveals them
 * (`reveal`: the server action that spends one use, audited).
 */
export default function GuestReveal({ reveal, codes, labels }: { reveal: Reveal; codes: MaskedCode[]; labels: Labels }) {
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
