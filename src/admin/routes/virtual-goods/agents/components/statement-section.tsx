import { Container, Text } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { LoadError, Loading, formatDate } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { InputField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { agentStatementCsvUrl, useAgentStatement } from "../../../../hooks/api/agents"
import { LEDGER_KINDS, type Agent, type Statement } from "../../../../types"
import { CurrencySelect } from "./currency-select"
import { noteOrReference } from "./ledger-section"

const DAY = 86_400_000
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s)

/** The statement (对账单) of a period: opening and closing balance, totals by kind, the entries; also as CSV. */
export const StatementSection = ({ agent }: { agent: Agent }) => {
  const { t, i18n } = useTranslation()
  const [currency, setCurrency] = useState(agent.accounts[0]?.currency_code ?? "")
  const [from, setFrom] = useState(() => utcDay(Date.now() - 30 * DAY))
  const [to, setTo] = useState(() => utcDay(Date.now()))
  const query = { currency_code: currency, from, to }
  const ready = !!currency && isDay(from) && isDay(to)
  const { data, isLoading, error, refetch } = useAgentStatement(agent.id, query, ready)
  const s = data?.statement
  const cur = (s?.currency_code ?? currency).toUpperCase()
  const columns: Column<Statement["entries"][number]>[] = [
    { header: t("virtualGoods.agentDetail.columns.when"), cell: (e) => formatDate(e.created_at, i18n.language) },
    { header: t("virtualGoods.agentDetail.columns.kind"), cell: (e) => t(`virtualGoods.agentDetail.kind.${e.kind}`, { defaultValue: e.kind }) },
    { header: t("virtualGoods.agentDetail.columns.amount"), align: "right", cell: (e) => e.amount },
    { header: t("virtualGoods.agentDetail.columns.balanceAfter"), align: "right", cell: (e) => e.balance_after },
    { header: t("virtualGoods.agentDetail.columns.note"), cell: noteOrReference },
  ]
  return (
    <Container className="divide-y p-0" data-testid="agent-statement">
      <SectionHeader
        className="flex flex-wrap items-end justify-between gap-4 px-6 py-4"
        title={t("virtualGoods.agentDetail.statement")}
        hint={t("virtualGoods.agentDetail.statementHint")}
        actions={
          <div className="flex flex-wrap items-end gap-2">
            {agent.accounts.length > 1 && <CurrencySelect agent={agent} value={currency} onChange={setCurrency} />}
            <InputField
              id="vg-statement-from"
              className="flex flex-col gap-y-1"
              labelSize="xsmall"
              label={t("virtualGoods.agentDetail.from")}
              size="small"
              type="date"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
            <InputField
              id="vg-statement-to"
              className="flex flex-col gap-y-1"
              labelSize="xsmall"
              label={t("virtualGoods.agentDetail.to")}
              size="small"
              type="date"
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
            {ready && (
              <a className="txt-small pb-1.5 text-ui-fg-interactive hover:underline" href={agentStatementCsvUrl(agent.id, query)} download>
                {t("virtualGoods.agentDetail.downloadCsv")}
              </a>
            )}
          </div>
        }
      />
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {s && (
        <>
          <div className="flex flex-wrap gap-x-8 gap-y-3 px-6 py-4">
            <Amount label={`${t("virtualGoods.agentDetail.opening")} (${cur})`} attr={{ "data-col": "opening" }} value={s.opening_balance} />
            {LEDGER_KINDS.filter((k) => s.totals[k] !== undefined).map((k) => (
              <Amount key={k} label={`${t(`virtualGoods.agentDetail.kind.${k}`)} (${cur})`} attr={{ "data-total": k }} value={s.totals[k]} />
            ))}
            <Amount label={`${t("virtualGoods.agentDetail.closing")} (${cur})`} attr={{ "data-col": "closing" }} value={s.closing_balance} />
          </div>
          <Text size="small" className="px-6 py-3 text-ui-fg-subtle">
            {t("virtualGoods.agentDetail.entries", { count: s.entries.length })}
          </Text>
          <DataTable columns={columns} rows={s.entries} rowKey={(e) => e.id} rowProps={(e) => ({ "data-statement-entry": e.kind })} />
        </>
      )}
    </Container>
  )
}

/** A labelled amount; the element with `attr` holds the bare amount. */
const Amount = ({ label, value, attr }: { label: string; value: string; attr: Record<string, string> }) => (
  <div className="flex flex-col">
    <Text size="xsmall" className="text-ui-fg-subtle">
      {label}
    </Text>
    <Text size="large" weight="plus" {...attr}>
      {value}
    </Text>
  </div>
)
