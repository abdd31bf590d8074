import { Badge, Button, Container, Switch, Label, Text, toast } from "@medusajs/ui"
import { type FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText } from "../../../../components/common"
import { InputField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { useUpdatePool } from "../../../../hooks/api/pools"
import { exampleLabel, pickSettingsOf, premiumPercentOf } from "../../../../lib/buyers-choice"
import { errorMessage } from "../../../../lib/utils"
import type { Pool } from "../../../../types"

/**
 * Buyer's choice (自选卡密): whether shoppers may pick a code of this pool, at what premium on the variant's price, and
 * what they see of each code (its first and last characters). Saving labels the pool's codes; the code itself is never
 * shown to shoppers.
 */
export const BuyersChoiceSection = ({ pool }: { pool: Pool }) => {
  const { t } = useTranslation()
  const save = useUpdatePool(pool.id)
  const [enabled, setEnabled] = useState(false)
  const [premium, setPremium] = useState("20")
  const [first, setFirst] = useState("0")
  const [last, setLast] = useState("4")
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => {
    setEnabled(pool.pick_premium_bp !== null && pool.pick_premium_bp !== undefined)
    setPremium(pool.pick_premium_bp != null ? premiumPercentOf(pool.pick_premium_bp) : "20")
    setFirst(String(pool.pick_show_first ?? 0))
    setLast(String(pool.pick_show_last ?? 4))
  }, [pool.pick_premium_bp, pool.pick_show_first, pool.pick_show_last])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    const parsed = pickSettingsOf({ premium, show_first: first, show_last: last }, enabled)
    if ("problem" in parsed) return setProblem(t(parsed.problem))
    try {
      await save.mutateAsync(parsed.input)
      toast.success(t("virtualGoods.common.saved"))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  const on = pool.pick_premium_bp !== null && pool.pick_premium_bp !== undefined
  return (
    <Container className="divide-y p-0" data-testid="buyers-choice">
      <SectionHeader
        title={t("virtualGoods.buyersChoice.title")}
        hint={t("virtualGoods.buyersChoice.hint")}
        actions={
          <Badge size="2xsmall" color={on ? "green" : "grey"} data-status={on ? "on" : "off"}>
            {on ? t("virtualGoods.buyersChoice.on", { premium: premiumPercentOf(pool.pick_premium_bp!) }) : t("virtualGoods.buyersChoice.off")}
          </Badge>
        }
      />
      <form className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-4" onSubmit={submit}>
        <div className="flex items-center gap-x-2 md:col-span-4">
          <Switch id="vg-pick-enabled" checked={enabled} onCheckedChange={setEnabled} />
          <Label htmlFor="vg-pick-enabled">{t("virtualGoods.buyersChoice.enabled")}</Label>
        </div>
        <InputField id="vg-pick-premium" label={t("virtualGoods.buyersChoice.premium")} inputMode="decimal" value={premium} disabled={!enabled} onChange={(e) => setPremium(e.target.value)} />
        <InputField id="vg-pick-first" label={t("virtualGoods.buyersChoice.showFirst")} inputMode="numeric" value={first} disabled={!enabled} onChange={(e) => setFirst(e.target.value)} />
        <InputField id="vg-pick-last" label={t("virtualGoods.buyersChoice.showLast")} inputMode="numeric" value={last} disabled={!enabled} onChange={(e) => setLast(e.target.value)} />
        <div className="flex flex-col justify-end gap-y-1">
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.buyersChoice.example")}
          </Text>
          <Text size="small" className="font-mono" data-testid="buyers-choice-example">
            {exampleLabel(Number(first) || 0, Number(last) || 0)}
          </Text>
        </div>
        <div className="flex items-center gap-x-4 md:col-span-4">
          <Button size="small" type="submit" isLoading={save.isPending}>
            {t("virtualGoods.common.save")}
          </Button>
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.buyersChoice.safety")}
          </Text>
        </div>
        {problem && <ErrorText className="md:col-span-4">{problem}</ErrorText>}
      </form>
    </Container>
  )
}
