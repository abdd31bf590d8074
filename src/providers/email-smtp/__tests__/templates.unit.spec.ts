import { resolveSmtpOptions } from "../service"
import { MAIL_TEMPLATES, mailLocaleOf } from "../templates"

const ctx = (data: Record<string, unknown>, locale: "en" | "zh-CN" = "en", reveal_url: string | null = "https://shop.test/r/TOKEN") => ({
  data,
  locale,
  store_name: "Shop <&>",
  reveal_url,
})

describe("SMTP email provider", () => {
  it("fills options from the environment and names the option at fault", () => {
    expect(resolveSmtpOptions({}, { VIRTUAL_GOODS_SMTP_HOST: "smtp.test", VIRTUAL_GOODS_MAIL_FROM: "shop@test" })).toEqual({
      host: "smtp.test",
      port: 587,
      secure: false,
      require_tls: false,
      user: "",
      password: "",
      from: "shop@test",
      store_name: "Store",
      default_locale: "en",
    })
    expect(resolveSmtpOptions({ host: "h", from: "f", secure: "true" }, {}).port).toBe(465)
    expect(() => resolveSmtpOptions({ from: "f" }, {})).toThrow("SMTP email provider: option host (VIRTUAL_GOODS_SMTP_HOST) is required")
    expect(() => resolveSmtpOptions({ host: "h" }, {})).toThrow("option from (VIRTUAL_GOODS_MAIL_FROM) is required")
    expect(() => resolveSmtpOptions({ host: "h", from: "f", port: "99999" }, {})).toThrow('option port must be a port number, got "99999"')
    expect(() => resolveSmtpOptions({ host: "h", from: "f", secure: "maybe" }, {})).toThrow('option secure must be true or false, got "maybe"')
    expect(() => resolveSmtpOptions({ host: "h", from: "f", user: "u" }, {})).toThrow("options user and password go together")
    expect(() => resolveSmtpOptions({ host: "h", from: "f", default_locale: "fr" }, {})).toThrow('option default_locale must be "en" or "zh-CN", got "fr"')
  })

  it("reads zh* locales as Simplified Chinese, anything else as English, nothing as the default", () => {
    expect([mailLocaleOf("zh-CN", "en"), mailLocaleOf("zh", "en"), mailLocaleOf("en-US", "zh-CN"), mailLocaleOf(null, "zh-CN")]).toEqual(["zh-CN", "zh-CN", "en", "zh-CN"])
  })

  it("renders the delivery in both languages with masks and the link, escaping what it prints in HTML", () => {
    const data = { display_id: 42, codes: [{ mask: "****AB<1" }], reveal_url_expires_at: "2026-12-03T10:00:00.000Z", reveal_url_max_uses: 5 }
    const en = MAIL_TEMPLATES["virtual-goods.codes-delivered"](ctx(data))
    expect(en.subject).toBe("Your codes for order #42 are ready")
    expect(en.text).toContain("  • ****AB<1")
    expect(en.text).toContain("Open my codes: https://shop.test/r/TOKEN")
    expect(en.text).toContain("The link works until 3 Dec 2026, 10:00 UTC, at most 5 times.")
    expect(en.html).toContain("****AB&lt;1")
    expect(en.html).toContain('<a href="https://shop.test/r/TOKEN"')
    expect(en.html).toContain("— Shop &lt;&amp;&gt;")
    const zh = MAIL_TEMPLATES["virtual-goods.codes-delivered"](ctx({ ...data, reissued_code_id: "ccode_1" }, "zh-CN"))
    expect(zh.subject).toBe("订单 #42 的卡密已补发")
    expect(zh.text).toContain("查看卡密: https://shop.test/r/TOKEN")
    expect(zh.text).toContain("最多可打开 5 次")
    // Without a link (a notification without reveal_link) the email sends the shopper to their account.
    expect(MAIL_TEMPLATES["virtual-goods.codes-delivered"](ctx(data, "en", null)).text).toContain("Sign in to your account to see your codes.")
  })

  it("renders the rejection and the stock alert", () => {
    expect(MAIL_TEMPLATES["virtual-goods.order-rejected"](ctx({ display_id: 7 }, "zh-CN")).subject).toBe("订单 #7 未能完成")
    const alert = MAIL_TEMPLATES["virtual-goods.stock-alert"](
      ctx({ title: "Low stock: Youku", description: "3 codes left", pool_name: "Youku", details: { available: 3, threshold: 10 } })
    )
    expect(alert.subject).toBe("[Shop <&>] Low stock: Youku")
    expect(alert.text).toContain("  • Pool: Youku\n  • available: 3\n  • threshold: 10")
  })
  it("renders a campaign's gift: masks, the link and its limits, in both languages, escaped", () => {
    const data = { campaign_name: "拉新送7天会员 <b>", codes: [{ id: "ccode_1", mask: "****9F3A" }], reveal_url_expires_at: "2026-12-31T00:00:00.000Z", reveal_url_max_uses: 5 }
    const en = MAIL_TEMPLATES["virtual-goods.campaign-gift"](ctx(data))
    expect(en.subject).toBe("A gift for you: 拉新送7天会员 <b>")
    expect(en.text).toContain("****9F3A")
    expect(en.text).toContain("Open my code: https://shop.test/r/TOKEN")
    expect(en.text).toContain("at most 5 times")
    expect(en.html).toContain("拉新送7天会员 &lt;b&gt;")
    expect(en.html).not.toContain("<b>")
    const zh = MAIL_TEMPLATES["virtual-goods.campaign-gift"](ctx(data, "zh-CN"))
    expect(zh.subject).toBe("送您一份礼物：拉新送7天会员 <b>")
    expect(zh.text).toContain("查看卡密: https://shop.test/r/TOKEN")
    expect(zh.text).toContain("最多可打开 5 次")
  })
  it("tells a shared code's holder it was withdrawn: masks and the reason only, no link, in both languages, escaped", () => {
    const data = { display_id: 12, reason: "account closed <script>", codes: [{ id: "ccode_1", mask: "fami****test" }] }
    const en = MAIL_TEMPLATES["virtual-goods.shared-code-withdrawn"](ctx(data))
    expect(en.subject).toBe("A shared code of order #12 was withdrawn")
    expect(en.text).toContain("fami****test")
    expect(en.text).toContain("Reason: account closed <script>")
    expect(en.text).not.toContain("https://")
    expect(en.html).toContain("account closed &lt;script&gt;")
    expect(en.html).not.toContain("<script>")
    const zh = MAIL_TEMPLATES["virtual-goods.shared-code-withdrawn"](ctx(data, "zh-CN"))
    expect(zh.subject).toBe("订单 #12 的共享卡密已停用")
    expect(zh.text).toContain("原因：account closed <script>")
  })
})
