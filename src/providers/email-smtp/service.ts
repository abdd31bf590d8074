import nodemailer, { Transporter } from "nodemailer"
import type { Logger, ProviderSendNotificationDTO, ProviderSendNotificationResultsDTO } from "@medusajs/framework/types"
import { AbstractNotificationProviderService, MedusaError } from "@medusajs/framework/utils"
import { revealLinkKey, revealUrlOf } from "../../modules/card-vault/utils/reveal-link"
import { MAIL_TEMPLATES, MailLocale, mailLocaleOf } from "./templates"

/**
 * Options of the SMTP email provider. Every field can come from the environment (VIRTUAL_GOODS_SMTP_*): a company
 * mailbox or a mail service's SMTP relay.
 */
export type SmtpEmailOptions = {
  /** SMTP server. Env VIRTUAL_GOODS_SMTP_HOST. Required. */
  host?: string
  /** Default 587 (465 when `secure`). Env VIRTUAL_GOODS_SMTP_PORT. */
  port?: number | string
  /** TLS from the first byte (port 465). Default false: STARTTLS when the server offers it. Env VIRTUAL_GOODS_SMTP_SECURE. */
  secure?: boolean | string
  /** Refuse to send unless the connection is encrypted (STARTTLS required). Default false. Env VIRTUAL_GOODS_SMTP_REQUIRE_TLS. */
  require_tls?: boolean | string
  /** Login, when the server asks for one. Env VIRTUAL_GOODS_SMTP_USER / VIRTUAL_GOODS_SMTP_PASSWORD. */
  user?: string
  password?: string
  /** Sender, e.g. `"Shop" <shop@example.com>`. Env VIRTUAL_GOODS_MAIL_FROM. Required. */
  from?: string
  /** Name in the messages' signature. Default "Store". Env VIRTUAL_GOODS_STORE_NAME. */
  store_name?: string
  /** Language when the order has no locale: `en` or `zh-CN`. Default `en`. Env VIRTUAL_GOODS_MAIL_LOCALE. */
  default_locale?: string
  /** Key of the guest links (see the card vault's `link_key`); default from VIRTUAL_GOODS_LINK_KEY / the blind index key. */
  link_key?: string
  blind_index_key?: string
  /** Channels this provider serves (Medusa's provider option). Default ["email"]. */
  channels?: string[]
}

const ENV: Record<string, string> = {
  host: "VIRTUAL_GOODS_SMTP_HOST",
  port: "VIRTUAL_GOODS_SMTP_PORT",
  secure: "VIRTUAL_GOODS_SMTP_SECURE",
  require_tls: "VIRTUAL_GOODS_SMTP_REQUIRE_TLS",
  user: "VIRTUAL_GOODS_SMTP_USER",
  password: "VIRTUAL_GOODS_SMTP_PASSWORD",
  from: "VIRTUAL_GOODS_MAIL_FROM",
  store_name: "VIRTUAL_GOODS_STORE_NAME",
  default_locale: "VIRTUAL_GOODS_MAIL_LOCALE",
}

type Resolved = {
  host: string
  port: number
  secure: boolean
  require_tls: boolean
  user: string
  password: string
  from: string
  store_name: string
  default_locale: MailLocale
}

const bool = (v: unknown, name: string) => {
  if (v === undefined || v === null || v === "") return false
  if (typeof v === "boolean") return v
  const s = String(v).toLowerCase()
  if (["1", "true", "yes", "on"].includes(s)) return true
  if (["0", "false", "no", "off"].includes(s)) return false
  throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, `SMTP email provider: option ${name} must be true or false, got "${v}"`)
}

/** The options with the environment's values filled in, checked; a clear error names the option at fault. */
export function resolveSmtpOptions(given: SmtpEmailOptions = {}, env: Record<string, string | undefined> = process.env): Resolved {
  const o: Record<string, unknown> = { ...given }
  for (const [option, variable] of Object.entries(ENV)) {
    if ((o[option] === undefined || o[option] === null || o[option] === "") && env[variable] !== undefined) o[option] = env[variable]
  }
  const host = String(o.host ?? "").trim()
  if (!host) throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, "SMTP email provider: option host (VIRTUAL_GOODS_SMTP_HOST) is required")
  const from = String(o.from ?? "").trim()
  if (!from) throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, "SMTP email provider: option from (VIRTUAL_GOODS_MAIL_FROM) is required")
  const secure = bool(o.secure, "secure")
  const port = o.port === undefined || o.port === null || o.port === "" ? (secure ? 465 : 587) : Number(o.port)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, `SMTP email provider: option port must be a port number, got "${o.port}"`)
  }
  const locale = String(o.default_locale ?? "en")
  if (!["en", "zh-CN"].includes(locale)) {
    throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, `SMTP email provider: option default_locale must be "en" or "zh-CN", got "${locale}"`)
  }
  const user = String(o.user ?? "")
  const password = String(o.password ?? "")
  if (Boolean(user) !== Boolean(password)) {
    throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, "SMTP email provider: options user and password go together (set both or neither)")
  }
  return {
    host,
    port,
    secure,
    require_tls: bool(o.require_tls, "require_tls"),
    user,
    password,
    from,
    store_name: String(o.store_name || "Store"),
    default_locale: locale as MailLocale,
  }
}

/**
 * Email over SMTP with nodemailer, for the `email` channel: renders our notifications (codes delivered, reissued, sent
 * again or asked for by order lookup; order rejected after review; stock alerts) in English or Simplified Chinese, HTML
 * and text. Never a code: masks and the guest link only, and the link is rendered here, in memory, from the
 * notification's `reveal_link` with the link key — Medusa's `notification` table keeps no usable link. A notification
 * with another template is sent from its `content` (subject, html, text) when it has one, and refused otherwise.
 */
export class SmtpEmailNotificationService extends AbstractNotificationProviderService {
  static identifier = "virtual-goods-smtp"

  protected readonly options_: Resolved
  protected readonly logger_: Logger
  protected readonly transporter_: Transporter
  protected readonly linkKey_: Buffer

  static validateOptions(options: Record<string, unknown>) {
    resolveSmtpOptions(options as SmtpEmailOptions)
    revealLinkKey(options as SmtpEmailOptions)
  }

  constructor({ logger }: { logger: Logger }, options: SmtpEmailOptions = {}) {
    super()
    this.logger_ = logger
    this.options_ = resolveSmtpOptions(options)
    this.linkKey_ = revealLinkKey(options)
    this.transporter_ = nodemailer.createTransport({
      host: this.options_.host,
      port: this.options_.port,
      secure: this.options_.secure,
      requireTLS: this.options_.require_tls,
      auth: this.options_.user ? { user: this.options_.user, pass: this.options_.password } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    })
  }

  async send(notification: ProviderSendNotificationDTO): Promise<ProviderSendNotificationResultsDTO> {
    const data = (notification.data ?? {}) as Record<string, unknown>
    const template = MAIL_TEMPLATES[notification.template]
    let mail: { subject: string; text?: string; html?: string }
    if (template) {
      mail = template({
        data,
        locale: mailLocaleOf(data.locale, this.options_.default_locale),
        store_name: this.options_.store_name,
        reveal_url: revealUrlOf(data, this.linkKey_),
      })
    } else if (notification.content?.subject && (notification.content.html || notification.content.text)) {
      mail = { subject: notification.content.subject, html: notification.content.html, text: notification.content.text }
    } else {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `SMTP email provider: no template "${notification.template}" and no content (subject and html or text) to send`
      )
    }
    const info = await this.transporter_.sendMail({
      from: notification.from || this.options_.from,
      to: notification.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: (notification.attachments ?? []).map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.content_type,
        encoding: "base64",
      })),
    })
    return { id: String(info.messageId ?? "") }
  }
}
