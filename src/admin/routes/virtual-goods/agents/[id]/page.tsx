import { Badge, Button, Container, Copy, Drawer, Heading, Input, Label, Select, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { FormEvent, ReactNode, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link, useParams } from "react-router-dom"
import { ErrorText, LoadError, Loading, Pager, StatusBadge, formatDate } from "../../../../components/common"
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
  transaction_id: string
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
  from: string
  to: string
  opening_balance: string
  closing_balance: string
  totals: Record<string, string>
  entries: (LedgerEntry & { balance_after: string })[]
}
type Quota = { id: string; variant_id: string; quota_limit: number; period: "none" | "day" | "week" | "month"; used: number; period_start: string | null }
type AgentOrder = {
  id: string
  idempotency_key: string
  order_id: string | null
  display_id: number | null
  currency_code: string
  total: string
  items: { variant_id: string; quantity: number; unit_price: string; title: string | null; product_title: string | null }[]
  created_at: string
}
type Delivery = {
  id: string
  agent_id: string
  event: string
  status: "pending" | "delivered" | "dead"
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
const GROUP_RULE = "customer.groups.id"
const DAY = 86_400_000
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

const agentKey = (id: string) => ["virtual-goods", "agent", id] as const
const money = (amount: string | number | null | undefined, currency: string) =>
  amount === null || amount === undefined ? "—" : `${amount} ${currency.toUpperCase()}`

/**
 * One agent: status (freeze behind a confirmation), tier and its price lists, parent and sub-agents, credit limit;
 * its accounts; the ledger with top-ups and signed adjustments; the statement (对账单) for a period, also as CSV; quotas;
 * wholesale orders; the webhook (secret shown once) and its deliveries with replay of dead ones.
 */
const AgentPage = () => {
  const { id } = useParams()
  const { t } = useTranslation()
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: agentKey(id!),
    queryFn: () => sdk.client.fetch<{ agent: Agent }>(`${BASE}/${id}`),
  })
  const notFound = (error as any)?.status === 404
  const agent = data?.agent

  return (
    <div className="flex flex-col gap-y-3">
      <Link to="/virtual-goods/agents" className="txt-small text-ui-fg-subtle hover:text-ui-fg-base">
        ← {t("virtualGoods.agent.back")}
      </Link>
      {isLoading && (
        <Container className="p-0">
          <Loading />
        </Container>
      )}
      {notFound && (
        <Container>
          <Text>{t("virtualGoods.agent.notFound")}</Text>
        </Container>
      )}
      {error && !notFound && (
        <Container className="p-0">
          <LoadError error={error} onRetry={() => refetch()} />
        </Container>
      )}
      {agent && (
        <>
          <SummarySection agent={agent} />
          <AccountsSection agent={agent} />
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

/** A label and its value in the summary grid. */
const Field = ({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) => (
  <div className="flex flex-col gap-y-1" data-testid={testId}>
    <Text size="xsmall" className="text-ui-fg-subtle">
      {label}
    </Text>
    <div className="txt-small">{children}</div>
  </div>
)

const linkClass = "text-ui-fg-interactive hover:underline"

const SummarySection = ({ agent }: { agent: Agent }) => {
  const { t, i18n } = useTranslation()
  const qc = useQueryClient()
  const prompt = usePrompt()
  const { data: all } = useQuery({
    queryKey: ["virtual-goods", "agents"],
    queryFn: () => sdk.client.fetch<{ agents: (Agent & { parent_id: string | null })[] }>(BASE),
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
      title: t(freezing ? "virtualGoods.agent.freezeTitle" : "virtualGoods.agent.unfreezeTitle", { name: agent.name }),
      description: t(freezing ? "virtualGoods.agent.freezeHint" : "virtualGoods.agent.unfreezeHint"),
      confirmText: t(freezing ? "virtualGoods.agent.freeze" : "virtualGoods.agent.unfreeze"),
      cancelText: t("virtualGoods.common.cancel"),
    })
    if (!ok) return
    try {
      await update.mutateAsync({ status: freezing ? "frozen" : "active" })
      toast.success(t(freezing ? "virtualGoods.agent.frozen" : "virtualGoods.agent.unfrozen", { name: agent.name }))
    } catch (e) {
      toast.error(errorMessage(e))
    }
  }

  const saveCredit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    try {
      await update.mutateAsync({ credit_limit: credit.trim(), currency_code: currency })
      toast.success(t("virtualGoods.agent.creditSaved"))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  return (
    <Container className="divide-y p-0">
      <div className="flex items-start justify-between gap-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <div className="flex items-center gap-x-2">
            <Heading level="h1">{agent.name}</Heading>
            <span data-testid="agent-status">
              <StatusBadge status={agent.status} />
            </span>
          </div>
          <Text size="small" className="font-mono text-ui-fg-subtle">
            {agent.id}
          </Text>
        </div>
        <Button size="small" variant={agent.status === "active" ? "danger" : "secondary"} onClick={toggleFrozen} isLoading={update.isPending && !problem}>
          {t(agent.status === "active" ? "virtualGoods.agent.freeze" : "virtualGoods.agent.unfreeze")}
        </Button>
      </div>
      <div className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-3">
        <Field label={t("virtualGoods.agent.parent")} testId="agent-parent">
          {agent.parent_id ? (
            <Link className={linkClass} to={`/virtual-goods/agents/${agent.parent_id}`}>
              {parent?.name ?? agent.parent_id}
            </Link>
          ) : (
            t("virtualGoods.agent.topLevel")
          )}
        </Field>
        <Field label={t("virtualGoods.agent.subAgents")} testId="agent-children">
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
        <Field label={t("virtualGoods.agent.customer")}>
          {agent.customer ? (
            <Link className={linkClass} to={`/customers/${agent.customer.id}`}>
              {agent.customer.email ?? agent.customer.id}
            </Link>
          ) : (
            t("virtualGoods.common.none")
          )}
        </Field>
        <TierFields groupId={agent.customer_group_id} />
        <Field label={t("virtualGoods.agent.created")}>{formatDate(agent.created_at, i18n.language)}</Field>
      </div>
      {!!agent.accounts.length && (
        <form className="flex flex-wrap items-end gap-4 px-6 py-4" onSubmit={saveCredit}>
          {agent.accounts.length > 1 && (
            <div className="flex w-28 flex-col gap-y-2">
              <Label>{t("virtualGoods.agent.currency")}</Label>
              <Select value={currency} onValueChange={setCurrency}>
                <Select.Trigger aria-label={t("virtualGoods.agent.creditCurrency")}>
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
          )}
          <div className="flex w-48 flex-col gap-y-2">
            <Label htmlFor="vg-agent-credit-limit">
              {t("virtualGoods.agent.creditLimit")} ({currency.toUpperCase()})
            </Label>
            <Input id="vg-agent-credit-limit" inputMode="decimal" value={credit} onChange={(e) => setCredit(e.target.value)} />
          </div>
          <Button size="small" variant="secondary" type="submit" disabled={!credit.trim() || credit.trim() === account?.credit_limit}>
            {t("virtualGoods.agent.saveCredit")}
          </Button>
          <ErrorText className="w-full">{problem}</ErrorText>
        </form>
      )}
    </Container>
  )
}

/** The agent's tier (a Medusa customer group) and the price lists whose rules name it, linked to Medusa's own pages. */
const TierFields = ({ groupId }: { groupId: string | null }) => {
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
      // Medusa's list cannot filter by rule: read every page and keep the lists whose customer-group rule names the tier.
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
    <>
      <Field label={t("virtualGoods.agent.tier")} testId="agent-tier">
        {!groupId ? (
          t("virtualGoods.agent.noTier")
        ) : (
          <Link className={linkClass} to={`/customer-groups/${groupId}`}>
            {group.data?.customer_group.name ?? groupId}
          </Link>
        )}
      </Field>
      <Field label={t("virtualGoods.agent.priceLists")} testId="agent-price-lists">
        {!groupId ? (
          t("virtualGoods.common.none")
        ) : lists.error ? (
          <span className="text-ui-fg-error">{errorMessage(lists.error)}</span>
        ) : !lists.data ? (
          t("virtualGoods.common.loading")
        ) : !lists.data.length ? (
          t("virtualGoods.agent.noPriceLists")
        ) : (
          <span className="flex flex-wrap gap-x-3">
            {lists.data.map((pl) => (
              <Link key={pl.id} className={linkClass} to={`/price-lists/${pl.id}`} data-price-list={pl.id}>
                {pl.title}
                {pl.status !== "active" ? ` (${pl.status})` : ""}
              </Link>
            ))}
          </span>
        )}
      </Field>
    </>
  )
}

const AccountsSection = ({ agent }: { agent: Agent }) => {
  const { t } = useTranslation()
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">{t("virtualGoods.agent.accounts")}</Heading>
      </div>
      <Table data-testid="agent-accounts">
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>{t("virtualGoods.agent.columns.currency")}</Table.HeaderCell>
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
                {a.balance}
              </Table.Cell>
              <Table.Cell className="text-right" data-col="credit">
                {a.credit_limit}
              </Table.Cell>
              <Table.Cell className="text-right" data-col="available">
                {a.available}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </Container>
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
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <div>
          <Heading level="h2">{t("virtualGoods.agent.ledger.title")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.agent.ledger.subtitle")}
          </Text>
        </div>
        <div className="flex gap-2">
          <Button size="small" variant="secondary" disabled={!agent.accounts.length} onClick={() => setDialog("topup")}>
            {t("virtualGoods.agents.topUp")}
          </Button>
          <Button size="small" variant="secondary" disabled={!agent.accounts.length} onClick={() => setDialog("adjustment")}>
            {t("virtualGoods.agent.adjust")}
          </Button>
        </div>
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && !data.entries.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.agent.ledger.empty")}</Text>}
      {data && !!data.entries.length && (
        <Table data-testid="agent-ledger">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.agent.columns.time")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.columns.kind")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agent.columns.amount")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.columns.reference")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.columns.note")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.columns.actor")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.entries.map((e) => (
              <Table.Row key={e.id} data-entry={e.id} data-kind={e.kind}>
                <Table.Cell>{formatDate(e.created_at, i18n.language)}</Table.Cell>
                <Table.Cell>{t(`virtualGoods.agent.kinds.${e.kind}`, { defaultValue: e.kind })}</Table.Cell>
                <Table.Cell className="text-right" data-col="amount">
                  {money(e.amount, e.currency_code)}
                </Table.Cell>
                <Table.Cell>
                  <Reference type={e.reference_type} id={e.reference_id} />
                </Table.Cell>
                <Table.Cell data-col="note">{e.note ?? "—"}</Table.Cell>
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

/** What a ledger entry refers to: a wholesale order, the transaction a refund reverses, … */
const Reference = ({ type, id }: { type: string | null; id: string | null }) => {
  const { t } = useTranslation()
  if (!type || !id) return <>—</>
  return (
    <span className="font-mono text-ui-fg-subtle" title={id}>
      {t(`virtualGoods.agent.references.${type}`, { defaultValue: type })} · {id}
    </span>
  )
}

/** Top-up (positive, optional note) or adjustment (signed, reason required); the API's refusal is shown in the drawer. */
const MoneyDrawer = ({ agent, kind, onClose }: { agent: Agent; kind: "topup" | "adjustment" | null; onClose: () => void }) => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [currency, setCurrency] = useState(agent.accounts[0]?.currency_code ?? "")
  const [amount, setAmount] = useState("")
  const [note, setNote] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const post = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      sdk.client.fetch<{ agent: Agent }>(`${BASE}/${agent.id}/${kind === "topup" ? "topups" : "adjustments"}`, { method: "POST", body }),
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
    const value = amount.trim()
    if (kind === "adjustment") {
      if (!/^-?\d+(\.\d+)?$/.test(value) || Number(value) === 0) return setProblem(t("virtualGoods.agent.amountInvalid"))
      if (note.trim().length < 3) return setProblem(t("virtualGoods.agent.reasonTooShort"))
    }
    try {
      const { agent: updated } = await post.mutateAsync({
        currency_code: currency,
        amount: value,
        ...(note.trim() ? { note: note.trim() } : {}),
      })
      const account = updated.accounts.find((a) => a.currency_code === currency)
      toast.success(t("virtualGoods.agents.toppedUp", { name: updated.name, balance: money(account?.balance, currency) }))
      await qc.invalidateQueries({ queryKey: ["virtual-goods"] })
      close()
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }
  const adjusting = kind === "adjustment"
  return (
    <Drawer open={!!kind} onOpenChange={(o) => !o && close()}>
      <Drawer.Content>
        <form className="flex h-full flex-col" onSubmit={submit}>
          <Drawer.Header>
            <Drawer.Title>{t(adjusting ? "virtualGoods.agent.adjustTitle" : "virtualGoods.agents.topUpTitle", { name: agent.name })}</Drawer.Title>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-4">
            {adjusting && (
              <Text size="small" className="text-ui-fg-subtle">
                {t("virtualGoods.agent.adjustHint")}
              </Text>
            )}
            {agent.accounts.length > 1 && (
              <div className="flex flex-col gap-y-2">
                <Label>{t("virtualGoods.agent.currency")}</Label>
                <Select value={currency} onValueChange={setCurrency}>
                  <Select.Trigger aria-label={t("virtualGoods.agent.currency")}>
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
            )}
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="vg-money-amount">
                {t(adjusting ? "virtualGoods.agent.signedAmount" : "virtualGoods.agents.amount")} ({currency.toUpperCase()})
              </Label>
              <Input id="vg-money-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="vg-money-note">{t(adjusting ? "virtualGoods.agent.reason" : "virtualGoods.agents.note")}</Label>
              <Input id="vg-money-note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            <ErrorText>{problem}</ErrorText>
          </Drawer.Body>
          <Drawer.Footer>
            <Button size="small" variant="secondary" type="button" onClick={close}>
              {t("virtualGoods.common.cancel")}
            </Button>
            <Button size="small" type="submit" isLoading={post.isPending}>
              {t(adjusting ? "virtualGoods.agent.adjust" : "virtualGoods.agents.topUp")}
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
  const csv = `${BASE}/${agent.id}/statement?${new URLSearchParams({ ...query, format: "csv" })}`
  const s = data?.statement
  const cur = s?.currency_code ?? currency
  return (
    <Container className="divide-y p-0">
      <div className="flex flex-wrap items-end justify-between gap-4 px-6 py-4">
        <div>
          <Heading level="h2">{t("virtualGoods.agent.statement.title")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.agent.statement.subtitle")}
          </Text>
        </div>
        <div className="flex flex-wrap items-end gap-2">
          {agent.accounts.length > 1 && (
            <div className="flex w-28 flex-col gap-y-1">
              <Label size="xsmall">{t("virtualGoods.agent.currency")}</Label>
              <Select size="small" value={currency} onValueChange={setCurrency}>
                <Select.Trigger aria-label={t("virtualGoods.agent.statement.currency")}>
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
          )}
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall" htmlFor="vg-statement-from">
              {t("virtualGoods.agent.statement.from")}
            </Label>
            <Input id="vg-statement-from" size="small" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall" htmlFor="vg-statement-to">
              {t("virtualGoods.agent.statement.to")}
            </Label>
            <Input id="vg-statement-to" size="small" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
          {ready && (
            <a className="txt-small pb-1.5 text-ui-fg-interactive hover:underline" href={csv} download>
              {t("virtualGoods.agent.statement.download")}
            </a>
          )}
        </div>
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {s && (
        <>
          <div className="flex flex-wrap gap-x-8 gap-y-3 px-6 py-4" data-testid="agent-statement">
            <Total name="opening" label={t("virtualGoods.agent.statement.opening")} value={money(s.opening_balance, cur)} />
            {KINDS.filter((k) => s.totals[k] !== undefined).map((k) => (
              <Total key={k} name={k} label={t(`virtualGoods.agent.kinds.${k}`)} value={money(s.totals[k], cur)} />
            ))}
            <Total name="closing" label={t("virtualGoods.agent.statement.closing")} value={money(s.closing_balance, cur)} />
          </div>
          {!s.entries.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.agent.statement.empty")}</Text>}
          {!!s.entries.length && (
            <Table data-testid="agent-statement-entries">
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>{t("virtualGoods.agent.columns.time")}</Table.HeaderCell>
                  <Table.HeaderCell>{t("virtualGoods.agent.columns.kind")}</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">{t("virtualGoods.agent.columns.amount")}</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">{t("virtualGoods.agent.columns.balanceAfter")}</Table.HeaderCell>
                  <Table.HeaderCell>{t("virtualGoods.agent.columns.reference")}</Table.HeaderCell>
                  <Table.HeaderCell>{t("virtualGoods.agent.columns.note")}</Table.HeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {s.entries.map((e) => (
                  <Table.Row key={e.id} data-entry={e.id} data-kind={e.kind}>
                    <Table.Cell>{formatDate(e.created_at, i18n.language)}</Table.Cell>
                    <Table.Cell>{t(`virtualGoods.agent.kinds.${e.kind}`, { defaultValue: e.kind })}</Table.Cell>
                    <Table.Cell className="text-right" data-col="amount">
                      {e.amount}
                    </Table.Cell>
                    <Table.Cell className="text-right" data-col="balance">
                      {e.balance_after}
                    </Table.Cell>
                    <Table.Cell>
                      <Reference type={e.reference_type} id={e.reference_id} />
                    </Table.Cell>
                    <Table.Cell>{e.note ?? "—"}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          )}
        </>
      )}
      <Text size="xsmall" className="px-6 py-3 text-ui-fg-subtle">
        {t("virtualGoods.agent.statement.utc")}
      </Text>
    </Container>
  )
}

const Total = ({ name, label, value }: { name: string; label: string; value: string }) => (
  <div className="flex flex-col" data-total={name}>
    <Text size="xsmall" className="text-ui-fg-subtle">
      {label}
    </Text>
    <Text size="large" weight="plus" data-value>
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
  // What a wholesale order can buy: the variants sold from a pool.
  const { data: pools } = usePools("")
  const variants = (pools?.card_pools ?? []).flatMap((p) =>
    p.product_variant ? [{ id: p.product_variant.id, label: `${p.name} · ${p.product_variant.title}${p.product_variant.sku ? ` (${p.product_variant.sku})` : ""}` }] : []
  )
  const variantLabel = new Map(variants.map((v) => [v.id, v.label]))
  const [variantId, setVariantId] = useState("")
  const [limit, setLimit] = useState("")
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>("day")
  const [problem, setProblem] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => sdk.client.fetch<{ quota: Quota }>(`${BASE}/${agent.id}/quotas`, { method: "POST", body }),
  })
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    if (!variantId) return setProblem(t("virtualGoods.agent.quotas.chooseVariant"))
    if (!/^\d+$/.test(limit.trim())) return setProblem(t("virtualGoods.agent.quotas.limitInvalid"))
    try {
      await save.mutateAsync({ variant_id: variantId, limit: Number(limit.trim()), period })
      toast.success(t("virtualGoods.agent.quotas.saved"))
      setLimit("")
      await qc.invalidateQueries({ queryKey: ["virtual-goods", "agent-quotas", agent.id] })
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">{t("virtualGoods.agent.quotas.title")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {t("virtualGoods.agent.quotas.subtitle")}
        </Text>
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && !data.quotas.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.agent.quotas.empty")}</Text>}
      {data && !!data.quotas.length && (
        <Table data-testid="agent-quotas">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.agent.quotas.variant")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agent.quotas.limit")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.quotas.period")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agent.quotas.used")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.quotas.periodStart")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.quotas.map((q) => (
              <Table.Row key={q.id} data-variant={q.variant_id}>
                <Table.Cell>
                  {variantLabel.get(q.variant_id) ?? q.variant_id}
                </Table.Cell>
                <Table.Cell className="text-right" data-col="limit">
                  {q.quota_limit}
                </Table.Cell>
                <Table.Cell data-col="period">{t(`virtualGoods.agent.quotas.periods.${q.period}`)}</Table.Cell>
                <Table.Cell className="text-right" data-col="used">
                  {q.used}
                </Table.Cell>
                <Table.Cell>{q.period === "none" ? "—" : formatDate(q.period_start, i18n.language)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      <form className="flex flex-wrap items-end gap-4 px-6 py-4" onSubmit={submit}>
        <div className="flex min-w-64 flex-col gap-y-2">
          <Label>{t("virtualGoods.agent.quotas.variant")}</Label>
          <Select value={variantId} onValueChange={setVariantId}>
            <Select.Trigger aria-label={t("virtualGoods.agent.quotas.variant")}>
              <Select.Value placeholder={t("virtualGoods.agent.quotas.chooseVariant")} />
            </Select.Trigger>
            <Select.Content>
              {variants.map((v) => (
                <Select.Item key={v.id} value={v.id}>
                  {v.label}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </div>
        <div className="flex w-32 flex-col gap-y-2">
          <Label htmlFor="vg-quota-limit">{t("virtualGoods.agent.quotas.limit")}</Label>
          <Input id="vg-quota-limit" type="number" min={0} value={limit} onChange={(e) => setLimit(e.target.value)} />
        </div>
        <div className="flex w-40 flex-col gap-y-2">
          <Label>{t("virtualGoods.agent.quotas.period")}</Label>
          <Select value={period} onValueChange={(v) => setPeriod(v as (typeof PERIODS)[number])}>
            <Select.Trigger aria-label={t("virtualGoods.agent.quotas.period")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              {PERIODS.map((p) => (
                <Select.Item key={p} value={p}>
                  {t(`virtualGoods.agent.quotas.periods.${p}`)}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </div>
        <Button size="small" variant="secondary" type="submit" isLoading={save.isPending}>
          {t("virtualGoods.agent.quotas.set")}
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
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">{t("virtualGoods.agent.orders.title")}</Heading>
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && !data.orders.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.agent.orders.empty")}</Text>}
      {data && !!data.orders.length && (
        <Table data-testid="agent-orders">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.agent.columns.time")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.orders.key")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.orders.order")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.orders.lines")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agent.orders.total")}</Table.HeaderCell>
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

const DELIVERY_COLOR = { pending: "orange", delivered: "green", dead: "red" } as const

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
  const deliveries = useQuery({
    queryKey: ["virtual-goods", "agent-webhook-deliveries", agent.id, status, offset],
    queryFn: () =>
      sdk.client.fetch<{ deliveries: Delivery[]; count: number }>("/admin/virtual-goods/webhook-deliveries", {
        query: { agent_id: agent.id, status: status || undefined, limit: PAGE_SIZE, offset },
      }),
    placeholderData: keepPreviousData,
    // The webhook job sends pending deliveries in the background: follow them while any is pending.
    refetchInterval: (query) => (query.state.data?.deliveries.some((d) => d.status === "pending") ? 5000 : false),
  })
  const replay = useMutation({
    mutationFn: (id: string) => sdk.client.fetch(`/admin/virtual-goods/webhook-deliveries/${id}/replay`, { method: "POST", body: {} }),
    onSuccess: () => {
      toast.success(t("virtualGoods.agent.webhook.replayed"))
      return qc.invalidateQueries({ queryKey: ["virtual-goods", "agent-webhook-deliveries", agent.id] })
    },
    onError: (e) => toast.error(errorMessage(e)),
  })

  const apply = async (body: { url: string | null; rotate_secret?: boolean }, done: string) => {
    setProblem(null)
    try {
      const r = await set.mutateAsync(body)
      setSecret(r.secret)
      toast.success(t(done))
      await qc.invalidateQueries({ queryKey: agentKey(agent.id) })
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }
  const save = (e: FormEvent) => {
    e.preventDefault()
    if (!url.trim()) return setProblem(t("virtualGoods.agent.webhook.urlRequired"))
    return apply({ url: url.trim() }, "virtualGoods.agent.webhook.saved")
  }
  const confirm = async (title: string, hint: string, action: string) =>
    prompt({ title: t(title, { name: agent.name }), description: t(hint), confirmText: t(action), cancelText: t("virtualGoods.common.cancel") })
  const rotate = async () => {
    if (!(await confirm("virtualGoods.agent.webhook.rotateTitle", "virtualGoods.agent.webhook.rotateHint", "virtualGoods.agent.webhook.rotate"))) return
    await apply({ url: agent.webhook_url, rotate_secret: true }, "virtualGoods.agent.webhook.rotated")
  }
  const remove = async () => {
    if (!(await confirm("virtualGoods.agent.webhook.removeTitle", "virtualGoods.agent.webhook.removeHint", "virtualGoods.agent.webhook.remove"))) return
    await apply({ url: null }, "virtualGoods.agent.webhook.removed")
  }

  const rows = deliveries.data?.deliveries ?? []
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">{t("virtualGoods.agent.webhook.title")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {t("virtualGoods.agent.webhook.subtitle")}
        </Text>
      </div>
      <form className="flex flex-wrap items-end gap-4 px-6 py-4" onSubmit={save}>
        <div className="flex min-w-96 flex-1 flex-col gap-y-2">
          <Label htmlFor="vg-webhook-url">{t("virtualGoods.agent.webhook.url")}</Label>
          <Input id="vg-webhook-url" type="url" placeholder="https://…" value={url} onChange={(e) => setUrl(e.target.value)} />
        </div>
        <Button size="small" variant="secondary" type="submit" isLoading={set.isPending} disabled={!!agent.webhook_url && url.trim() === agent.webhook_url}>
          {t("virtualGoods.agent.webhook.save")}
        </Button>
        {agent.webhook_url && (
          <>
            <Button size="small" variant="secondary" type="button" onClick={rotate}>
              {t("virtualGoods.agent.webhook.rotate")}
            </Button>
            <Button size="small" variant="transparent" type="button" className="text-ui-fg-error" onClick={remove}>
              {t("virtualGoods.agent.webhook.remove")}
            </Button>
          </>
        )}
        <ErrorText className="w-full">{problem}</ErrorText>
        {!agent.webhook_url && (
          <Text size="small" className="w-full text-ui-fg-subtle">
            {t("virtualGoods.agent.webhook.none")}
          </Text>
        )}
      </form>
      {secret && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="webhook-secret">
          <Text size="small" weight="plus">
            {t("virtualGoods.agent.webhook.secretOnce")}
          </Text>
          <div className="flex items-center gap-2">
            <Text size="small" className="break-all font-mono" data-value>
              {secret}
            </Text>
            <Copy content={secret} />
            <Button size="small" variant="transparent" onClick={() => setSecret(null)}>
              {t("virtualGoods.agent.webhook.hideSecret")}
            </Button>
          </div>
        </div>
      )}
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <Heading level="h3">{t("virtualGoods.agent.webhook.deliveries")}</Heading>
        <div className="w-48">
          <Select
            value={status || "all"}
            onValueChange={(v) => {
              setStatus(v === "all" ? "" : v)
              setOffset(0)
            }}
          >
            <Select.Trigger aria-label={t("virtualGoods.agent.webhook.filter")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="all">{t("virtualGoods.agent.webhook.all")}</Select.Item>
              {DELIVERY_STATUSES.map((s) => (
                <Select.Item key={s} value={s}>
                  {t(`virtualGoods.agent.webhook.status.${s}`)}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </div>
      </div>
      {deliveries.isLoading && <Loading />}
      {deliveries.error && <LoadError error={deliveries.error} onRetry={() => deliveries.refetch()} />}
      {deliveries.data && !rows.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.agent.webhook.empty")}</Text>}
      {!!rows.length && (
        <Table data-testid="webhook-deliveries">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.agent.columns.time")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.webhook.columns.event")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.webhook.columns.status")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agent.webhook.columns.attempts")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.webhook.columns.response")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agent.webhook.columns.next")}</Table.HeaderCell>
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
                    {t(`virtualGoods.agent.webhook.status.${d.status}`, { defaultValue: d.status })}
                  </Badge>
                </Table.Cell>
                <Table.Cell className="text-right" data-col="attempts">
                  {d.attempts}
                </Table.Cell>
                <Table.Cell data-col="response">{d.last_error ?? (d.last_status !== null ? `HTTP ${d.last_status}` : "—")}</Table.Cell>
                <Table.Cell>
                  {d.status === "delivered"
                    ? formatDate(d.delivered_at, i18n.language)
                    : d.status === "pending"
                      ? formatDate(d.next_attempt_at, i18n.language)
                      : "—"}
                </Table.Cell>
                <Table.Cell>
                  {d.status === "dead" && (
                    <Button size="small" variant="transparent" onClick={() => replay.mutate(d.id)} isLoading={replay.isPending && replay.variables === d.id}>
                      {t("virtualGoods.agent.webhook.replay")}
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
