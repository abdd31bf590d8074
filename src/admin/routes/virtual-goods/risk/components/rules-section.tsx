import { Badge, Button, Container, Switch, toast } from "@medusajs/ui"
import type { TFunction } from "i18next"
import { useTranslation } from "react-i18next"
import { DataTable, type Column } from "../../../../components/data-table"
import { SectionHeader } from "../../../../components/section-header"
import { useDeleteRiskRule, useRiskRules, useToggleRiskRule } from "../../../../hooks/api/risk"
import { errorMessage } from "../../../../lib/utils"
import type { RiskRule } from "../../../../types"
import { CreateRuleDrawer } from "./create-rule-drawer"

/** A rule's condition in words ("more than 1 codes in one order"). */
const describeRule = (r: RiskRule, t: TFunction) => {
  switch (r.kind) {
    case "velocity":
      return t("virtualGoods.risk.describe.velocity", { measure: t(`virtualGoods.risk.measure.${r.measure}`), key: r.key, window: r.window_seconds, threshold: r.threshold })
    case "order_amount":
    case "order_quantity":
      return t(`virtualGoods.risk.describe.${r.kind}`, { threshold: r.threshold })
    case "first_purchase":
      return t("virtualGoods.risk.describe.first_purchase", { measure: t(`virtualGoods.risk.measure.${r.measure}`), threshold: r.threshold })
    case "list":
      return t(`virtualGoods.risk.describe.${r.list_type === "allow" ? "allow" : "block"}`, { key: r.key, values: (r.values ?? []).join(", ") })
  }
}

/** The rules, each switched on or off and deleted in place; a new one from the drawer. */
export const RulesSection = () => {
  const { t } = useTranslation()
  const { data, isLoading, error, refetch } = useRiskRules()
  const onError = (e: Error) => toast.error(errorMessage(e))
  const toggle = useToggleRiskRule()
  const remove = useDeleteRiskRule()
  const rules = data?.risk_rules ?? []
  const columns: Column<RiskRule>[] = [
    { header: t("virtualGoods.risk.columns.rule"), cell: (r) => r.name },
    { header: t("virtualGoods.risk.columns.condition"), col: "condition", cell: (r) => describeRule(r, t) },
    {
      header: t("virtualGoods.risk.columns.action"),
      cell: (r) => (
        <Badge size="2xsmall" color={r.kind === "list" && r.list_type === "allow" ? "green" : r.action === "block" ? "red" : "orange"}>
          {r.kind === "list" && r.list_type === "allow" ? t("virtualGoods.risk.action.allow") : t(`virtualGoods.risk.action.${r.kind === "list" ? "block" : r.action}`)}
        </Badge>
      ),
    },
    { header: t("virtualGoods.risk.columns.appliesTo"), cell: (r) => t(`virtualGoods.risk.appliesTo.${r.applies_to}`) },
    {
      header: t("virtualGoods.risk.columns.enabled"),
      cell: (r) => <Switch checked={r.enabled} aria-label={t("virtualGoods.risk.columns.enabled")} onCheckedChange={() => toggle.mutate(r, { onError })} />,
    },
    {
      className: "text-right",
      cell: (r) => (
        <Button size="small" variant="transparent" onClick={() => remove.mutate(r, { onError })}>
          {t("virtualGoods.risk.delete")}
        </Button>
      ),
    },
  ]
  return (
    <Container className="divide-y p-0">
      <SectionHeader title={t("virtualGoods.risk.rulesTitle")} hint={t("virtualGoods.risk.rulesSubtitle")} actions={<CreateRuleDrawer />} />
      <DataTable
        testId="risk-rules"
        columns={columns}
        rows={rules}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ "data-rule": r.name })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !rules.length && t("virtualGoods.risk.rulesEmpty")}
        emptyCentered
      />
    </Container>
  )
}
