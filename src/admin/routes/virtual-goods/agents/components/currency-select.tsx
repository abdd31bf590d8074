import { useTranslation } from "react-i18next"
import { SelectField } from "../../../../components/fields"
import type { Agent } from "../../../../types"

/** Which of the agent's accounts (one per currency) a form applies to; shown when it has more than one. */
export const CurrencySelect = ({ agent, value, onChange }: { agent: Agent; value: string; onChange: (v: string) => void }) => {
  const { t } = useTranslation()
  return (
    <SelectField
      label={t("virtualGoods.agents.currency")}
      size="small"
      className="flex w-28 flex-col gap-y-2"
      value={value}
      onChange={onChange}
      options={agent.accounts.map((a) => ({ value: a.currency_code, label: a.currency_code.toUpperCase() }))}
    />
  )
}
