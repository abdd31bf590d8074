import { Button, Label, Textarea, toast } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText } from "../../../../components/common"
import { InputField, SelectField } from "../../../../components/fields"
import { FormDrawer } from "../../../../components/form-drawer"
import { useCreateRiskRule } from "../../../../hooks/api/risk"
import { errorMessage } from "../../../../lib/utils"
import type { RiskRule } from "../../../../types"

const KINDS = ["velocity", "order_amount", "order_quantity", "first_purchase", "list"] as const
const KEYS = ["ip", "email", "email_domain", "customer", "agent", "device"] as const

type Draft = { name: string; kind: RiskRule["kind"]; key: string; measure: string; window_seconds: string; threshold: string; list_type: string; values: string; action: string; applies_to: string }
const EMPTY: Draft = { name: "", kind: "velocity", key: "ip", measure: "count", window_seconds: "600", threshold: "", list_type: "block", values: "", action: "review", applies_to: "all" }

/** The API body of a draft: only the fields its kind uses. */
const ruleBody = (d: Draft) => {
  const body: Record<string, unknown> = { name: d.name.trim(), kind: d.kind, action: d.action, applies_to: d.applies_to }
  if (d.kind === "velocity" || d.kind === "list") body.key = d.key
  if (d.kind === "velocity" || d.kind === "first_purchase") body.measure = d.kind === "first_purchase" && d.measure === "count" ? "quantity" : d.measure
  if (d.kind === "velocity") body.window_seconds = Number(d.window_seconds)
  if (d.kind !== "list") body.threshold = d.threshold === "" ? undefined : Number(d.threshold)
  if (d.kind === "list") {
    body.list_type = d.list_type
    body.values = d.values
      .split(/[\n,]/)
      .map((v) => v.trim())
      .filter(Boolean)
  }
  return body
}

/** A new rule: its kind decides which fields it asks for (key, measure, window, threshold, or a list of values). */
export const CreateRuleDrawer = () => {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [d, setD] = useState<Draft>(EMPTY)
  const set = (k: keyof Draft) => (v: string) => setD((x) => ({ ...x, [k]: v }))
  const create = useCreateRiskRule()
  const submit = () =>
    create.mutate(ruleBody(d), {
      onSuccess: () => {
        toast.success(t("virtualGoods.risk.created", { name: d.name.trim() }))
        setOpen(false)
        setD(EMPTY)
      },
    })
  const choose = <V extends string>(label: string, value: V, onChange: (v: V) => void, options: readonly V[], prefix: string) => (
    <SelectField className="flex flex-col gap-y-1" label={label} value={value} onChange={onChange} options={options.map((o) => ({ value: o, label: t(`${prefix}.${o}`) }))} />
  )
  return (
    <FormDrawer
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button size="small" variant="secondary">
          {t("virtualGoods.risk.create")}
        </Button>
      }
      title={t("virtualGoods.risk.createTitle")}
      bodyClassName="flex flex-col gap-y-3 overflow-y-auto"
      footer={
        <>
          <Button variant="secondary" onClick={() => setOpen(false)}>
            {t("virtualGoods.common.cancel")}
          </Button>
          <Button disabled={!d.name.trim()} isLoading={create.isPending} onClick={submit}>
            {t("virtualGoods.risk.create")}
          </Button>
        </>
      }
    >
      <InputField id="risk-rule-name" className="flex flex-col gap-y-1" label={t("virtualGoods.risk.fields.name")} value={d.name} onChange={(e) => set("name")(e.target.value)} />
      {choose(t("virtualGoods.risk.fields.kind"), d.kind, (kind) => setD((x) => ({ ...x, kind })), KINDS, "virtualGoods.risk.kind")}
      {(d.kind === "velocity" || d.kind === "list") && choose(t("virtualGoods.risk.fields.key"), d.key, set("key"), KEYS, "virtualGoods.risk.key")}
      {(d.kind === "velocity" || d.kind === "first_purchase") &&
        choose(t("virtualGoods.risk.fields.measure"), d.measure, set("measure"), d.kind === "velocity" ? ["count", "amount", "quantity"] : ["amount", "quantity"], "virtualGoods.risk.measure")}
      {d.kind === "velocity" && (
        <InputField
          id="risk-rule-window"
          className="flex flex-col gap-y-1"
          label={t("virtualGoods.risk.fields.window")}
          type="number"
          min={1}
          value={d.window_seconds}
          onChange={(e) => set("window_seconds")(e.target.value)}
        />
      )}
      {d.kind !== "list" && (
        <InputField
          id="risk-rule-threshold"
          className="flex flex-col gap-y-1"
          label={t("virtualGoods.risk.fields.threshold")}
          type="number"
          min={0}
          value={d.threshold}
          onChange={(e) => set("threshold")(e.target.value)}
        />
      )}
      {d.kind === "list" && (
        <>
          {choose(t("virtualGoods.risk.fields.listType"), d.list_type, set("list_type"), ["block", "allow"], "virtualGoods.risk.listType")}
          <div className="flex flex-col gap-y-1">
            <Label htmlFor="risk-rule-values">{t("virtualGoods.risk.fields.values")}</Label>
            <Textarea id="risk-rule-values" value={d.values} onChange={(e) => set("values")(e.target.value)} />
          </div>
        </>
      )}
      {d.kind !== "list" && choose(t("virtualGoods.risk.fields.action"), d.action, set("action"), ["review", "block"], "virtualGoods.risk.action")}
      {choose(t("virtualGoods.risk.fields.appliesTo"), d.applies_to, set("applies_to"), ["all", "store", "wholesale"], "virtualGoods.risk.appliesTo")}
      {create.error && <ErrorText>{errorMessage(create.error)}</ErrorText>}
    </FormDrawer>
  )
}
