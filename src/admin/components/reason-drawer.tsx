import { Button, Copy, Label, Text, Textarea } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { errorMessage } from "../lib/utils"
import type { OrderCode, RevealedCode } from "../types"
import { ErrorText } from "./common"
import { FormDrawer } from "./form-drawer"

/**
 * A drawer asking for a reason (at least 3 characters) before an audited action. For a reveal it then shows the code
 * (with a copy button) until it is closed; nothing of it is kept once closed.
 */
export const ReasonDrawer = ({
  code,
  title,
  hint,
  action,
  destructive,
  onClose,
  run,
}: {
  code: OrderCode | null
  title: string
  hint: string
  action: string
  destructive?: boolean
  onClose: () => void
  run: (code: OrderCode, reason: string) => Promise<RevealedCode | null>
}) => {
  const { t } = useTranslation()
  const [reason, setReason] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [revealed, setRevealed] = useState<RevealedCode | null>(null)
  const close = () => {
    setReason("")
    setProblem(null)
    setRevealed(null)
    onClose()
  }
  const submit = async () => {
    if (!code) return
    if (reason.trim().length < 3) {
      setProblem(t("virtualGoods.order.reasonTooShort"))
      return
    }
    setBusy(true)
    setProblem(null)
    try {
      const r = await run(code, reason.trim())
      if (r) setRevealed(r)
      else close()
    } catch (e) {
      setProblem(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <FormDrawer
      open={!!code}
      onOpenChange={(o) => !o && close()}
      title={title}
      footer={
        <>
          <Button size="small" variant="secondary" onClick={close}>
            {revealed ? t("virtualGoods.common.close") : t("virtualGoods.common.cancel")}
          </Button>
          {!revealed && (
            <Button size="small" variant={destructive ? "danger" : "primary"} onClick={submit} isLoading={busy}>
              {action}
            </Button>
          )}
        </>
      }
    >
      <Text size="small" className="text-ui-fg-subtle">
        {hint}
      </Text>
      {!revealed && (
        <div className="flex flex-col gap-y-2">
          <Label htmlFor="vg-reason">{t("virtualGoods.order.reason")}</Label>
          <Textarea id="vg-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      {revealed && (
        <div className="flex flex-col gap-y-2" data-testid="revealed-code">
          <Label>{t("virtualGoods.order.revealed")}</Label>
          <div className="flex items-center gap-2">
            <Text className="font-mono" data-value>
              {revealed.code}
            </Text>
            <Copy content={revealed.code} />
          </div>
          {revealed.password && (
            <>
              <Label>{t("virtualGoods.order.password")}</Label>
              <Text className="font-mono">{revealed.password}</Text>
            </>
          )}
        </div>
      )}
      <ErrorText>{problem}</ErrorText>
    </FormDrawer>
  )
}
