import { Badge, Button, Container, Label, Textarea, toast } from "@medusajs/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText, formatNumber } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { InputField } from "../../../../components/fields"
import { FormDrawer } from "../../../../components/form-drawer"
import { SectionHeader } from "../../../../components/section-header"
import { useAddSharedCodes, useSharedCodes, useWithdrawSharedCode } from "../../../../hooks/api/shared-codes"
import { sharedCodesInputOf } from "../../../../lib/shared-codes"
import { errorMessage } from "../../../../lib/utils"
import type { SharedCode } from "../../../../types"

/**
 * A reusable pool's shared codes (循环卡密): add codes with their sale limit (all or nothing; the API names the bad
 * lines), see each one's sales, unsold copies and what is left to sell, and withdraw one with a reason.
 */
export const SharedCodesSection = ({ poolId }: { poolId: string }) => {
  const { t, i18n } = useTranslation()
  const { data, isLoading, error, refetch } = useSharedCodes(poolId)
  const add = useAddSharedCodes(poolId)
  const withdraw = useWithdrawSharedCode(poolId)
  const [text, setText] = useState("")
  const [limit, setLimit] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const [target, setTarget] = useState<SharedCode | null>(null)
  const [reason, setReason] = useState("")
  const [withdrawProblem, setWithdrawProblem] = useState<string | null>(null)
  const n = (v: number | null) => (v === null ? t("virtualGoods.sharedCodes.unlimited") : formatNumber(v, i18n.language))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    const parsed = sharedCodesInputOf(text, limit)
    if ("problem" in parsed) return setProblem(t(parsed.problem.key))
    try {
      const result = await add.mutateAsync(parsed.input)
      setText("")
      toast.success(t("virtualGoods.sharedCodes.added", { added: result.added }))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  const confirmWithdraw = async (e: FormEvent) => {
    e.preventDefault()
    if (!target) return
    if (!reason.trim()) return setWithdrawProblem(t("virtualGoods.sharedCodes.reasonRequired"))
    try {
      const result = await withdraw.mutateAsync({ id: target.id, reason: reason.trim() })
      toast.success(t("virtualGoods.sharedCodes.withdrawn", { holders: result.holders }))
      setTarget(null)
      setReason("")
      setWithdrawProblem(null)
    } catch (err) {
      setWithdrawProblem(errorMessage(err))
    }
  }

  const columns: Column<SharedCode>[] = [
    { header: t("virtualGoods.sharedCodes.columns.code"), cell: (s) => <span className="font-mono">{s.mask}</span> },
    { header: t("virtualGoods.sharedCodes.columns.limit"), align: "right", col: "limit", cell: (s) => n(s.sale_limit) },
    { header: t("virtualGoods.sharedCodes.columns.sold"), align: "right", col: "sold", cell: (s) => n(s.sold) },
    { header: t("virtualGoods.sharedCodes.columns.available"), align: "right", col: "available", cell: (s) => n(s.available) },
    { header: t("virtualGoods.sharedCodes.columns.remaining"), align: "right", col: "remaining", cell: (s) => n(s.remaining) },
    {
      header: t("virtualGoods.sharedCodes.columns.status"),
      cell: (s) => (
        <Badge size="2xsmall" color={s.status === "active" ? "green" : "grey"} data-status={s.status} title={s.withdraw_reason ?? undefined}>
          {t(`virtualGoods.sharedCodes.status.${s.status}`)}
        </Badge>
      ),
    },
    {
      cell: (s) =>
        s.status === "active" && (
          <Button size="small" variant="secondary" onClick={() => setTarget(s)}>
            {t("virtualGoods.sharedCodes.withdraw")}
          </Button>
        ),
    },
  ]

  return (
    <Container className="divide-y p-0" data-testid="shared-codes">
      <SectionHeader title={t("virtualGoods.sharedCodes.title")} hint={t("virtualGoods.sharedCodes.hint")} />
      <form className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-4" onSubmit={submit}>
        <div className="flex flex-col gap-y-2 md:col-span-3">
          <Label htmlFor="vg-shared-codes">{t("virtualGoods.sharedCodes.codes")}</Label>
          <Textarea id="vg-shared-codes" rows={4} className="font-mono" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="flex flex-col justify-between gap-y-2">
          <InputField id="vg-shared-limit" label={t("virtualGoods.sharedCodes.limit")} inputMode="numeric" value={limit} onChange={(e) => setLimit(e.target.value)} />
          <Button size="small" type="submit" isLoading={add.isPending}>
            {t("virtualGoods.sharedCodes.add")}
          </Button>
        </div>
        {problem && <ErrorText className="md:col-span-4">{problem}</ErrorText>}
      </form>
      <DataTable
        columns={columns}
        rows={data?.shared_codes ?? []}
        rowKey={(s) => s.id}
        rowProps={(s) => ({ "data-shared-code": s.id })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !data.shared_codes.length && t("virtualGoods.sharedCodes.empty")}
      />
      <FormDrawer
        open={!!target}
        onOpenChange={(open) => !open && setTarget(null)}
        title={t("virtualGoods.sharedCodes.withdrawTitle")}
        onSubmit={confirmWithdraw}
        footer={
          <>
            <Button size="small" variant="secondary" type="button" onClick={() => setTarget(null)}>
              {t("virtualGoods.common.cancel")}
            </Button>
            <Button size="small" variant="danger" type="submit" isLoading={withdraw.isPending}>
              {t("virtualGoods.sharedCodes.withdraw")}
            </Button>
          </>
        }
      >
        <p className="txt-small text-ui-fg-subtle">{t("virtualGoods.sharedCodes.withdrawHint")}</p>
        <p className="font-mono">{target?.mask}</p>
        <div className="flex flex-col gap-y-2">
          <Label htmlFor="vg-withdraw-reason">{t("virtualGoods.sharedCodes.reason")}</Label>
          <Textarea id="vg-withdraw-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <ErrorText>{withdrawProblem}</ErrorText>
      </FormDrawer>
    </Container>
  )
}
