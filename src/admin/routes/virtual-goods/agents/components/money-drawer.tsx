import { Button, Text, toast } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText, formatAmount } from "../../../../components/common"
import { InputField } from "../../../../components/fields"
import { FormDrawer } from "../../../../components/form-drawer"
import { usePostMoney } from "../../../../hooks/api/agents"
import { errorMessage } from "../../../../lib/utils"
import type { Agent } from "../../../../types"
import { CurrencySelect } from "./currency-select"

type Props = {
  agent: Agent | null
  kind: "topup" | "adjustment" | null
  onClose: () => void
  /** The toast once posted, given the agent as it is now and its new balance ("250.5 CNY"). */
  postedMessage?: (agent: Agent, balance: string) => string
}

/**
 * A top-up (positive, optional note) or an adjustment (signed, reason required) of an agent's balance, on the agents
 * list and on the agent's page; a refusal (insufficient funds…) is shown in the drawer.
 */
export const MoneyDrawer = ({ agent, kind, onClose, postedMessage }: Props) => {
  const { t } = useTranslation()
  const [picked, setPicked] = useState<string | null>(null)
  const [amount, setAmount] = useState("")
  const [note, setNote] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const post = usePostMoney()
  const currency = picked ?? agent?.accounts[0]?.currency_code ?? ""
  const adjusting = kind === "adjustment"
  const close = () => {
    setPicked(null)
    setAmount("")
    setNote("")
    setProblem(null)
    onClose()
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!agent || !kind) return
    setProblem(null)
    if (adjusting && note.trim().length < 3) return setProblem(t("virtualGoods.order.reasonTooShort"))
    try {
      const { agent: updated } = await post.mutateAsync({
        agentId: agent.id,
        kind,
        currency_code: currency,
        amount: amount.trim(),
        ...(note.trim() ? { note: note.trim() } : {}),
      })
      const account = updated.accounts.find((a) => a.currency_code === currency)
      const balance = account ? formatAmount(account.balance, currency) : "—"
      toast.success(postedMessage ? postedMessage(updated, balance) : t("virtualGoods.agentDetail.posted", { balance }))
      close()
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }
  return (
    <FormDrawer
      open={!!agent && !!kind}
      onOpenChange={(o) => !o && close()}
      onSubmit={submit}
      bodyClassName="flex flex-1 flex-col gap-y-4"
      title={agent ? t(adjusting ? "virtualGoods.agentDetail.adjustTitle" : "virtualGoods.agentDetail.topUpTitle", { name: agent.name }) : ""}
      footer={
        <>
          <Button size="small" variant="secondary" type="button" onClick={close}>
            {t("virtualGoods.common.cancel")}
          </Button>
          <Button size="small" type="submit" isLoading={post.isPending}>
            {t(adjusting ? "virtualGoods.agentDetail.adjust" : "virtualGoods.agents.topUp")}
          </Button>
        </>
      }
    >
      {adjusting && (
        <Text size="small" className="text-ui-fg-subtle">
          {t("virtualGoods.agentDetail.adjustHint")}
        </Text>
      )}
      {agent && agent.accounts.length > 1 && <CurrencySelect agent={agent} value={currency} onChange={setPicked} />}
      <InputField
        id="vg-money-amount"
        label={t("virtualGoods.agentDetail.amount", { currency: currency.toUpperCase() })}
        inputMode="decimal"
        placeholder={adjusting ? "-20" : ""}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
      />
      <InputField
        id="vg-money-note"
        label={t(adjusting ? "virtualGoods.agentDetail.reason" : "virtualGoods.agentDetail.note")}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <ErrorText>{problem}</ErrorText>
    </FormDrawer>
  )
}
