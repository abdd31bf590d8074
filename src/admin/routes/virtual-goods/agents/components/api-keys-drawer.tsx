import { Badge, Button, Checkbox, Copy, Input, Label, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText, formatDate } from "../../../../components/common"
import { FormDrawer } from "../../../../components/form-drawer"
import { useAgentApiKeys, useCreateAgentApiKey, useRevokeAgentApiKey } from "../../../../hooks/api/agents"
import { errorMessage } from "../../../../lib/utils"
import { API_KEY_SCOPES, type Agent, type ApiKey, type ApiKeyScope } from "../../../../types"

/**
 * An agent's API keys (prefix, scopes, last use), revoked behind a confirmation; a new key is shown once, with the
 * secret its signed requests are made with (a partner's redemption API, a dujiao-next shop).
 */
export const ApiKeysDrawer = ({ agent, onClose }: { agent: Agent | null; onClose: () => void }) => {
  const { t, i18n } = useTranslation()
  const prompt = usePrompt()
  const { data } = useAgentApiKeys(agent?.id)
  const create = useCreateAgentApiKey()
  const revokeKey = useRevokeAgentApiKey()
  const [name, setName] = useState("")
  // A new key orders by default; redeeming vouchers (a partner platform) is asked for explicitly.
  const [scopes, setScopes] = useState<ApiKeyScope[]>(API_KEY_SCOPES.filter((s) => s !== "vouchers:redeem"))
  const [shown, setShown] = useState<{ key: string; signing_secret: string | null } | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const close = () => {
    setShown(null)
    setName("")
    setProblem(null)
    onClose()
  }
  const submit = async () => {
    if (!agent) return
    setProblem(null)
    try {
      const r = await create.mutateAsync({ agentId: agent.id, name: name.trim(), scopes })
      setShown({ key: r.key, signing_secret: r.signing_secret ?? null })
      setName("")
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }
  const revoke = async (k: ApiKey) => {
    if (!agent) return
    const ok = await prompt({
      title: t("virtualGoods.agents.revokeTitle", { name: k.name }),
      description: t("virtualGoods.agents.revokeHint"),
      confirmText: t("virtualGoods.agents.revoke"),
      cancelText: t("virtualGoods.common.cancel"),
    })
    if (!ok) return
    try {
      await revokeKey.mutateAsync({ agentId: agent.id, keyId: k.id })
    } catch (e) {
      toast.error(errorMessage(e))
    }
  }
  return (
    <FormDrawer
      open={!!agent}
      onOpenChange={(o) => !o && close()}
      title={agent ? t("virtualGoods.agents.keysOf", { name: agent.name }) : ""}
      bodyClassName="flex flex-col gap-y-4 overflow-y-auto"
      footer={
        <>
          <Button size="small" variant="secondary" onClick={close}>
            {t("virtualGoods.common.close")}
          </Button>
          <Button size="small" onClick={submit} isLoading={create.isPending}>
            {t("virtualGoods.agents.createKey")}
          </Button>
        </>
      }
    >
      {shown && (
        <div className="flex flex-col gap-y-2 rounded-md border border-ui-border-base p-3" data-testid="new-key">
          <Text size="small" weight="plus">
            {t("virtualGoods.agents.keyOnce")}
          </Text>
          <div className="flex items-center gap-2">
            <Text size="small" className="break-all font-mono" data-value>
              {shown.key}
            </Text>
            <Copy content={shown.key} />
          </div>
          {shown.signing_secret && (
            <>
              <Text size="xsmall" className="text-ui-fg-subtle">
                {t("virtualGoods.agents.signingSecret")}
              </Text>
              <div className="flex items-center gap-2">
                <Text size="small" className="break-all font-mono" data-signing-secret>
                  {shown.signing_secret}
                </Text>
                <Copy content={shown.signing_secret} />
              </div>
            </>
          )}
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
        {API_KEY_SCOPES.map((s) => (
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
    </FormDrawer>
  )
}
