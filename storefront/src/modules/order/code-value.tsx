import type { ReactNode } from "react"
import type { MaskedCode, RevealedCode } from "@lib/data/virtual-goods"

/** One code's cell: the mask until it is revealed, then the code (and its password, if it has one). */
export default function CodeValue({ code, plain, passwordLabel, children }: { code: MaskedCode; plain?: RevealedCode; passwordLabel: string; children?: ReactNode }) {
  return (
    <td className="code" data-testid="code-value">
      {plain ? plain.code : code.mask}
      {plain?.password ? (
        <div className="muted">
          {passwordLabel}: <span className="code">{plain.password}</span>
        </div>
      ) : null}
      {children}
    </td>
  )
}
