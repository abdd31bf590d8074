import { Button, Label, Text, Textarea, toast } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText } from "../../../../components/common"
import { FormDrawer } from "../../../../components/form-drawer"
import { useRejectRiskDecision } from "../../../../hooks/api/risk"
import { errorMessage } from "../../../../lib/utils"
import type { RiskDecision } from "../../../../types"

/** Rejects a held order with a note (at least 3 characters): its codes go back to stock and the customer is told. */
export const RejectDrawer = ({ decision, onClose }: { decision: RiskDecision; onClose: () => void }) => {
  const { t } = useTranslation()
  const [note, setNote] = useState("")
  const reject = useRejectRiskDecision()
  const submit = () =>
    reject.mutate(
      { id: decision.id, note: note.trim() },
      {
        onSuccess: () => {
          toast.success(t("virtualGoods.risk.rejected"))
          onClose()
        },
      }
    )
  return (
    <FormDrawer
      open
      onOpenChange={(open) => !open && onClose()}
      title={t("virtualGoods.risk.rejectTitle", { order: decision.order_id })}
      bodyClassName="flex flex-col gap-y-3"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("virtualGoods.common.cancel")}
          </Button>
          <Button variant="danger" disabled={note.trim().length < 3} isLoading={reject.isPending} onClick={submit}>
            {t("virtualGoods.risk.reject")}
          </Button>
        </>
      }
    >
      <Text size="small" className="text-ui-fg-subtle">
        {t("virtualGoods.risk.rejectHelp")}
      </Text>
      <Label htmlFor="risk-reject-note">{t("virtualGoods.risk.rejectNote")}</Label>
      <Textarea id="risk-reject-note" value={note} onChange={(e) => setNote(e.target.value)} />
      {reject.error && <ErrorText>{errorMessage(reject.error)}</ErrorText>}
    </FormDrawer>
  )
}
