import { Button, Container, Input, Label } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText, formatDate } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { InputField, SelectField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { useAgentQuotas, useSetAgentQuota } from "../../../../hooks/api/agents"
import { usePools } from "../../../../hooks/api/pools"
import { errorMessage } from "../../../../lib/utils"
import { QUOTA_PERIODS, type Agent, type Quota, type QuotaPeriod } from "../../../../types"

/** How many codes of a variant the agent may buy, in all or per day, week or month, and how many it has used. */
export const QuotasSection = ({ agent }: { agent: Agent }) => {
  const { t, i18n } = useTranslation()
  const { data, isLoading, error, refetch } = useAgentQuotas(agent.id)
  // The variants a wholesale order can buy (those sold from a pool), offered as suggestions for the variant field.
  const { data: pools } = usePools("")
  const variants = (pools?.card_pools ?? []).flatMap((p) =>
    p.product_variant ? [{ id: p.product_variant.id, label: `${p.name} · ${p.product_variant.title}${p.product_variant.sku ? ` (${p.product_variant.sku})` : ""}` }] : []
  )
  const variantLabel = new Map(variants.map((v) => [v.id, v.label]))
  const [variantId, setVariantId] = useState("")
  const [limit, setLimit] = useState("")
  const [period, setPeriod] = useState<QuotaPeriod>("none")
  const [problem, setProblem] = useState<string | null>(null)
  const save = useSetAgentQuota(agent.id)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    try {
      await save.mutateAsync({ variant_id: variantId.trim(), limit: Number(limit), period })
      setVariantId("")
      setLimit("")
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }
  const columns: Column<Quota>[] = [
    {
      header: t("virtualGoods.agentDetail.columns.variant"),
      cell: (q) => (
        <>
          {variantLabel.get(q.variant_id) ?? ""} <span className="font-mono text-ui-fg-subtle">{q.variant_id}</span>
        </>
      ),
    },
    { header: t("virtualGoods.agentDetail.columns.limit"), align: "right", col: "limit", cell: (q) => q.quota_limit },
    {
      header: t("virtualGoods.agentDetail.columns.period"),
      col: "period",
      cell: (q) => (
        <>
          {t(`virtualGoods.agentDetail.period.${q.period}`)}
          {q.period !== "none" && q.period_start ? (
            <span className="text-ui-fg-subtle"> · {t("virtualGoods.agentDetail.since", { when: formatDate(q.period_start, i18n.language) })}</span>
          ) : null}
        </>
      ),
    },
    { header: t("virtualGoods.agentDetail.columns.used"), align: "right", col: "used", cell: (q) => q.used },
  ]
  return (
    <Container className="divide-y p-0" data-testid="agent-quotas">
      <SectionHeader title={t("virtualGoods.agentDetail.quotas")} hint={t("virtualGoods.agentDetail.quotasHint")} />
      <DataTable
        columns={columns}
        rows={data?.quotas ?? []}
        rowKey={(q) => q.id}
        rowProps={(q) => ({ "data-quota": q.variant_id })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
      />
      <form className="flex flex-wrap items-end gap-4 px-6 py-4" onSubmit={submit}>
        <div className="flex min-w-72 flex-1 flex-col gap-y-2">
          <Label htmlFor="vg-quota-variant">{t("virtualGoods.agentDetail.columns.variant")}</Label>
          <Input id="vg-quota-variant" list="vg-quota-variants" placeholder="variant_…" value={variantId} onChange={(e) => setVariantId(e.target.value)} />
          <datalist id="vg-quota-variants">
            {variants.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </datalist>
        </div>
        <InputField
          id="vg-quota-limit"
          className="flex w-32 flex-col gap-y-2"
          label={t("virtualGoods.agentDetail.columns.limit")}
          type="number"
          min={0}
          value={limit}
          onChange={(e) => setLimit(e.target.value)}
        />
        <SelectField
          className="flex w-40 flex-col gap-y-2"
          label={t("virtualGoods.agentDetail.columns.period")}
          value={period}
          onChange={setPeriod}
          options={QUOTA_PERIODS.map((p) => ({ value: p, label: t(`virtualGoods.agentDetail.period.${p}`) }))}
        />
        <Button size="small" variant="secondary" type="submit" isLoading={save.isPending} disabled={!variantId.trim() || !/^\d+$/.test(limit.trim())}>
          {t("virtualGoods.agentDetail.setQuota")}
        </Button>
        <ErrorText className="w-full">{problem}</ErrorText>
      </form>
    </Container>
  )
}
