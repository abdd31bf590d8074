import {
  VIRTUAL_GOODS_DELIVERED_TEMPLATE,
  VIRTUAL_GOODS_EXPIRY_REMINDER_TEMPLATE,
  VIRTUAL_GOODS_PAYMENT_ALERT_TEMPLATE,
  VIRTUAL_GOODS_PAYMENT_FAILED_TEMPLATE,
  VIRTUAL_GOODS_PAYMENT_REFUNDED_TEMPLATE,
  VIRTUAL_GOODS_PURCHASE_REFUNDED_TEMPLATE,
  VIRTUAL_GOODS_TOPUP_REFUNDED_TEMPLATE,
  VIRTUAL_GOODS_CAMPAIGN_GIFT_TEMPLATE,
  VIRTUAL_GOODS_SHARED_CODE_WITHDRAWN_TEMPLATE,
  VIRTUAL_GOODS_TOPUP_SUCCEEDED_TEMPLATE,
  VIRTUAL_GOODS_REJECTED_TEMPLATE,
  VIRTUAL_GOODS_STOCK_ALERT_TEMPLATE,
} from "../../utils/notification-templates"

/** Languages the messages are written in. An order's locale `zh*` reads Simplified Chinese, anything else English. */
export type MailLocale = "en" | "zh-CN"

export type RenderedMail = { subject: string; text: string; html: string }

/** What a template is given: the notification's data plus what the provider renders (the link, in memory only). */
export type MailContext = {
  data: Record<string, unknown>
  locale: MailLocale
  store_name: string
  /** The guest link, rendered from `data.reveal_link` with the link key; null when the data has none. */
  reveal_url: string | null
}

export function mailLocaleOf(value: unknown, fallback: MailLocale): MailLocale {
  if (typeof value !== "string" || !value) return fallback
  return value.toLowerCase().startsWith("zh") ? "zh-CN" : "en"
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;")

const str = (v: unknown) => (v === null || v === undefined ? "" : String(v))

function formatDate(iso: unknown, locale: MailLocale): string {
  const d = new Date(str(iso))
  if (Number.isNaN(d.getTime())) return ""
  return new Intl.DateTimeFormat(locale === "zh-CN" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(d) + " UTC"
}

/** One message in both forms: paragraphs (plain text) and the same as HTML, with an optional button and list. */
function compose(ctx: MailContext, m: { subject: string; heading: string; paragraphs: string[]; list?: string[]; button?: { label: string; url: string }; after?: string[] }): RenderedMail {
  const text = [
    m.heading,
    "",
    ...m.paragraphs.flatMap((p) => [p, ""]),
    ...(m.list?.length ? [...m.list.map((l) => `  • ${l}`), ""] : []),
    ...(m.button ? [`${m.button.label}: ${m.button.url}`, ""] : []),
    ...(m.after ?? []).flatMap((p) => [p, ""]),
    `— ${ctx.store_name}`,
  ].join("\n")
  const html = [
    `<!doctype html><html lang="${ctx.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(m.subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f6f6f7;font-family:-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;color:#111">`,
    `<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">`,
    `<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(m.heading)}</h1>`,
    ...m.paragraphs.map((p) => `<p style="line-height:1.5">${escapeHtml(p)}</p>`),
    ...(m.list?.length ? [`<ul>${m.list.map((l) => `<li style="font-family:monospace">${escapeHtml(l)}</li>`).join("")}</ul>`] : []),
    ...(m.button
      ? [
          `<p><a href="${escapeHtml(m.button.url)}" style="display:inline-block;background:#111;color:#fff;text-decoration:none;padding:10px 18px;border-radius:6px">${escapeHtml(m.button.label)}</a></p>`,
        ]
      : []),
    ...(m.after ?? []).map((p) => `<p style="line-height:1.5;color:#555;font-size:13px">${escapeHtml(p)}</p>`),
    `<p style="color:#888;font-size:12px">— ${escapeHtml(ctx.store_name)}</p>`,
    `</div></body></html>`,
  ].join("")
  return { subject: m.subject, text, html }
}

const orderNo = (data: Record<string, unknown>) => (data.display_id !== null && data.display_id !== undefined ? `#${data.display_id}` : str(data.order_id))

function codesDelivered(ctx: MailContext): RenderedMail {
  const { data, locale } = ctx
  const codes = Array.isArray(data.codes) ? (data.codes as { mask?: unknown }[]).map((c) => str(c.mask)) : []
  const expires = formatDate(data.reveal_url_expires_at, locale)
  const uses = str(data.reveal_url_max_uses)
  const kind = data.reissued_code_id ? "reissued" : data.lookup ? "lookup" : data.resent ? "resent" : "delivered"
  const zh = locale === "zh-CN"
  const subject = zh
    ? { delivered: `您的订单 ${orderNo(data)} 卡密已发放`, reissued: `订单 ${orderNo(data)} 的卡密已补发`, resent: `订单 ${orderNo(data)} 的卡密链接（重新发送）`, lookup: `订单 ${orderNo(data)} 的新查看链接` }[kind]
    : { delivered: `Your codes for order ${orderNo(data)} are ready`, reissued: `A code of order ${orderNo(data)} was replaced`, resent: `Your codes for order ${orderNo(data)} (sent again)`, lookup: `A new link to your codes for order ${orderNo(data)}` }[kind]
  const intro = zh
    ? {
        delivered: "感谢您的购买。您的卡密已准备好，下面只显示掩码；点击按钮在安全页面中查看完整卡密。",
        reissued: "订单中的一张卡密已作废并补发了新卡密。旧卡密已失效，请点击按钮查看新卡密。",
        resent: "应您的要求，我们重新发送了订单的卡密链接。此前的链接仍按其次数和期限有效。",
        lookup: "您通过订单查询申请了新的查看链接。如果这不是您本人的操作，可以忽略此邮件。",
      }[kind]
    : {
        delivered: "Thank you for your order. Your codes are ready; they are shown masked below. Open them on a secure page with the button.",
        reissued: "A code of your order was voided and replaced with a new one. The old code no longer works; open the new one with the button.",
        resent: "As asked, here is the link to your order's codes again. Earlier links keep working within their uses and expiry.",
        lookup: "You asked for a new link to your order's codes. If that was not you, you can ignore this email.",
      }[kind]
  const limits = ctx.reveal_url
    ? zh
      ? `链接有效期至 ${expires}，最多可打开 ${uses} 次。请勿转发此邮件：持有链接的人可以查看卡密。`
      : `The link works until ${expires}, at most ${uses} times. Do not forward this email: whoever holds the link can open the codes.`
    : zh
      ? "请登录您的账户查看卡密。"
      : "Sign in to your account to see your codes."
  return compose(ctx, {
    subject,
    heading: subject,
    paragraphs: [intro],
    list: codes,
    button: ctx.reveal_url ? { label: zh ? "查看卡密" : "Open my codes", url: ctx.reveal_url } : undefined,
    after: [limits],
  })
}

function expiryReminder(ctx: MailContext): RenderedMail {
  const zh = ctx.locale === "zh-CN"
  const codes = Array.isArray(ctx.data.codes) ? (ctx.data.codes as { mask?: unknown; expires_at?: unknown }[]) : []
  const day = (v: unknown) => (v ? new Date(String(v)).toISOString().slice(0, 10) : "")
  const subject = zh ? `订单 ${orderNo(ctx.data)} 的卡密即将过期` : `Codes of order ${orderNo(ctx.data)} expire soon`
  return compose(ctx, {
    subject,
    heading: subject,
    paragraphs: [
      zh
        ? "以下卡密尚未使用，即将过期。请在到期前使用；过期后将无法使用。"
        : "These codes are not used yet and expire soon. Use them before they do: an expired code no longer works.",
    ],
    list: codes.map((c) => (zh ? `${str(c.mask)}（${day(c.expires_at)} 到期）` : `${str(c.mask)} (expires ${day(c.expires_at)})`)),
    after: [zh ? "登录账户或使用发货邮件中的链接查看卡密。" : "Sign in to your account, or use the link of your delivery email, to see them."],
  })
}

function sharedCodeWithdrawn(ctx: MailContext): RenderedMail {
  const zh = ctx.locale === "zh-CN"
  const codes = Array.isArray(ctx.data.codes) ? (ctx.data.codes as { mask?: unknown }[]).map((c) => str(c.mask)) : []
  const subject = zh ? `订单 ${orderNo(ctx.data)} 的共享卡密已停用` : `A shared code of order ${orderNo(ctx.data)} was withdrawn`
  const reason = str(ctx.data.reason)
  return compose(ctx, {
    subject,
    heading: subject,
    paragraphs: [
      zh
        ? "您购买的以下共享卡密（共享账号或链接）已被商家停止销售，可能无法继续使用。如需补发或退款，请回复此邮件联系我们。"
        : "The merchant stopped selling the shared code below (a shared account or link) that you bought; it may stop working. Reply to this email for a replacement or a refund.",
      ...(reason ? [zh ? `原因：${reason}` : `Reason: ${reason}`] : []),
    ],
    list: codes,
  })
}

function campaignGift(ctx: MailContext): RenderedMail {
  const zh = ctx.locale === "zh-CN"
  const codes = Array.isArray(ctx.data.codes) ? (ctx.data.codes as { mask?: unknown }[]).map((c) => str(c.mask)) : []
  const name = str(ctx.data.campaign_name)
  const subject = zh ? `送您一份礼物：${name}` : `A gift for you: ${name}`
  const expires = formatDate(ctx.data.reveal_url_expires_at, ctx.locale)
  const uses = str(ctx.data.reveal_url_max_uses)
  return compose(ctx, {
    subject,
    heading: subject,
    paragraphs: [
      zh ? "感谢您的支持，我们为您送上一张卡密，下面只显示掩码；点击按钮在安全页面中查看。" : "Thank you for joining us. Here is a code for you, shown masked below; open it on a secure page with the button.",
    ],
    list: codes,
    button: ctx.reveal_url ? { label: zh ? "查看卡密" : "Open my code", url: ctx.reveal_url } : undefined,
    after: [
      zh
        ? `链接有效期至 ${expires}，最多可打开 ${uses} 次。请勿转发此邮件：持有链接的人可以查看卡密。`
        : `The link works until ${expires}, at most ${uses} times. Do not forward this email: whoever holds the link can open the code.`,
    ],
  })
}

function orderRejected(ctx: MailContext): RenderedMail {
  const zh = ctx.locale === "zh-CN"
  const subject = zh ? `订单 ${orderNo(ctx.data)} 未能完成` : `Order ${orderNo(ctx.data)} could not be completed`
  return compose(ctx, {
    subject,
    heading: subject,
    paragraphs: [
      zh
        ? "很抱歉，您的订单经审核后未能完成，未发放任何卡密。款项将原路退回，到账时间取决于您的支付方式。"
        : "We are sorry: after a review your order could not be completed and no code was delivered. Your payment is refunded to the original method; when it arrives depends on that method.",
    ],
    after: [zh ? "如有疑问，请回复此邮件联系我们。" : "If you have questions, reply to this email."],
  })
}

function stockAlert(ctx: MailContext): RenderedMail {
  const { data } = ctx
  const zh = ctx.locale === "zh-CN"
  const title = str(data.title) || (zh ? "库存提醒" : "Stock alert")
  const details = data.details && typeof data.details === "object" ? Object.entries(data.details as Record<string, unknown>).map(([k, v]) => `${k}: ${str(v)}`) : []
  return compose(ctx, {
    subject: `[${ctx.store_name}] ${title}`,
    heading: title,
    paragraphs: [str(data.description)].filter(Boolean),
    list: [...(data.pool_name ? [`${zh ? "卡池" : "Pool"}: ${str(data.pool_name)}`] : []), ...details],
    after: [zh ? "在管理后台的虚拟商品页面处理此提醒。" : "Handle it on the Virtual goods page of the admin."],
  })
}

function paymentFailed(ctx: MailContext): RenderedMail {
  const zh = ctx.locale === "zh-CN"
  const reason = str(ctx.data.reason)
  const subject = zh ? "您的付款未完成" : "Your payment did not go through"
  const why = zh
    ? { failed: "支付机构拒绝了这笔付款。", canceled: "这笔付款已被取消。", expired: "付款在规定时间内未完成。", refused: "我们未能完成您的订单（例如商品已售罄），已撤销这笔付款的授权。" }[reason] ?? "付款未完成。"
    : {
        failed: "The payment was declined.",
        canceled: "The payment was canceled.",
        expired: "The payment was not completed in time.",
        refused: "We could not complete your order (for example, the item sold out), so the payment's authorization was released.",
      }[reason] ?? "The payment was not completed."
  return compose(ctx, {
    subject,
    heading: subject,
    paragraphs: [
      why,
      zh
        ? "我们没有向您收取任何费用，为您保留的卡密已释放。您可以随时重新下单。"
        : "You were not charged, and the codes we held for you went back to stock. You can place the order again at any time.",
      ...(ctx.data.message ? [`${zh ? "支付机构的说明" : "The payment provider said"}: ${str(ctx.data.message)}`] : []),
    ],
  })
}

function paymentRefunded(ctx: MailContext): RenderedMail {
  const zh = ctx.locale === "zh-CN"
  const subject = zh ? "您的订单未能完成，款项已退回" : "Your order could not be completed — your payment is refunded"
  const amount = ctx.data.amount !== undefined && ctx.data.amount !== null ? `${str(ctx.data.amount)} ${str(ctx.data.currency_code).toUpperCase()}` : ""
  return compose(ctx, {
    subject,
    heading: subject,
    paragraphs: [
      zh
        ? "很抱歉，您付款后我们未能完成订单（例如商品已售罄），未发放任何卡密。"
        : "We are sorry: after your payment we could not complete the order (for example, the item sold out) and no code was delivered.",
      zh
        ? `已全额退款${amount ? `（${amount}）` : ""}，到账时间取决于您的支付方式。`
        : `Your payment${amount ? ` of ${amount}` : ""} is refunded in full; when it arrives depends on your payment method.`,
    ],
    after: [zh ? "如有疑问，请回复此邮件联系我们。" : "If you have questions, reply to this email."],
  })
}

function topUpRefunded(ctx: MailContext): RenderedMail {
  const zh = ctx.locale === "zh-CN"
  const subject = zh ? `订单 ${orderNo(ctx.data)} 的充值未能完成，款项已退回` : `The top-up of order ${orderNo(ctx.data)} failed — it is refunded`
  const amount = ctx.data.amount !== undefined && ctx.data.amount !== null ? `${str(ctx.data.amount)} ${str(ctx.data.currency_code).toUpperCase()}` : ""
  return compose(ctx, {
    subject,
    heading: subject,
    paragraphs: [
      zh
        ? `供应商未能为 ${str(ctx.data.recipient)} 完成「${str(ctx.data.product)}」的充值${ctx.data.reason ? `（${str(ctx.data.reason)}）` : ""}。`
        : `The supplier could not credit "${str(ctx.data.product)}" to ${str(ctx.data.recipient)}${ctx.data.reason ? ` (${str(ctx.data.reason)})` : ""}.`,
      zh
        ? `该商品的款项${amount ? `（${amount}）` : ""}已退回，到账时间取决于您的支付方式。`
        : `Its payment${amount ? ` of ${amount}` : ""} is refunded; when it arrives depends on your payment method.`,
    ],
    after: [zh ? "如有疑问，请回复此邮件联系我们。" : "If you have questions, reply to this email."],
  })
}

function purchaseRefunded(ctx: MailContext): RenderedMail {
  const zh = ctx.locale === "zh-CN"
  const subject = zh ? `订单 ${orderNo(ctx.data)} 有卡密未能采购，相应款项已退回` : `Order ${orderNo(ctx.data)}: some codes could not be obtained — they are refunded`
  const amount = ctx.data.amount !== undefined && ctx.data.amount !== null ? `${str(ctx.data.amount)} ${str(ctx.data.currency_code).toUpperCase()}` : ""
  const quantity = str(ctx.data.quantity ?? "")
  return compose(ctx, {
    subject,
    heading: subject,
    paragraphs: [
      zh
        ? `我们未能从供货商处采购「${str(ctx.data.product)}」的 ${quantity} 张卡密${ctx.data.reason ? `（${str(ctx.data.reason)}）` : ""}。`
        : `We could not obtain ${quantity} code(s) of "${str(ctx.data.product)}" from our supplier${ctx.data.reason ? ` (${str(ctx.data.reason)})` : ""}.`,
      zh
        ? `这部分款项${amount ? `（${amount}）` : ""}已退回，到账时间取决于您的支付方式；订单中已发放的卡密不受影响。`
        : `Their payment${amount ? ` of ${amount}` : ""} is refunded; when it arrives depends on your payment method. Codes already delivered with this order stay yours.`,
    ],
    after: [zh ? "如有疑问，请回复此邮件联系我们。" : "If you have questions, reply to this email."],
  })
}

function topUpSucceeded(ctx: MailContext): RenderedMail {
  const zh = ctx.locale === "zh-CN"
  const subject = zh ? `订单 ${orderNo(ctx.data)} 已充值成功` : `Order ${orderNo(ctx.data)}: your top-up is done`
  return compose(ctx, {
    subject,
    heading: subject,
    paragraphs: [zh ? `「${str(ctx.data.product)}」已充值到 ${str(ctx.data.recipient)}。` : `"${str(ctx.data.product)}" was credited to ${str(ctx.data.recipient)}.`],
  })
}

function paymentAlert(ctx: MailContext): RenderedMail {
  const zh = ctx.locale === "zh-CN"
  const title = str(ctx.data.title) || (zh ? "付款提醒" : "Payment alert")
  return compose(ctx, {
    subject: `[${ctx.store_name}] ${title}`,
    heading: title,
    paragraphs: [str(ctx.data.description)].filter(Boolean),
    list: ctx.data.order_id ? [`${zh ? "订单" : "Order"}: ${str(ctx.data.order_id)}`] : [],
    after: [zh ? "在管理后台的“付款”页面处理此提醒。" : "Handle it on the Payments page of the admin."],
  })
}

/** The templates this provider renders, by notification template id. */
export const MAIL_TEMPLATES: Record<string, (ctx: MailContext) => RenderedMail> = {
  [VIRTUAL_GOODS_DELIVERED_TEMPLATE]: codesDelivered,
  [VIRTUAL_GOODS_REJECTED_TEMPLATE]: orderRejected,
  [VIRTUAL_GOODS_STOCK_ALERT_TEMPLATE]: stockAlert,
  [VIRTUAL_GOODS_PAYMENT_FAILED_TEMPLATE]: paymentFailed,
  [VIRTUAL_GOODS_PAYMENT_REFUNDED_TEMPLATE]: paymentRefunded,
  [VIRTUAL_GOODS_PAYMENT_ALERT_TEMPLATE]: paymentAlert,
  [VIRTUAL_GOODS_TOPUP_REFUNDED_TEMPLATE]: topUpRefunded,
  [VIRTUAL_GOODS_TOPUP_SUCCEEDED_TEMPLATE]: topUpSucceeded,
  [VIRTUAL_GOODS_PURCHASE_REFUNDED_TEMPLATE]: purchaseRefunded,
  [VIRTUAL_GOODS_EXPIRY_REMINDER_TEMPLATE]: expiryReminder,
  [VIRTUAL_GOODS_CAMPAIGN_GIFT_TEMPLATE]: campaignGift,
  [VIRTUAL_GOODS_SHARED_CODE_WITHDRAWN_TEMPLATE]: sharedCodeWithdrawn,
}
