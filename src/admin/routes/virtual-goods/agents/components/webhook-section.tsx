import { Button, Container, Copy, Text, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText } from "../../../../components/common"
import { InputField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { useSetAgentWebhook } from "../../../../hooks/api/agents"
import { errorMessage } from "../../../../lib/utils"
import type { Agent, WebhookInput } from "../../../../types"
import { WebhookDeliveries } from "./webhook-deliveries"

/** The agent's webhook URL; its signing secret, shown once when set or renewed; the deliveries below. */
export const WebhookSection = ({ agent }: { agent: Agent }) => {
  const { t } = useTranslation()
  const prompt = usePrompt()
  const [url, setUrl] = useState(agent.webhook_url ?? "")
  const [secret, setSecret] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => setUrl(agent.webhook_url ?? ""), [agent.webhook_url])
  const set = useSetAgentWebhook(agent.id)

  const apply = async (body: WebhookInput) => {
    setProblem(null)
    try {
      const r = await set.mutateAsync(body)
      setSecret(r.secret)
      toast.success(t("virtualGoods.common.saved"))
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

  return (
    <Container className="divide-y p-0" data-testid="agent-webhook">
      <SectionHeader title={t("virtualGoods.agentDetail.webhook")} hint={t("virtualGoods.agentDetail.webhookHint")} />
      <form className="flex flex-wrap items-end gap-4 px-6 py-4" onSubmit={save}>
        <InputField
          id="vg-webhook-url"
          className="flex min-w-96 flex-1 flex-col gap-y-2"
          label={t("virtualGoods.agentDetail.webhookUrl")}
          placeholder="https://…"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
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
      <WebhookDeliveries agentId={agent.id} />
    </Container>
  )
}
