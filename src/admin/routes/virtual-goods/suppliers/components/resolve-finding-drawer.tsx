import { Button, Label, Text, Textarea, toast } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText } from "../../../../components/common"
import { FormDrawer } from "../../../../components/form-drawer"
import { useResolveSupplierFinding } from "../../../../hooks/api/suppliers"
import { errorMessage } from "../../../../lib/utils"
import { isReasonLongEnough, type SupplierFinding } from "../lib"

/** Resolves a supplier finding with what was done about it (required, at least 3 characters); it leaves the open list. */
export const ResolveFindingDrawer = ({ finding, supplierName, onClose }: { finding: SupplierFinding; supplierName: string; onClose: () => void }) => {
  const { t } = useTranslation()
  const [resolution, setResolution] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const resolve = useResolveSupplierFinding()
  const submit = async (e?: FormEvent) => {
    e?.preventDefault()
    if (!isReasonLongEnough(resolution)) {
      setProblem(t("virtualGoods.suppliers.findings.resolutionTooShort"))
      return
    }
    setProblem(null)
    try {
      await resolve.mutateAsync({ id: finding.id, resolution: resolution.trim() })
      toast.success(t("virtualGoods.suppliers.findings.resolved"))
      onClose()
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }
  return (
    <FormDrawer
      open
      onOpenChange={(open) => !open && onClose()}
      title={t("virtualGoods.suppliers.findings.resolveTitle", { kind: t(`virtualGoods.suppliers.findingKinds.${finding.kind}`, { defaultValue: finding.kind }) })}
      bodyClassName="flex flex-col gap-y-3"
      onSubmit={submit}
      footer={
        <>
          <Button type="button" size="small" variant="secondary" onClick={onClose}>
            {t("virtualGoods.common.cancel")}
          </Button>
          <Button type="submit" size="small" isLoading={resolve.isPending}>
            {t("virtualGoods.suppliers.findings.resolve")}
          </Button>
        </>
      }
    >
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="resolve-supplier-finding">
        <dt className="text-ui-fg-subtle">{t("virtualGoods.suppliers.findings.columns.supplier")}</dt>
        <dd>{supplierName}</dd>
        <dt className="text-ui-fg-subtle">{t("virtualGoods.suppliers.findings.columns.order")}</dt>
        <dd className="font-mono">{finding.supplier_order_id ?? "—"}</dd>
        <dt className="text-ui-fg-subtle">{t("virtualGoods.suppliers.findings.columns.detail")}</dt>
        <dd>{finding.detail}</dd>
      </dl>
      <Text size="small" className="text-ui-fg-subtle">
        {t("virtualGoods.suppliers.findings.resolveHelp")}
      </Text>
      <Label htmlFor="vg-supplier-finding-resolution">{t("virtualGoods.suppliers.findings.resolution")}</Label>
      <Textarea id="vg-supplier-finding-resolution" value={resolution} onChange={(e) => setResolution(e.target.value)} />
      <ErrorText>{problem}</ErrorText>
    </FormDrawer>
  )
}
