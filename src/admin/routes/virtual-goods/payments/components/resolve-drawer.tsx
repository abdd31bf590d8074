import { Button, Label, Text, Textarea, toast } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText } from "../../../../components/common"
import { FormDrawer } from "../../../../components/form-drawer"
import { useResolvePaymentFinding } from "../../../../hooks/api/payments"
import { errorMessage } from "../../../../lib/utils"
import type { Finding } from "../../../../types"
import { formatMoney } from "../lib"

/** Resolves a finding with a note (required: what was done about it); it leaves the open list. */
export const ResolveDrawer = ({ finding, onClose }: { finding: Finding; onClose: () => void }) => {
  const { t } = useTranslation()
  const [note, setNote] = useState("")
  const resolve = useResolvePaymentFinding()
  const submit = (e?: FormEvent) => {
    e?.preventDefault()
    if (!note.trim()) return
    resolve.mutate(
      { id: finding.id, note: note.trim() },
      {
        onSuccess: () => {
          toast.success(t("virtualGoods.payments.resolved"))
          onClose()
        },
      }
    )
  }
  return (
    <FormDrawer
      open
      onOpenChange={(open) => !open && onClose()}
      title={t("virtualGoods.payments.resolveTitle", { kind: t(`virtualGoods.payments.kinds.${finding.kind}`, { defaultValue: finding.kind }) })}
      bodyClassName="flex flex-col gap-y-3"
      onSubmit={submit}
      footer={
        <>
          <Button type="button" variant="secondary" onClick={onClose}>
            {t("virtualGoods.common.cancel")}
          </Button>
          <Button type="submit" disabled={!note.trim()} isLoading={resolve.isPending}>
            {t("virtualGoods.payments.resolve")}
          </Button>
        </>
      }
    >
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="resolve-finding">
        <dt className="text-ui-fg-subtle">{t("virtualGoods.payments.columns.paymentIntent")}</dt>
        <dd className="font-mono">{finding.payment_intent_id}</dd>
        <dt className="text-ui-fg-subtle">{t("virtualGoods.payments.columns.amount")}</dt>
        <dd>{formatMoney(finding.amount, finding.currency_code)}</dd>
        <dt className="text-ui-fg-subtle">{t("virtualGoods.payments.columns.detail")}</dt>
        <dd>{finding.detail}</dd>
      </dl>
      <Text size="small" className="text-ui-fg-subtle">
        {t("virtualGoods.payments.resolveHelp")}
      </Text>
      <Label htmlFor="payment-resolve-note">{t("virtualGoods.payments.resolveNote")}</Label>
      <Textarea id="payment-resolve-note" value={note} onChange={(e) => setNote(e.target.value)} />
      {resolve.error && <ErrorText>{errorMessage(resolve.error)}</ErrorText>}
    </FormDrawer>
  )
}
