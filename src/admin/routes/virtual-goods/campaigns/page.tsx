import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Badge, Button, Container, toast } from "@medusajs/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { ErrorText, linkClass } from "../../../components/common"
import { DataTable, type Column } from "../../../components/data-table"
import { InputField, SelectField } from "../../../components/fields"
import { FormDrawer } from "../../../components/form-drawer"
import { SectionHeader } from "../../../components/section-header"
import { useCampaigns, useCreateCampaign, useUpdateCampaign } from "../../../hooks/api/campaigns"
import { usePools } from "../../../hooks/api/pools"
import { errorMessage } from "../../../lib/utils"
import type { Campaign, CampaignTrigger } from "../../../types"

/** A new campaign: a name, the pool its codes come from, what gives a code, and how many codes at most. */
const CreateCampaignDrawer = () => {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState("")
  const [poolId, setPoolId] = useState("")
  const [trigger, setTrigger] = useState<CampaignTrigger>("customer.created")
  const [budget, setBudget] = useState("100")
  const [problem, setProblem] = useState<string | null>(null)
  const { data: pools } = usePools("")
  const create = useCreateCampaign()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const count = Number(budget)
    if (!name.trim()) return setProblem(t("virtualGoods.campaigns.nameRequired"))
    if (!poolId) return setProblem(t("virtualGoods.campaigns.poolRequired"))
    if (!Number.isInteger(count) || count < 1) return setProblem(t("virtualGoods.campaigns.budgetInvalid"))
    try {
      const { campaign } = await create.mutateAsync({ name: name.trim(), pool_id: poolId, trigger, budget: count })
      toast.success(t("virtualGoods.campaigns.created", { name: campaign.name }))
      setOpen(false)
      setName("")
      setProblem(null)
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  return (
    <FormDrawer
      open={open}
      onOpenChange={setOpen}
      trigger={<Button size="small" variant="secondary">{t("virtualGoods.campaigns.create")}</Button>}
      title={t("virtualGoods.campaigns.createTitle")}
      onSubmit={submit}
      footer={
        <>
          <Button size="small" variant="secondary" type="button" onClick={() => setOpen(false)}>
            {t("virtualGoods.common.cancel")}
          </Button>
          <Button size="small" type="submit" isLoading={create.isPending}>
            {t("virtualGoods.common.save")}
          </Button>
        </>
      }
    >
      <InputField id="vg-campaign-name" label={t("virtualGoods.campaigns.name")} value={name} onChange={(e) => setName(e.target.value)} />
      <SelectField
        label={t("virtualGoods.campaigns.pool")}
        value={poolId}
        onChange={setPoolId}
        options={(pools?.card_pools ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.stock.available})` }))}
      />
      <SelectField
        label={t("virtualGoods.campaigns.trigger")}
        value={trigger}
        onChange={setTrigger}
        options={[
          { value: "customer.created", label: t("virtualGoods.campaigns.triggers.customer.created") },
          { value: "order.placed", label: t("virtualGoods.campaigns.triggers.order.placed") },
        ]}
      />
      <InputField id="vg-campaign-budget" label={t("virtualGoods.campaigns.budget")} inputMode="numeric" value={budget} onChange={(e) => setBudget(e.target.value)} />
      <ErrorText>{problem}</ErrorText>
    </FormDrawer>
  )
}

/** Campaigns that give codes (营销): what each gave, how many were opened and redeemed, the budget left; pause or resume. */
const CampaignsPage = () => {
  const { t } = useTranslation()
  const { data, isLoading, error, refetch } = useCampaigns()
  const update = useUpdateCampaign()
  const { data: pools } = usePools("")
  const poolName = new Map((pools?.card_pools ?? []).map((p) => [p.id, p.name]))
  const toggle = async (c: Campaign) => {
    try {
      await update.mutateAsync({ id: c.id, status: c.status === "active" ? "paused" : "active" })
    } catch (err) {
      toast.error(errorMessage(err))
    }
  }
  const columns: Column<Campaign>[] = [
    { header: t("virtualGoods.campaigns.columns.name"), cell: (c) => c.name },
    {
      header: t("virtualGoods.campaigns.columns.pool"),
      cell: (c) => (
        <Link className={linkClass} to={`/virtual-goods/${c.pool_id}`}>
          {poolName.get(c.pool_id) ?? c.pool_id}
        </Link>
      ),
    },
    { header: t("virtualGoods.campaigns.columns.trigger"), cell: (c) => t(`virtualGoods.campaigns.triggers.${c.trigger}`) },
    {
      header: t("virtualGoods.campaigns.columns.status"),
      cell: (c) => (
        <Badge size="2xsmall" color={c.status === "active" ? "green" : "grey"} data-status={c.status}>
          {t(`virtualGoods.campaigns.status.${c.status}`)}
        </Badge>
      ),
    },
    { header: t("virtualGoods.campaigns.columns.issued"), align: "right", col: "issued", cell: (c) => `${c.report.issued} / ${c.budget}` },
    { header: t("virtualGoods.campaigns.columns.revealed"), align: "right", col: "revealed", cell: (c) => c.report.revealed },
    { header: t("virtualGoods.campaigns.columns.redeemed"), align: "right", col: "redeemed", cell: (c) => c.report.redeemed },
    {
      cell: (c) => (
        <div className="flex justify-end">
          <Button size="small" variant="transparent" onClick={() => toggle(c)}>
            {t(c.status === "active" ? "virtualGoods.campaigns.pause" : "virtualGoods.campaigns.resume")}
          </Button>
        </div>
      ),
    },
  ]
  return (
    <Container className="divide-y p-0">
      <SectionHeader level="h1" title={t("virtualGoods.campaigns.title")} hint={t("virtualGoods.campaigns.subtitle")} actions={<CreateCampaignDrawer />} />
      <DataTable
        testId="campaigns-table"
        columns={columns}
        rows={data?.campaigns ?? []}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ "data-campaign": c.id })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !data.campaigns.length && t("virtualGoods.campaigns.empty")}
        emptyCentered
      />
    </Container>
  )
}

export const config = defineRouteConfig({ label: "virtualGoods.campaigns.menu", translationNs: "translation" })

export default CampaignsPage
