import { Button, Drawer, toast } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText } from "../../../../components/common"
import { InputField, SelectField } from "../../../../components/fields"
import { FormDrawer } from "../../../../components/form-drawer"
import { useCreateAgent } from "../../../../hooks/api/agents"
import { errorMessage } from "../../../../lib/utils"
import type { Agent } from "../../../../types"

/** Creates an agent: name, parent (none for a top-level agent), account currency, credit limit and tier. */
export const CreateAgentDrawer = ({ agents }: { agents: Agent[] }) => {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState("")
  const [parent, setParent] = useState("none")
  const [currency, setCurrency] = useState("cny")
  const [credit, setCredit] = useState("")
  const [tier, setTier] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const create = useCreateAgent()
  const submit = async () => {
    setProblem(null)
    try {
      const { agent } = await create.mutateAsync({
        name: name.trim(),
        currency_code: currency.trim(),
        ...(parent !== "none" ? { parent_id: parent } : {}),
        ...(credit.trim() ? { credit_limit: credit.trim() } : {}),
        ...(tier.trim() ? { customer_group_id: tier.trim() } : {}),
      })
      toast.success(t("virtualGoods.agents.created", { name: agent.name }))
      setOpen(false)
      setName("")
      setCredit("")
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }
  return (
    <FormDrawer
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button size="small" variant="secondary">
          {t("virtualGoods.agents.create")}
        </Button>
      }
      title={t("virtualGoods.agents.create")}
      footer={
        <>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              {t("virtualGoods.common.cancel")}
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={submit} isLoading={create.isPending}>
            {t("virtualGoods.common.save")}
          </Button>
        </>
      }
    >
      <InputField id="vg-agent-name" label={t("virtualGoods.agents.name")} value={name} onChange={(e) => setName(e.target.value)} />
      <SelectField
        label={t("virtualGoods.agents.parent")}
        value={parent}
        onChange={setParent}
        options={[{ value: "none", label: t("virtualGoods.agents.noParent") }, ...agents.map((a) => ({ value: a.id, label: a.name }))]}
      />
      <div className="grid grid-cols-2 gap-4">
        <InputField id="vg-agent-currency" label={t("virtualGoods.agents.currency")} maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} />
        <InputField id="vg-agent-credit" label={t("virtualGoods.agents.credit")} inputMode="decimal" value={credit} onChange={(e) => setCredit(e.target.value)} />
      </div>
      <InputField id="vg-agent-tier" label={t("virtualGoods.agents.tier")} placeholder="cusgroup_…" value={tier} onChange={(e) => setTier(e.target.value)} />
      <ErrorText>{problem}</ErrorText>
    </FormDrawer>
  )
}
