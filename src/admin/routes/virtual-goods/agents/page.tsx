import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Badge, Button, Checkbox, Container, Copy, Drawer, Heading, Input, Label, Select, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { ErrorText, LoadError, Loading, formatDate } from "../../../components/common"
import { errorMessage } from "../../../lib/api"
import { sdk } from "../../../lib/sdk"

type Account = { account_id: string; currency_code: string; balance: string; credit_limit: string; available: string }
type Agent = { id: string; name: string; parent_id: string | null; customer_group_id: string | null; status: string; accounts: Account[] }
type ApiKey = { id: string; name: string; prefix: string; scopes: string[]; expires_at: string | null; revoked_at: string | null; last_used_at: string | null }

const BASE = "/admin/virtual-goods/agents"
const SCOPES = ["catalog:read", "orders:read", "orders:write"] as const

/** Agents in their tree (总代 → 省代 → 门店), each with balance, credit and what is available; top-ups and API keys. */
const AgentsPage = () => {
  const { t } = useTranslation()
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: ["virtual-goods", "agents"],
    queryFn: () => sdk.client.fetch<{ agents: Agent[] }>(BASE),
  })
  const [topUp, setTopUp] = useState<Agent | null>(null)
  const [keysOf, setKeysOf] = useState<Agent | null>(null)

  // Depth-first order: every agent right under its parent, indented by its depth.
  const rows: { agent: Agent; depth: number }[] = []
  const children = new Map<string | null, Agent[]>()
  for (const a of data?.agents ?? []) children.set(a.parent_id, [...(children.get(a.parent_id) ?? []), a])
  const walk = (parent: string | null, depth: number) => {
    for (const a of children.get(parent) ?? []) {
      rows.push({ agent: a, depth })
      walk(a.id, depth + 1)
    }
  }
  walk(null, 0)

  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <div>
          <Heading level="h1">{t("virtualGoods.agents.title")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.agents.subtitle")}
          </Text>
        </div>
        <CreateAgent agents={data?.agents ?? []} />
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && !rows.length && <Text className="px-6 py-8 text-center text-ui-fg-subtle">{t("virtualGoods.agents.empty")}</Text>}
      {!!rows.length && (
        <Table data-testid="agents-table">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.agents.columns.name")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.agents.columns.status")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agents.columns.balance")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agents.columns.credit")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.agents.columns.available")}</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows.map(({ agent, depth }) => {
              const account = agent.accounts[0]
              const cur = account ? ` ${account.currency_code.toUpperCase()}` : ""
              return (
                <Table.Row key={agent.id} data-agent={agent.id} data-depth={depth}>
                  <Table.Cell>
                    <span style={{ paddingLeft: depth * 20 }}>
                      {depth > 0 ? "└ " : ""}
                      <Link className="text-ui-fg-interactive hover:underline" to={`/virtual-goods/agents/${agent.id}`}>
                        {agent.name}
                      </Link>
                    </span>
                  </Table.Cell>
                  <Table.Cell>
                    <Badge size="2xsmall" color={agent.status === "active" ? "green" : "red"} data-status={agent.status}>
                      {t(`virtualGoods.agentDetail.status.${agent.status}`, { defaultValue: agent.status })}
                    </Badge>
                  </Table.Cell>
                  <Table.Cell className="text-right" data-col="balance">{account ? `${account.balance}${cur}` : "—"}</Table.Cell>
                  <Table.Cell className="text-right">{account ? `${account.credit_limit}${cur}` : "—"}</Table.Cell>
                  <Table.Cell className="text-right" data-col="available">{account ? `${account.available}${cur}` : "—"}</Table.Cell>
                  <Table.Cell>
                    <div className="flex justify-end gap-2">
                      <Button size="small" variant="transparent" onClick={() => setTopUp(agent)}>
                        {t("virtualGoods.agents.topUp")}
                      </Button>
                      <Button size="small" variant="transparent" onClick={() => setKeysOf(agent)}>
                        {t("virtualGoods.agents.keys")}
                      </Button>
                    </div>
                  </Table.Cell>
                </Table.Row>
              )
            })}
          </Table.Body>
        </Table>
      )}
      <TopUpDrawer agent={topUp} onClose={() => setTopUp(null)} />
      <KeysDrawer agent={keysOf} onClose={() => setKeysOf(null)} />
    </Container>
  )
}

const CreateAgent = ({ agents }: { agents: Agent[] }) => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState("")
  const [parent, setParent] = useState("none")
  const [currency, setCurrency] = useState("cny")
  const [credit, setCredit] = useState("")
  const [tier, setTier] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => sdk.client.fetch<{ agent: Agent }>(BASE, { method: "POST", body }),
  })
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
      await qc.invalidateQueries({ queryKey: ["virtual-goods", "agents"] })
      setOpen(false)
      setName("")
      setCredit("")
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }
  return (
    <Drawer open={open} onOpenChange={setOpen}>
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary">
          {t("virtualGoods.agents.create")}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>{t("virtualGoods.agents.create")}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4">
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="vg-agent-name">{t("virtualGoods.agents.name")}</Label>
            <Input id="vg-agent-name" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="flex flex-col gap-y-2">
            <Label>{t("virtualGoods.agents.parent")}</Label>
            <Select value={parent} onValueChange={setParent}>
              <Select.Trigger aria-label={t("virtualGoods.agents.parent")}>
                <Select.Value />
              </Select.Trigger>
              <Select.Content>
                <Select.Item value="none">{t("virtualGoods.agents.noParent")}</Select.Item>
                {agents.map((a) => (
                  <Select.Item key={a.id} value={a.id}>
                    {a.name}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select>
          </div>
          <div className="grid grid-cols-2 gap-4">
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="vg-agent-currency">{t("virtualGoods.agents.currency")}</Label>
              <Input id="vg-agent-currency" maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="vg-agent-credit">{t("virtualGoods.agents.credit")}</Label>
              <Input id="vg-agent-credit" inputMode="decimal" value={credit} onChange={(e) => setCredit(e.target.value)} />
            </div>
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="vg-agent-tier">{t("virtualGoods.agents.tier")}</Label>
            <Input id="vg-agent-tier" placeholder="cusgroup_…" value={tier} onChange={(e) => setTier(e.target.value)} />
          </div>
          <ErrorText>{problem}</ErrorText>
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              {t("virtualGoods.common.cancel")}
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={submit} isLoading={create.isPending}>
            {t("virtualGoods.common.save")}
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

const TopUpDrawer = ({ agent, onClose }: { agent: Agent | null; onClose: () => void }) => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [amount, setAmount] = useState("")
  const [note, setNote] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const topUp = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      sdk.client.fetch<{ agent: Agent }>(`${BASE}/${agent!.id}/topups`, { method: "POST", body }),
  })
  const close = () => {
    setAmount("")
    setNote("")
    setProblem(null)
    onClose()
  }
  const submit = async () => {
    if (!agent) return
    setProblem(null)
    try {
      const { agent: updated } = await topUp.mutateAsync({
        currency_code: agent.accounts[0]?.currency_code ?? "",
        amount: amount.trim(),
        ...(note.trim() ? { note: note.trim() } : {}),
      })
      toast.success(t("virtualGoods.agents.toppedUp", { name: updated.name, balance: `${updated.accounts[0]?.balance} ${updated.accounts[0]?.currency_code.toUpperCase()}` }))
      await qc.invalidateQueries({ queryKey: ["virtual-goods", "agents"] })
      close()
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }
  return (
    <Drawer open={!!agent} onOpenChange={(o) => !o && close()}>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>{agent ? t("virtualGoods.agents.topUpTitle", { name: agent.name }) : ""}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4">
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="vg-topup-amount">
              {t("virtualGoods.agents.amount")} ({agent?.accounts[0]?.currency_code.toUpperCase()})
            </Label>
            <Input id="vg-topup-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="vg-topup-note">{t("virtualGoods.agents.note")}</Label>
            <Input id="vg-topup-note" value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <ErrorText>{problem}</ErrorText>
        </Drawer.Body>
        <Drawer.Footer>
          <Button size="small" variant="secondary" onClick={close}>
            {t("virtualGoods.common.cancel")}
          </Button>
          <Button size="small" onClick={submit} isLoading={topUp.isPending}>
            {t("virtualGoods.agents.topUp")}
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

const KeysDrawer = ({ agent, onClose }: { agent: Agent | null; onClose: () => void }) => {
  const { t, i18n } = useTranslation()
  const qc = useQueryClient()
  const prompt = usePrompt()
  const key = ["virtual-goods", "agent-keys", agent?.id]
  const { data } = useQuery({
    queryKey: key,
    enabled: !!agent,
    queryFn: () => sdk.client.fetch<{ api_keys: ApiKey[] }>(`${BASE}/${agent!.id}/api-keys`),
  })
  const [name, setName] = useState("")
  const [scopes, setScopes] = useState<string[]>(["catalog:read", "orders:read", "orders:write"])
  const [shown, setShown] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      sdk.client.fetch<{ api_key: ApiKey; key: string }>(`${BASE}/${agent!.id}/api-keys`, { method: "POST", body }),
  })
  const close = () => {
    setShown(null)
    setName("")
    setProblem(null)
    onClose()
  }
  const submit = async () => {
    setProblem(null)
    try {
      const r = await create.mutateAsync({ name: name.trim(), scopes })
      setShown(r.key)
      setName("")
      await qc.invalidateQueries({ queryKey: key })
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }
  const revoke = async (k: ApiKey) => {
    const ok = await prompt({
      title: t("virtualGoods.agents.revokeTitle", { name: k.name }),
      description: t("virtualGoods.agents.revokeHint"),
      confirmText: t("virtualGoods.agents.revoke"),
      cancelText: t("virtualGoods.common.cancel"),
    })
    if (!ok) return
    try {
      await sdk.client.fetch(`${BASE}/${agent!.id}/api-keys/${k.id}`, { method: "DELETE" })
      await qc.invalidateQueries({ queryKey: key })
    } catch (e) {
      toast.error(errorMessage(e))
    }
  }
  return (
    <Drawer open={!!agent} onOpenChange={(o) => !o && close()}>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>{agent ? t("virtualGoods.agents.keysOf", { name: agent.name }) : ""}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          {shown && (
            <div className="flex flex-col gap-y-2 rounded-md border border-ui-border-base p-3" data-testid="new-key">
              <Text size="small" weight="plus">
                {t("virtualGoods.agents.keyOnce")}
              </Text>
              <div className="flex items-center gap-2">
                <Text size="small" className="break-all font-mono" data-value>
                  {shown}
                </Text>
                <Copy content={shown} />
              </div>
            </div>
          )}
          {data && !data.api_keys.length && (
            <Text size="small" className="text-ui-fg-subtle">
              {t("virtualGoods.agents.noKeys")}
            </Text>
          )}
          {data?.api_keys.map((k) => (
            <div key={k.id} className="flex items-center justify-between gap-2" data-key={k.id}>
              <div className="flex flex-col">
                <Text size="small" weight="plus">
                  {k.name} <span className="font-mono text-ui-fg-subtle">vgk_{k.prefix}_…</span>
                </Text>
                <Text size="xsmall" className="text-ui-fg-subtle">
                  {k.scopes.join(", ")} ·{" "}
                  {k.last_used_at ? t("virtualGoods.agents.lastUsed", { when: formatDate(k.last_used_at, i18n.language) }) : t("virtualGoods.agents.never")}
                </Text>
              </div>
              {k.revoked_at ? (
                <Badge size="2xsmall" color="red" data-revoked>
                  {t("virtualGoods.agents.revoked")}
                </Badge>
              ) : (
                <Button size="small" variant="transparent" className="text-ui-fg-error" onClick={() => revoke(k)}>
                  {t("virtualGoods.agents.revoke")}
                </Button>
              )}
            </div>
          ))}
          <div className="flex flex-col gap-y-2 border-t border-ui-border-base pt-4">
            <Text size="small" weight="plus">
              {t("virtualGoods.agents.newKey")}
            </Text>
            <Label htmlFor="vg-key-name">{t("virtualGoods.agents.keyName")}</Label>
            <Input id="vg-key-name" value={name} onChange={(e) => setName(e.target.value)} />
            <Label>{t("virtualGoods.agents.scopes")}</Label>
            {SCOPES.map((s) => (
              <div key={s} className="flex items-center gap-2">
                <Checkbox
                  id={`vg-scope-${s}`}
                  checked={scopes.includes(s)}
                  onCheckedChange={(c) => setScopes((cur) => (c ? [...new Set([...cur, s])] : cur.filter((x) => x !== s)))}
                />
                <Label htmlFor={`vg-scope-${s}`}>{s}</Label>
              </div>
            ))}
            <ErrorText>{problem}</ErrorText>
          </div>
        </Drawer.Body>
        <Drawer.Footer>
          <Button size="small" variant="secondary" onClick={close}>
            {t("virtualGoods.common.close")}
          </Button>
          <Button size="small" onClick={submit} isLoading={create.isPending}>
            {t("virtualGoods.agents.createKey")}
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

export const config = defineRouteConfig({
  label: "virtualGoods.agents.menu",
  translationNs: "translation",
})

export default AgentsPage
