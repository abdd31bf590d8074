import { Badge, Button, Container, Copy, Drawer, Heading, Input, Label, Select, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { FormEvent, ReactNode, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link, useParams } from "react-router-dom"
import { DetailState, ErrorText, LoadError, Loading, Pager, formatDate } from "../../../../components/common"
import { errorMessage, PAGE_SIZE, usePools } from "../../../../lib/api"
import { sdk } from "../../../../lib/sdk"

type Account = { account_id: string; currency_code: string; balance: string; credit_limit: string; available: string }
type Agent = {
  id: string
  name: string
  parent_id: string | null
  customer_group_id: string | null
  status: "active" | "frozen"
  webhook_url: string | null
  created_at: string
  customer: { id: string; email: string | null } | null
  accounts: Account[]
}
type LedgerEntry = {
  id: string
  kind: string
  amount: string | number
  currency_code: string
  reference_type: string | null
  reference_id: string | null
  note: string | null
  actor_type: string
  actor_id: string | null
  created_at: string
}
type Statement = {
  currency_code: string
  opening_balance: string
  closing_balance: string
  totals: Record<string, string>
  entries: (LedgerEntry & { balance_after: string })[]
}
type Quota = { id: string; variant_id: string; quota_limit: number; period: (typeof PERIODS)[number]; used: number; period_start: string | null }
type AgentOrder = {
  id: string
  idempotency_key: string
  order_id: string | null
  display_id: number | null
  currency_code: string
  total: string
  items: { variant_id: string; quantity: number; unit_price: string; title: string | null; product_title: string | null }[]
  created_at: string
  bookkeeping: { status: "pending" | "done" | null; attempts: number; error: string | null; lag_seconds: number | null }
}
type Delivery = {
  id: string
  event: string
  status: (typeof DELIVERY_STATUSES)[number]
  attempts: number
  next_attempt_at: string | null
  last_status: number | null
  last_error: string | null
  delivered_at: string | null
  created_at: string
  payload: { order_id?: string; display_id?: number | null } | null
}
type PriceList = { id: string; title: string; status: string; rules?: Record<string, string | string[]> }

const BASE = "/admin/virtual-goods/agents"
const KINDS = ["topup", "adjustment", "purchase", "commission", "refund"] as const
const PERIODS = ["none", "day", "week", "month"] as const
const DELIVERY_STATUSES = ["pending", "delivered", "dead"] as const
const DELIVERY_COLOR = { pending: "orange", delivered: "green", dead: "red" } as const
const GROUP_RULE = "customer.groups.id"
const DAY = 86_400_000
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const money = (amount: string | number, currency: string) => `${amount} ${currency.toUpperCase()}`
const linkClass = "text-ui-fg-interactive hover:underline"
const agentKey = (id: string) => ["virtual-goods", "agent", id] as const

/**
 * One agent: status (freeze behind a confirmation), parent, sub-agents, tier and its price lists, accounts and credit
 * limit; the ledger with top-ups and signed adjustments; the statement (对账单) of a period, also as CSV; quotas;
 * wholesale orders; the webhook (secret shown once) and its deliveries, dead ones replayed.
 */
const AgentPage = () => {
  const { id } = useParams()
  const { t } = useTranslation()
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: agentKey(id!),
    queryFn: () => sdk.client.fetch<{ agent: Agent }>(`${BASE}/${id}`),
  })
  const agent = data?.agent

  return (
    <div className="flex flex-col gap-y-3">
      <Link to="/virtual-goods/agents" className="txt-small text-ui-fg-subtle hover:text-ui-fg-base">
        {t("virtualGoods.agentDetail.back")}
      </Link>
      <DetailState isLoading={isLoading} error={error} notFound={t("virtualGoods.agentDetail.notFound")} onRetry={() => refetch()} />
      {agent && (
        <>
          <Summary agent={agent} />
          <LedgerSection agent={agent} />
          <StatementSection agent={agent} />
          <QuotasSection agent={agent} />
          <OrdersSection agent={agent} />
          <WebhookSection agent={agent} />
        </>
      )}
    </div>
  )
}

/** A label and its value in the summary. */
const Field = ({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) => (
  <div className="flex flex-col gap-y-1" data-testid={testId}>
    <Text size="xsmall" className="text-ui-fg-subtle">
      {label}
    </Text>
    <div className="txt-small">{children}</div>
  </div>
)

const Summary = ({ agent }: { agent: Agent }) => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const prompt = usePrompt()
  const { data: all } = useQuery({
    queryKey: ["virtual-goods", "agents"],
    queryFn: () => sdk.client.fetch<{ agents: Agent[] }>(BASE),
  })
  const parent = all?.agents.find((a) => a.id === agent.parent_id)
  const children = (all?.agents ?? []).filter((a) => a.parent_id === agent.id)
  const update = useMutation({
    mutationFn: (body: Record<string, unknown>) => sdk.client.fetch<{ agent: Agent }>(`${BASE}/${agent.id}`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["virtual-goods"] }),
  })
  const [currency, setCurrency] = useState(agent.accounts[0]?.currency_code ?? "")
  const account = agent.accounts.find((a) => a.currency_code === currency)
  const [credit, setCredit] = useState(account?.credit_limit ?? "")
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => setCredit(account?.credit_limit ?? ""), [account?.credit_limit])

  const toggleFrozen = async () => {
    const freezing = agent.status === "active"
    const ok = await prompt({
      title: t("virtualGoods.agentDetail.freezeTitle", { name: agent.name, action: t(freezing ? "virtualGoods.agentDetail.freeze" : "virtualGoods.agentDetail.unfreeze") }),
      description: t(freezing ? "virtualGoods.agentDetail.freezeHint" : "virtualGoods.agentDetail.unfreezeHint", { name: agent.name }),
      confirmText: t(freezing ? "virtualGoods.agentDetail.freeze" : "virtualGoods.agentDetail.unfreeze"),
      cancelText: t("virtualGoods.common.cancel"),
    })
    if (!ok) return
    try {
      await update.mutateAsync({ status: freezing ? "frozen" : "active" })
    } catch (e) {
      toast.error(errorMessage(e))
    }
  }

  const saveCredit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    try {
      await update.mutateAsync({ credit_limit: credit.trim(), currency_code: currency })
      toast.success(t("virtualGoods.common.saved"))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  return (
    <Container className="divide-y p-0" data-testid="agent-summary">
      <div className="flex items-start justify-between gap-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <div className="flex items-center gap-x-2">
            <Heading level="h1">{agent.name}</Heading>
            <Badge size="2xsmall" color={agent.status === "active" ? "green" : "red"} data-status={agent.status}>
              {t(`virtualGoods.agentDetail.status.${agent.status}`, { defaultValue: agent.status })}
            </Badge>
          </div>
          <Text size="small" className="font-mono text-ui-fg-subtle">
            {agent.id}
          </Text>
        </div>
        <Button size="small" variant={agent.status === "active" ? "danger" : "secondary"} onClick={toggleFrozen}>
          {t(agent.status === "active" ? "virtualGoods.agentDetail.freeze" : "virtualGoods.agentDetail.unfreeze")}
        </Button>
      </div>
      <div className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-3">
        <Field label={t("virtualGoods.agentDetail.parent")} testId="agent-parent">
          {agent.parent_id ? (
            <Link className={linkClass} to={`/virtual-goods/agents/${agent.parent_id}`}>
              {parent?.name ?? agent.parent_id}
            </Link>
          ) : (
            t("virtualGoods.agentDetail.topLevel")
          )}
        </Field>
        <Field label={t("virtualGoods.agentDetail.subAgents")} testId="agent-children">
          {children.length ? (
            <span className="flex flex-wrap gap-x-3">
              {children.map((c) => (
                <Link key={c.id} className={linkClass} to={`/virtual-goods/agents/${c.id}`}>
                  {c.name}
                </Link>
              ))}
            </span>
          ) : (
            t("virtualGoods.common.none")
          )}
        </Field>
        <Field label={t("virtualGoods.agentDetail.customer")}>
          {agent.customer ? (
            <Link className={linkClass} to={`/customers/${agent.customer.id}`}>
              {agent.customer.email ?? agent.customer.id}
            </Link>
          ) : (
            t("virtualGoods.common.none")
          )}
        </Field>
        <div className="md:col-span-3">
          <Tier groupId={agent.customer_group_id} />
        </div>
      </div>
      {!!agent.accounts.length && (
        <Table data-testid="agent-accounts">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.agents.currency")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agents.columns.balance")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agents.columns.credit")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agents.columns.available")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {agent.accounts.map((a) => (
              <Table.Row key={a.account_id} data-currency={a.currency_code}>
                <Table.Cell>{a.currency_code.toUpperCase()}</Table.Cell>
                <Table.Cell className="text-right" data-col="balance">
                  {money(a.balance, a.currency_code)}
                </Table.Cell>
                <Table.Cell className="text-right" data-col="credit">
                  {money(a.credit_limit, a.currency_code)}
                </Table.Cell>
                <Table.Cell className="text-right" data-col="available">
                  {money(a.available, a.currency_code)}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {!!agent.accounts.length && (
        <form className="flex flex-wrap items-end gap-4 px-6 py-4" onSubmit={saveCredit}>
          {agent.accounts.length > 1 && <CurrencySelect agent={agent} value={currency} onChange={setCurrency} />}
          <div className="flex w-48 flex-col gap-y-2">
            <Label htmlFor="vg-agent-credit-limit">
              {t("virtualGoods.agents.credit")} ({currency.toUpperCase()})
            </Label>
            <Input id="vg-agent-credit-limit" inputMode="decimal" value={credit} onChange={(e) => setCredit(e.target.value)} />
          </div>
          <Button size="small" variant="secondary" type="submit" isLoading={update.isPending} disabled={!credit.trim() || credit.trim() === account?.credit_limit}>
            {t("virtualGoods.common.save")}
          </Button>
          <ErrorText className="w-full">{problem}</ErrorText>
        </form>
      )}
    </Container>
  )
}

const CurrencySelect = ({ agent, value, onChange }: { agent: Agent; value: string; onChange: (v: string) => void }) => {
  const { t } = useTranslation()
  return (
    <div className="flex w-28 flex-col gap-y-2">
      <Label>{t("virtualGoods.agents.currency")}</Label>
      <Select size="small" value={value} onValueChange={onChange}>
        <Select.Trigger aria-label={t("virtualGoods.agents.currency")}>
          <Select.Value />
        </Select.Trigger>
        <Select.Content>
          {agent.accounts.map((a) => (
            <Select.Item key={a.currency_code} value={a.currency_code}>
              {a.currency_code.toUpperCase()}
            </Select.Item>
          ))}
        </Select.Content>
      </Select>
    </div>
  )
}

/** The agent's tier (a Medusa customer group) and the price lists whose rules name it, linked to Medusa's own pages. */
const Tier = ({ groupId }: { groupId: string | null }) => {
  const { t } = useTranslation()
  const group = useQuery({
    queryKey: ["virtual-goods", "customer-group", groupId],
    enabled: !!groupId,
    queryFn: () => sdk.client.fetch<{ customer_group: { id: string; name: string } }>(`/admin/customer-groups/${groupId}`, { query: { fields: "id,name" } }),
  })
  const lists = useQuery({
    queryKey: ["virtual-goods", "tier-price-lists", groupId],
    enabled: !!groupId,
    queryFn: async () => {
      // Medusa's list does not filter by rule: every page is read, the lists whose customer-group rule names the tier kept.
      const found: PriceList[] = []
      for (let offset = 0; ; offset += 100) {
        const page = await sdk.client.fetch<{ price_lists: PriceList[]; count: number }>("/admin/price-lists", { query: { limit: 100, offset } })
        for (const pl of page.price_lists) {
          const groups = pl.rules?.[GROUP_RULE]
          if ((Array.isArray(groups) ? groups : groups ? [groups] : []).includes(groupId!)) found.push(pl)
        }
        if (offset + 100 >= page.count) return found
      }
    },
  })
  return (
    <Field label={t("virtualGoods.agentDetail.tier")} testId="agent-tier">
      {!groupId ? (
        t("virtualGoods.agentDetail.noTier")
      ) : (
        <span className="flex flex-wrap items-center gap-x-3">
          <Link className={linkClass} to={`/customer-groups/${groupId}`} data-tier>
            {group.data?.customer_group.name ?? groupId}
          </Link>
          <span className="text-ui-fg-subtle">·</span>
          {lists.error ? (
            <span className="text-ui-fg-error">{errorMessage(lists.error)}</span>
          ) : !lists.data ? (
            t("virtualGoods.common.loading")
          ) : !lists.data.length ? (
            <span className="text-ui-fg-subtle">{t("virtualGoods.agentDetail.noPriceList")}</span>
          ) : (
            lists.data.map((pl) => (
              <Link key={pl.id} className={linkClass} to={`/price-lists/${pl.id}`} data-price-list={pl.id}>
                {pl.title}
                {pl.status !== "active" ? ` (${pl.status})` : ""}
              </Link>
            ))
          )}
        </span>
      )}
    </Field>
  )
}

const LedgerSection = ({ agent }: { agent: Agent }) => {
  const { t, i18n } = useTranslation()
  const [offset, setOffset] = useState(0)
  const [dialog, setDialog] = useState<"topup" | "adjustment" | null>(null)
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: ["virtual-goods", "agent-ledger", agent.id, offset],
    queryFn: () => sdk.client.fetch<{ entries: LedgerEntry[]; count: number }>(`${BASE}/${agent.id}/ledger`, { query: { limit: PAGE_SIZE, offset } }),
    placeholderData: keepPreviousData,
  })
  return (
    <Container className="divide-y p-0" data-testid="agent-ledger">
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <div>
          <Heading level="h2">{t("virtualGoods.agentDetail.ledger")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.agentDetail.ledgerHint")}
          </Text>
        </div>
        <div className="flex gap-2">
          <Button size="small" variant="secondary" disabled={!agent.accounts.length} onClick={() => setDialog("topup")}>
            {t("virtualGoods.agents.topUp")}
          </Button>
          <Button size="small" variant="secondary" disabled={!agent.accounts.length} onClick={() => setDialog("adjustment")}>
            {t("virtualGoods.agentDetail.adjust")}
          </Button>
        </div>
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && !data.entries.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.agentDetail.noEntries")}</Text>}
      {data && !!data.entries.length && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.when")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.kind")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agentDetail.columns.amount")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.note")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.by")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.entries.map((e) => (
              <Table.Row key={e.id} data-entry={e.kind} data-id={e.id}>
                <Table.Cell>{formatDate(e.created_at, i18n.language)}</Table.Cell>
                <Table.Cell>{t(`virtualGoods.agentDetail.kind.${e.kind}`, { defaultValue: e.kind })}</Table.Cell>
                <Table.Cell className="text-right" data-col="amount">
                  {money(e.amount, e.currency_code)}
                </Table.Cell>
                <Table.Cell data-col="note">{noteOrReference(e)}</Table.Cell>
                <Table.Cell className="text-ui-fg-subtle">{e.actor_id ? `${e.actor_type} · ${e.actor_id}` : e.actor_type}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {data && <Pager offset={offset} count={data.count} onChange={setOffset} />}
      <MoneyDrawer agent={agent} kind={dialog} onClose={() => setDialog(null)} />
    </Container>
  )
}

/** An entry's note, else what it refers to (a wholesale order, the transaction a refund reverses). */
const noteOrReference = (e: Pick<LedgerEntry, "note" | "reference_type" | "reference_id">) =>
  e.note ?? (e.reference_type && e.reference_id ? `${e.reference_type} ${e.reference_id}` : "—")

/** A top-up (positive, optional note) or an adjustment (signed, reason required); a refusal is shown in the drawer. */
const MoneyDrawer = ({ agent, kind, onClose }: { agent: Agent; kind: "topup" | "adjustment" | null; onClose: () => void }) => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [currency, setCurrency] = useState(agent.accounts[0]?.currency_code ?? "")
  const [amount, setAmount] = useState("")
  const [note, setNote] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const adjusting = kind === "adjustment"
  const post = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      sdk.client.fetch<{ agent: Agent }>(`${BASE}/${agent.id}/${adjusting ? "adjustments" : "topups"}`, { method: "POST", body }),
  })
  const close = () => {
    setAmount("")
    setNote("")
    setProblem(null)
    onClose()
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    if (adjusting && note.trim().length < 3) return setProblem(t("virtualGoods.order.reasonTooShort"))
    try {
      const { agent: updated } = await post.mutateAsync({ currency_code: currency, amount: amount.trim(), ...(note.trim() ? { note: note.trim() } : {}) })
      const account = updated.accounts.find((a) => a.currency_code === currency)
      toast.success(t("virtualGoods.agentDetail.posted", { balance: account ? money(account.balance, currency) : "—" }))
      await qc.invalidateQueries({ queryKey: ["virtual-goods"] })
      close()
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }
  return (
    <Drawer open={!!kind} onOpenChange={(o) => !o && close()}>
      <Drawer.Content>
        <form className="flex h-full flex-col" onSubmit={submit}>
          <Drawer.Header>
            <Drawer.Title>{t(adjusting ? "virtualGoods.agentDetail.adjustTitle" : "virtualGoods.agentDetail.topUpTitle", { name: agent.name })}</Drawer.Title>
          </Drawer.Header>
          <Drawer.Body className="flex flex-1 flex-col gap-y-4">
            {adjusting && (
              <Text size="small" className="text-ui-fg-subtle">
                {t("virtualGoods.agentDetail.adjustHint")}
              </Text>
            )}
            {agent.accounts.length > 1 && <CurrencySelect agent={agent} value={currency} onChange={setCurrency} />}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="vg-money-amount">{t("virtualGoods.agentDetail.amount", { currency: currency.toUpperCase() })}</Label>
              <Input id="vg-money-amount" inputMode="decimal" placeholder={adjusting ? "-20" : ""} value={amount} onChange={(e) => setAmount(e.target.value)} />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="vg-money-note">{t(adjusting ? "virtualGoods.agentDetail.reason" : "virtualGoods.agentDetail.note")}</Label>
              <Input id="vg-money-note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            <ErrorText>{problem}</ErrorText>
          </Drawer.Body>
          <Drawer.Footer>
            <Button size="small" variant="secondary" type="button" onClick={close}>
              {t("virtualGoods.common.cancel")}
            </Button>
            <Button size="small" type="submit" isLoading={post.isPending}>
              {t(adjusting ? "virtualGoods.agentDetail.adjust" : "virtualGoods.agents.topUp")}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}

const StatementSection = ({ agent }: { agent: Agent }) => {
  const { t, i18n } = useTranslation()
  const [currency, setCurrency] = useState(agent.accounts[0]?.currency_code ?? "")
  const [from, setFrom] = useState(() => utcDay(Date.now() - 30 * DAY))
  const [to, setTo] = useState(() => utcDay(Date.now()))
  const query = { currency_code: currency, from, to }
  const ready = !!currency && /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to)
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: ["virtual-goods", "agent-statement", agent.id, query],
    enabled: ready,
    queryFn: () => sdk.client.fetch<{ statement: Statement }>(`${BASE}/${agent.id}/statement`, { query }),
    placeholderData: keepPreviousData,
    retry: false,
  })
  const s = data?.statement
  const cur = (s?.currency_code ?? currency).toUpperCase()
  return (
    <Container className="divide-y p-0" data-testid="agent-statement">
      <div className="flex flex-wrap items-end justify-between gap-4 px-6 py-4">
        <div>
          <Heading level="h2">{t("virtualGoods.agentDetail.statement")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.agentDetail.statementHint")}
          </Text>
        </div>
        <div className="flex flex-wrap items-end gap-2">
          {agent.accounts.length > 1 && <CurrencySelect agent={agent} value={currency} onChange={setCurrency} />}
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall" htmlFor="vg-statement-from">
              {t("virtualGoods.agentDetail.from")}
            </Label>
            <Input id="vg-statement-from" size="small" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall" htmlFor="vg-statement-to">
              {t("virtualGoods.agentDetail.to")}
            </Label>
            <Input id="vg-statement-to" size="small" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
          {ready && (
            <a className="txt-small pb-1.5 text-ui-fg-interactive hover:underline" href={`${BASE}/${agent.id}/statement?${new URLSearchParams({ ...query, format: "csv" })}`} download>
              {t("virtualGoods.agentDetail.downloadCsv")}
            </a>
          )}
        </div>
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {s && (
        <>
          <div className="flex flex-wrap gap-x-8 gap-y-3 px-6 py-4">
            <Amount label={`${t("virtualGoods.agentDetail.opening")} (${cur})`} attr={{ "data-col": "opening" }} value={s.opening_balance} />
            {KINDS.filter((k) => s.totals[k] !== undefined).map((k) => (
              <Amount key={k} label={`${t(`virtualGoods.agentDetail.kind.${k}`)} (${cur})`} attr={{ "data-total": k }} value={s.totals[k]} />
            ))}
            <Amount label={`${t("virtualGoods.agentDetail.closing")} (${cur})`} attr={{ "data-col": "closing" }} value={s.closing_balance} />
          </div>
          <Text size="small" className="px-6 py-3 text-ui-fg-subtle">
            {t("virtualGoods.agentDetail.entries", { count: s.entries.length })}
          </Text>
          {!!s.entries.length && (
            <Table>
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.when")}</Table.HeaderCell>
                  <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.kind")}</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">{t("virtualGoods.agentDetail.columns.amount")}</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">{t("virtualGoods.agentDetail.columns.balanceAfter")}</Table.HeaderCell>
                  <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.note")}</Table.HeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {s.entries.map((e) => (
                  <Table.Row key={e.id} data-statement-entry={e.kind}>
                    <Table.Cell>{formatDate(e.created_at, i18n.language)}</Table.Cell>
                    <Table.Cell>{t(`virtualGoods.agentDetail.kind.${e.kind}`, { defaultValue: e.kind })}</Table.Cell>
                    <Table.Cell className="text-right">{e.amount}</Table.Cell>
                    <Table.Cell className="text-right">{e.balance_after}</Table.Cell>
                    <Table.Cell>{noteOrReference(e)}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          )}
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

const QuotasSection = ({ agent }: { agent: Agent }) => {
  const { t, i18n } = useTranslation()
  const qc = useQueryClient()
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: ["virtual-goods", "agent-quotas", agent.id],
    queryFn: () => sdk.client.fetch<{ quotas: Quota[] }>(`${BASE}/${agent.id}/quotas`),
  })
  // The variants a wholesale order can buy (those sold from a pool), offered as suggestions for the variant field.
  const { data: pools } = usePools("")
  const variants = (pools?.card_pools ?? []).flatMap((p) =>
    p.product_variant ? [{ id: p.product_variant.id, label: `${p.name} · ${p.product_variant.title}${p.product_variant.sku ? ` (${p.product_variant.sku})` : ""}` }] : []
  )
  const variantLabel = new Map(variants.map((v) => [v.id, v.label]))
  const [variantId, setVariantId] = useState("")
  const [limit, setLimit] = useState("")
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>("none")
  const [problem, setProblem] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => sdk.client.fetch<{ quota: Quota }>(`${BASE}/${agent.id}/quotas`, { method: "POST", body }),
  })
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    try {
      await save.mutateAsync({ variant_id: variantId.trim(), limit: Number(limit), period })
      setVariantId("")
      setLimit("")
      await qc.invalidateQueries({ queryKey: ["virtual-goods", "agent-quotas", agent.id] })
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }
  return (
    <Container className="divide-y p-0" data-testid="agent-quotas">
      <div className="px-6 py-4">
        <Heading level="h2">{t("virtualGoods.agentDetail.quotas")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {t("virtualGoods.agentDetail.quotasHint")}
        </Text>
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && !!data.quotas.length && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.variant")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agentDetail.columns.limit")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.period")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agentDetail.columns.used")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.quotas.map((q) => (
              <Table.Row key={q.id} data-quota={q.variant_id}>
                <Table.Cell>
                  {variantLabel.get(q.variant_id) ?? ""} <span className="font-mono text-ui-fg-subtle">{q.variant_id}</span>
                </Table.Cell>
                <Table.Cell className="text-right" data-col="limit">
                  {q.quota_limit}
                </Table.Cell>
                <Table.Cell data-col="period">
                  {t(`virtualGoods.agentDetail.period.${q.period}`)}
                  {q.period !== "none" && q.period_start ? (
                    <span className="text-ui-fg-subtle"> · {t("virtualGoods.agentDetail.since", { when: formatDate(q.period_start, i18n.language) })}</span>
                  ) : null}
                </Table.Cell>
                <Table.Cell className="text-right" data-col="used">
                  {q.used}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
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
        <div className="flex w-32 flex-col gap-y-2">
          <Label htmlFor="vg-quota-limit">{t("virtualGoods.agentDetail.columns.limit")}</Label>
          <Input id="vg-quota-limit" type="number" min={0} value={limit} onChange={(e) => setLimit(e.target.value)} />
        </div>
        <div className="flex w-40 flex-col gap-y-2">
          <Label>{t("virtualGoods.agentDetail.columns.period")}</Label>
          <Select value={period} onValueChange={(v) => setPeriod(v as (typeof PERIODS)[number])}>
            <Select.Trigger aria-label={t("virtualGoods.agentDetail.columns.period")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              {PERIODS.map((p) => (
                <Select.Item key={p} value={p}>
                  {t(`virtualGoods.agentDetail.period.${p}`)}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </div>
        <Button size="small" variant="secondary" type="submit" isLoading={save.isPending} disabled={!variantId.trim() || !/^\d+$/.test(limit.trim())}>
          {t("virtualGoods.agentDetail.setQuota")}
        </Button>
        <ErrorText className="w-full">{problem}</ErrorText>
      </form>
    </Container>
  )
}

const OrdersSection = ({ agent }: { agent: Agent }) => {
  const { t, i18n } = useTranslation()
  const [offset, setOffset] = useState(0)
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: ["virtual-goods", "agent-orders", agent.id, offset],
    queryFn: () => sdk.client.fetch<{ orders: AgentOrder[]; count: number }>(`${BASE}/${agent.id}/orders`, { query: { limit: PAGE_SIZE, offset } }),
    placeholderData: keepPreviousData,
  })
  return (
    <Container className="divide-y p-0" data-testid="agent-orders">
      <div className="px-6 py-4">
        <Heading level="h2">{t("virtualGoods.agentDetail.orders")}</Heading>
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && !data.orders.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.agentDetail.noOrders")}</Text>}
      {data && !!data.orders.length && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.when")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.key")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.order")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.lines")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agentDetail.columns.total")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.orders.map((o) => (
              <Table.Row key={o.id} data-order={o.id}>
                <Table.Cell>{formatDate(o.created_at, i18n.language)}</Table.Cell>
                <Table.Cell className="font-mono" data-col="key">
                  {o.idempotency_key}
                </Table.Cell>
                <Table.Cell data-col="order">
                  {o.order_id ? (
                    <Link className={linkClass} to={`/orders/${o.order_id}`}>
                      {o.display_id ? `#${o.display_id}` : o.order_id}
                    </Link>
                  ) : (
                    "—"
                  )}
                  {o.bookkeeping.status === "pending" && (
                    <div data-testid="bookkeeping-lag" title={o.bookkeeping.error ?? undefined}>
                      <Badge size="2xsmall" color={o.bookkeeping.attempts ? "red" : "orange"}>
                        {t("virtualGoods.agentDetail.bookkeepingPending", { seconds: o.bookkeeping.lag_seconds ?? 0, attempts: o.bookkeeping.attempts })}
                      </Badge>
                    </div>
                  )}
                </Table.Cell>
                <Table.Cell data-col="lines">
                  {o.items.map((i) => (
                    <div key={i.variant_id}>
                      {i.quantity} × {i.product_title ?? i.title ?? i.variant_id}
                      {i.product_title && i.title && i.title !== i.product_title ? ` · ${i.title}` : ""} @ {i.unit_price}
                    </div>
                  ))}
                </Table.Cell>
                <Table.Cell className="text-right" data-col="total">
                  {money(o.total, o.currency_code)}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {data && <Pager offset={offset} count={data.count} onChange={setOffset} />}
    </Container>
  )
}

const WebhookSection = ({ agent }: { agent: Agent }) => {
  const { t, i18n } = useTranslation()
  const qc = useQueryClient()
  const prompt = usePrompt()
  const [url, setUrl] = useState(agent.webhook_url ?? "")
  const [secret, setSecret] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [status, setStatus] = useState("")
  const [offset, setOffset] = useState(0)
  useEffect(() => setUrl(agent.webhook_url ?? ""), [agent.webhook_url])
  const set = useMutation({
    mutationFn: (body: { url: string | null; rotate_secret?: boolean }) =>
      sdk.client.fetch<{ agent: Agent; secret: string | null }>(`${BASE}/${agent.id}/webhook`, { method: "POST", body }),
  })
  const deliveriesKey = ["virtual-goods", "agent-webhook-deliveries", agent.id]
  const deliveries = useQuery({
    queryKey: [...deliveriesKey, status, offset],
    queryFn: () =>
      sdk.client.fetch<{ deliveries: Delivery[]; count: number }>("/admin/virtual-goods/webhook-deliveries", {
        query: { agent_id: agent.id, status: status || undefined, limit: PAGE_SIZE, offset },
      }),
    placeholderData: keepPreviousData,
    // The webhook job sends in the background: the list follows it while a delivery is pending.
    refetchInterval: (query) => (query.state.data?.deliveries.some((d) => d.status === "pending") ? 5000 : false),
  })
  const replay = useMutation({
    mutationFn: (id: string) => sdk.client.fetch(`/admin/virtual-goods/webhook-deliveries/${id}/replay`, { method: "POST", body: {} }),
    onSuccess: () => {
      toast.success(t("virtualGoods.agentDetail.replayed"))
      return qc.invalidateQueries({ queryKey: deliveriesKey })
    },
    onError: (e) => toast.error(errorMessage(e)),
  })

  const apply = async (body: { url: string | null; rotate_secret?: boolean }) => {
    setProblem(null)
    try {
      const r = await set.mutateAsync(body)
      setSecret(r.secret)
      toast.success(t("virtualGoods.common.saved"))
      await qc.invalidateQueries({ queryKey: agentKey(agent.id) })
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }
  // An empty URL removes the webhook: events are no longer sent.
  const save = (e: FormEvent) => {
    e.preventDefault()
    return apply({ url: url.trim() || null })
  }
  const rotate = async () => {
    const ok = await prompt({
      title: t("virtualGoods.agentDetail.rotateTitle", { name: agent.name }),
      description: t("virtualGoods.agentDetail.rotateHint"),
      confirmText: t("virtualGoods.agentDetail.rotate"),
      cancelText: t("virtualGoods.common.cancel"),
    })
    if (ok) await apply({ url: agent.webhook_url, rotate_secret: true })
  }

  const rows = deliveries.data?.deliveries ?? []
  return (
    <Container className="divide-y p-0" data-testid="agent-webhook">
      <div className="px-6 py-4">
        <Heading level="h2">{t("virtualGoods.agentDetail.webhook")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {t("virtualGoods.agentDetail.webhookHint")}
        </Text>
      </div>
      <form className="flex flex-wrap items-end gap-4 px-6 py-4" onSubmit={save}>
        <div className="flex min-w-96 flex-1 flex-col gap-y-2">
          <Label htmlFor="vg-webhook-url">{t("virtualGoods.agentDetail.webhookUrl")}</Label>
          <Input id="vg-webhook-url" placeholder="https://…" value={url} onChange={(e) => setUrl(e.target.value)} />
        </div>
        <Button size="small" variant="secondary" type="submit" isLoading={set.isPending} disabled={(url.trim() || null) === agent.webhook_url}>
          {t("virtualGoods.common.save")}
        </Button>
        {agent.webhook_url && (
          <Button size="small" variant="secondary" type="button" onClick={rotate}>
            {t("virtualGoods.agentDetail.rotate")}
          </Button>
        )}
        <ErrorText className="w-full">{problem}</ErrorText>
      </form>
      {secret && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="webhook-secret">
          <Text size="small" weight="plus">
            {t("virtualGoods.agentDetail.secretOnce")}
          </Text>
          <div className="flex items-center gap-2">
            <Text size="small" className="break-all font-mono" data-value>
              {secret}
            </Text>
            <Copy content={secret} />
          </div>
        </div>
      )}
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <Heading level="h3">{t("virtualGoods.agentDetail.deliveries")}</Heading>
        <div className="w-48">
          <Select
            value={status || "all"}
            onValueChange={(v) => {
              setStatus(v === "all" ? "" : v)
              setOffset(0)
            }}
          >
            <Select.Trigger aria-label={t("virtualGoods.agentDetail.deliveryStatus")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="all">{t("virtualGoods.agentDetail.delivery.all")}</Select.Item>
              {DELIVERY_STATUSES.map((s) => (
                <Select.Item key={s} value={s}>
                  {t(`virtualGoods.agentDetail.delivery.${s}`)}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </div>
      </div>
      {deliveries.isLoading && <Loading />}
      {deliveries.error && <LoadError error={deliveries.error} onRetry={() => deliveries.refetch()} />}
      {deliveries.data && !rows.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.agentDetail.noDeliveries")}</Text>}
      {!!rows.length && (
        <Table data-testid="webhook-deliveries">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.when")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.event")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.status")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agentDetail.columns.attempts")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.lastError")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agentDetail.columns.next")}</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows.map((d) => (
              <Table.Row key={d.id} data-delivery={d.id} data-status={d.status}>
                <Table.Cell>{formatDate(d.created_at, i18n.language)}</Table.Cell>
                <Table.Cell>
                  <span className="font-mono">{d.event}</span>
                  {d.payload?.order_id && (
                    <>
                      {" · "}
                      <Link className={linkClass} to={`/orders/${d.payload.order_id}`}>
                        {d.payload.display_id ? `#${d.payload.display_id}` : d.payload.order_id}
                      </Link>
                    </>
                  )}
                </Table.Cell>
                <Table.Cell>
                  <Badge size="2xsmall" color={DELIVERY_COLOR[d.status] ?? "grey"}>
                    {t(`virtualGoods.agentDetail.delivery.${d.status}`, { defaultValue: d.status })}
                  </Badge>
                </Table.Cell>
                <Table.Cell className="text-right" data-col="attempts">
                  {d.attempts}
                </Table.Cell>
                <Table.Cell data-col="error">{d.last_error ?? "—"}</Table.Cell>
                <Table.Cell>
                  {d.status === "delivered" ? formatDate(d.delivered_at, i18n.language) : d.status === "pending" ? formatDate(d.next_attempt_at, i18n.language) : "—"}
                </Table.Cell>
                <Table.Cell>
                  {d.status === "dead" && (
                    <Button size="small" variant="transparent" onClick={() => replay.mutate(d.id)} isLoading={replay.isPending && replay.variables === d.id}>
                      {t("virtualGoods.agentDetail.replay")}
                    </Button>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {deliveries.data && <Pager offset={offset} count={deliveries.data.count} onChange={setOffset} />}
    </Container>
  )
}

export default AgentPage
