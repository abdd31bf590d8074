"use strict"

/**
 * The shopper's half in a real browser: the Next.js storefront (storefront/, built and started with its own server)
 * against this repository's app on a database of its own, email through a real SMTP server on loopback. Debian's
 * Chromium driven by playwright-core. Screenshots go to docs/screenshots/storefront-*.png.
 *
 * The storefront runs as it would behind one proxy of the store's own (STOREFRONT_TRUSTED_PROXY_HOPS=1): each browser
 * context plays a shopper at its own address by sending the X-Forwarded-For that proxy would add, and the app trusts
 * the storefront (loopback) to forward it — so a per-IP risk rule sees shoppers, not the storefront.
 */

const { after, before, describe, test } = require("node:test")
const assert = require("node:assert/strict")
const fs = require("fs")
const net = require("net")
const path = require("path")
const { ensureChromium } = require("../../scripts/lib/chromium")
const { startMailCatcher } = require("../../scripts/lib/mail-catcher")
const { ensureStorefrontBuilt, startStorefront } = require("../../scripts/lib/storefront")
const { startApp } = require("./app")

const ROOT = path.resolve(__dirname, "..", "..")
const SHOTS = path.join(ROOT, "docs", "screenshots")
const ADMIN = { email: "admin@storefront.test", password: "St0refront-test!" }
const STEP_TIMEOUT = 30_000
const LINK_USES = 2

let app
let catcher
let storefront
let sfUrl
let browser
let adminToken

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })

/** A browser context playing one shopper at `ip` (the address the store's proxy would forward). */
async function shopper(ip, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", extraHTTPHeaders: { "x-forwarded-for": ip }, ...options })
  context.setDefaultTimeout(STEP_TIMEOUT)
  return { context, page: await context.newPage() }
}

async function adminApi(method, route, body) {
  const res = await fetch(`${app.url}${route}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
    body: body ? JSON.stringify(body) : undefined,
  })
  const data = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(data)}`)
  return data
}

/** Buys `quantity` of the product at `handle` through the storefront's pages; returns the confirmation's order id. */
async function buy(page, { handle, quantity = 1, email }) {
  await page.goto(`${sfUrl}/us/products/${handle}`)
  await page.getByTestId("in-stock").waitFor()
  if (quantity !== 1) await page.locator("#qty").fill(String(quantity))
  await page.getByTestId("add-to-cart").click()
  await page.getByTestId("add-result").waitFor()
  await page.goto(`${sfUrl}/us/checkout`)
  if (email) await page.getByTestId("checkout-email").fill(email)
  await page.getByTestId("place-order").click()
  await page.waitForURL(/\/us\/order\/order_[A-Z0-9]+\/confirmed$/, { timeout: 60_000 })
  return /\/order\/(order_[A-Z0-9]+)\//.exec(page.url())[1]
}

const linkOf = (mail) => {
  const m = /href="([^"]*\/virtual-goods\/reveal\/[^"]+)"/.exec(mail.html)
  assert.ok(m, `a reveal link in "${mail.subject}"`)
  return m[1].replace(/&amp;/g, "&")
}

describe("storefront: a shopper buys, gets the email, reveals on purpose", { timeout: 20 * 60_000 }, () => {
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true })
    const executablePath = ensureChromium()
    catcher = await startMailCatcher({ port: 0 })
    const sfPort = await freePort()
    sfUrl = `http://localhost:${sfPort}`
    app = await startApp({
      admin: ADMIN,
      name: "storefront",
      env: {
        VIRTUAL_GOODS_SMTP_HOST: "127.0.0.1",
        VIRTUAL_GOODS_SMTP_PORT: String(catcher.port),
        VIRTUAL_GOODS_MAIL_FROM: '"Demo shop" <shop@storefront.test>',
        VIRTUAL_GOODS_REVEAL_URL: `${sfUrl}/virtual-goods/reveal/{token}`,
        VIRTUAL_GOODS_GUEST_LINK_MAX_USES: String(LINK_USES),
        VIRTUAL_GOODS_TRUSTED_PROXIES: "loopback",
        STORE_CORS: sfUrl,
      },
    })
    const t0 = Date.now()
    ensureStorefrontBuilt()
    storefront = await startStorefront({
      port: sfPort,
      stdio: ["ignore", "ignore", "inherit"],
      env: { MEDUSA_BACKEND_URL: app.url, MEDUSA_PUBLISHABLE_KEY: app.seed.publishableKey, STOREFRONT_TRUSTED_PROXY_HOPS: "1", NEXT_PUBLIC_DEFAULT_REGION: "us" },
    })
    console.log(`[storefront] built and up on ${sfUrl} in ${Math.round((Date.now() - t0) / 1000)} s`)
    const auth = await fetch(`${app.url}/auth/user/emailpass`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(ADMIN) })
    adminToken = (await auth.json()).token
    const { chromium } = require("playwright-core")
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] })
  })

  after(async () => {
    await browser?.close().catch(() => {})
    storefront?.kill("SIGTERM")
    await app?.stop()
    await catcher?.close()
  })

  let guestOrder // { id, email, display_id }

  test("a guest buys with no address and sees the order go to delivered; the email arrives with masks and a link", async () => {
    const { context, page } = await shopper("203.0.113.10")
    await page.goto(`${sfUrl}/`)
    await page.waitForURL(`${sfUrl}/us`)
    const card = page.getByTestId("product-card").filter({ hasText: "Youku VIP" })
    await assert.doesNotReject(card.getByText(/\d+ in stock/).waitFor())
    await page.screenshot({ path: path.join(SHOTS, "storefront-catalog.png"), fullPage: true })

    const email = "guest.buyer@example.com"
    const id = await buy(page, { handle: "youku-vip-monthly", email })
    await page.getByTestId("order-status").and(page.locator("[data-status=delivered]")).waitFor({ timeout: 60_000 })
    assert.match(await page.getByTestId("emailed").innerText(), /guest\.buyer@example\.com/)
    await page.screenshot({ path: path.join(SHOTS, "storefront-confirmation.png"), fullPage: true })
    const title = await page.getByTestId("order-title").innerText()
    guestOrder = { id, email, display_id: Number(title.replace(/\D/g, "")) }

    // The browser that checked out sees the codes on the confirmation by its receipt: masked, then revealed on purpose.
    await page.getByTestId("code-value").waitFor()
    const masked = (await page.getByTestId("code-value").innerText()).trim()
    await page.getByTestId("reveal-link").click()
    await page.getByTestId("copy-code").waitFor()
    const onConfirmation = (await page.getByTestId("code-value").innerText()).trim()
    assert.notEqual(onConfirmation, masked)

    const mail = await catcher.waitFor((m) => m.to.includes(email))
    assert.equal(mail.subject, `Your codes for order #${guestOrder.display_id} are ready`)
    const { card_codes } = await adminApi("GET", `/admin/virtual-goods/orders/${id}/codes`)
    assert.equal(card_codes.length, 1)
    assert.ok(mail.text.includes(card_codes[0].mask), "the email shows the code's mask")
    assert.equal(masked, card_codes[0].mask)
    guestOrder.code = card_codes[0]
    guestOrder.onConfirmation = onConfirmation
    guestOrder.link = linkOf(mail)
    assert.ok(guestOrder.link.startsWith(`${sfUrl}/virtual-goods/reveal/`))
    await context.close()
  })

  test("the email's link opens in a fresh browser, shows the mask, reveals the vault's code, and runs out after its uses", async () => {
    const { context, page } = await shopper("198.51.100.7")
    // Another browser with the order's id sees its status, never its codes.
    await page.goto(`${sfUrl}/us/order/${guestOrder.id}/confirmed`)
    await page.getByTestId("order-status").waitFor()
    assert.equal(await page.getByTestId("code-value").count(), 0)
    await page.goto(guestOrder.link)
    assert.equal(await page.getByTestId("code-value").innerText(), guestOrder.code.mask)
    assert.match(await page.getByTestId("uses-left").innerText(), new RegExp(`${LINK_USES} more time`))
    await page.getByTestId("reveal-link").click()
    await page.getByTestId("uses-left-after").waitFor()
    const shown = (await page.getByTestId("code-value").innerText()).trim()
    await page.screenshot({ path: path.join(SHOTS, "storefront-guest-reveal.png"), fullPage: true })
    // The vault's own plaintext (an audited admin reveal) is what the page showed.
    const { card_code } = await adminApi("POST", `/admin/virtual-goods/codes/${guestOrder.code.id}/reveal`, { reason: "storefront test compares" })
    assert.equal(shown, card_code.code)
    assert.equal(guestOrder.onConfirmation, card_code.code)
    assert.ok(card_code.code.endsWith(guestOrder.code.mask.replace(/\*/g, "")))

    // The second and last use, then the link is spent.
    await page.goto(guestOrder.link)
    await page.getByTestId("reveal-link").click()
    await page.getByTestId("uses-left-after").waitFor()
    await page.goto(guestOrder.link)
    await page.getByTestId("link-invalid").waitFor()
    await context.close()
  })

  test("order lookup sends a new link by email and shows no code", async () => {
    const { context, page } = await shopper("203.0.113.11")
    await page.goto(`${sfUrl}/us/order-lookup`)
    await page.getByTestId("lookup-email").fill(guestOrder.email)
    await page.getByTestId("lookup-number").fill(`#${guestOrder.display_id}`)
    await page.getByTestId("lookup-submit").click()
    await page.getByTestId("lookup-sent").waitFor()
    assert.equal(await page.getByTestId("code-value").count(), 0)
    const mail = await catcher.waitFor((m) => m.to.includes(guestOrder.email) && m.subject.startsWith("A new link"))
    const fresh = linkOf(mail)
    assert.notEqual(fresh, guestOrder.link)
    await page.goto(fresh)
    assert.match(await page.getByTestId("uses-left").innerText(), new RegExp(`${LINK_USES} more time`))
    await context.close()
  })

  test("a signed-in customer sees their codes on the confirmation and in the account, masked until revealed", async () => {
    const { context, page } = await shopper("203.0.113.12")
    await page.goto(`${sfUrl}/us/account`)
    await page.getByTestId("register-name").fill("Mia")
    await page.getByTestId("register-email").fill("mia@example.com")
    await page.getByTestId("register-password").fill("Mia-pass-123")
    await page.getByTestId("register-submit").click()
    await page.getByTestId("account-email").waitFor()
    const id = await buy(page, { handle: "youku-vip-monthly", quantity: 2 })
    await page.getByTestId("code-row").nth(1).waitFor({ timeout: 60_000 })
    assert.equal(await page.getByTestId("order-status").getAttribute("data-status"), "delivered")
    const masks = await page.getByTestId("code-value").allInnerTexts()
    assert.ok(masks.every((m) => /^\*+[0-9A-Z]{1,4}$/.test(m.trim())), `masked: ${masks}`)

    await page.goto(`${sfUrl}/us/account`)
    const order = page.getByTestId("account-order").first()
    await order.getByTestId("code-row").nth(1).waitFor()
    await order.getByTestId("reveal-code").first().click()
    await order.getByTestId("copy-code").waitFor()
    const revealed = (await order.getByTestId("code-value").first().innerText()).trim()
    assert.ok(!revealed.includes("*"))
    await page.screenshot({ path: path.join(SHOTS, "storefront-account.png"), fullPage: true })
    const audit = await adminApi("GET", `/admin/virtual-goods/audit-logs?action=reveal&order_id=${id}`)
    assert.equal(audit.card_audit_logs.length, 1)
    assert.equal(audit.card_audit_logs[0].actor_type, "customer")
    await context.close()
  })

  test("a voucher of the store shows what is left and when it was used; revealed, its QR code holds exactly the code", async () => {
    const { context, page } = await shopper("203.0.113.16")
    await page.goto(`${sfUrl}/us/account`)
    await page.getByTestId("register-name").fill("Lei")
    await page.getByTestId("register-email").fill("lei@example.com")
    await page.getByTestId("register-password").fill("Lei-pass-123")
    await page.getByTestId("register-submit").click()
    await page.getByTestId("account-email").waitFor()
    const id = await buy(page, { handle: "youku-vip-monthly", quantity: 1 })
    await page.getByTestId("code-row").first().waitFor({ timeout: 60_000 })
    // The pool becomes the store's three-use vouchers; the counter redeems this one once.
    const [bought] = (await adminApi("GET", `/admin/virtual-goods/orders/${id}/codes`)).card_codes
    await adminApi("POST", `/admin/virtual-goods/pools/${bought.pool_id}/voucher-program`, { kind: "multi_use", uses: 3 })
    const { card_code } = await adminApi("POST", `/admin/virtual-goods/codes/${bought.id}/reveal`, { reason: "counter test" })
    const redeemed = await fetch(`${app.url}/admin/virtual-goods/vouchers/redeem`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}`, "idempotency-key": `sf-${id}` },
      body: JSON.stringify({ code: card_code.code }),
    })
    assert.equal(redeemed.status, 200)

    await page.goto(`${sfUrl}/us/account`)
    const order = page.getByTestId("account-order").first()
    const info = order.getByTestId("voucher-info").first()
    await info.getByText("Voucher: 2 of 3 uses left").waitFor()
    await info.getByText(/^last used /).waitFor()
    assert.equal(await info.getByTestId("voucher-qr").count(), 0)
    await order.getByTestId("reveal-code").first().click()
    const qr = info.getByTestId("voucher-qr")
    await qr.waitFor()
    const src = await qr.getAttribute("src")
    const png = require("pngjs").PNG.sync.read(Buffer.from(src.replace(/^data:image\/png;base64,/, ""), "base64"))
    const decoded = require("jsqr")(new Uint8ClampedArray(png.data), png.width, png.height)
    assert.equal(decoded?.data, card_code.code)
    await page.screenshot({ path: path.join(SHOTS, "storefront-voucher.png"), fullPage: true })
    // The email's guest link shows the same: what is left, and once revealed, the QR code of exactly the code.
    const mail = await catcher.waitFor((m) => m.to.includes("lei@example.com") && m.subject.startsWith("Your codes"))
    await page.goto(linkOf(mail))
    await page.getByTestId("voucher-info").getByText("Voucher: 2 of 3 uses left").waitFor()
    assert.equal(await page.getByTestId("voucher-qr").count(), 0)
    await page.getByTestId("reveal-link").click()
    const guestQr = page.getByTestId("voucher-qr")
    await guestQr.waitFor()
    const guestPng = require("pngjs").PNG.sync.read(Buffer.from((await guestQr.getAttribute("src")).replace(/^data:image\/png;base64,/, ""), "base64"))
    assert.equal(require("jsqr")(new Uint8ClampedArray(guestPng.data), guestPng.width, guestPng.height)?.data, card_code.code)
    await adminApi("POST", `/admin/virtual-goods/pools/${bought.pool_id}/voucher-program`, { kind: "multi_use", uses: 3, status: "disabled" })
    await context.close()
  })

  test("a campaign's gift for registering shows in the account, masked, and reveals exactly the vault's code", async () => {
    const { card_pools } = await adminApi("GET", `/admin/virtual-goods/pools?limit=100`)
    const steam = card_pools.find((p) => p.name === "Steam Wallet 50")
    const { campaign } = await adminApi("POST", `/admin/virtual-goods/campaigns`, { name: "拉新送7天会员", pool_id: steam.id, trigger: "customer.created", budget: 10 })
    try {
      const { context, page } = await shopper("203.0.113.15")
      await page.goto(`${sfUrl}/us/account`)
      await page.getByTestId("register-name").fill("Kai")
      await page.getByTestId("register-email").fill("kai@example.com")
      await page.getByTestId("register-password").fill("Kai-pass-123")
      await page.getByTestId("register-submit").click()
      await page.getByTestId("account-email").waitFor()
      // The gift is given right after the registration's event: the account shows it once it is there.
      for (let i = 0; !(await page.getByTestId("account-gift").count()); i++) {
        assert.ok(i < 40, "no gift in the account 20 s after registering")
        await new Promise((r) => setTimeout(r, 500))
        await page.reload()
      }
      const gift = page.getByTestId("account-gift")
      await gift.getByText("From 拉新送7天会员").waitFor()
      assert.match((await gift.getByTestId("code-value").innerText()).trim(), /^\*+[0-9A-Z]{1,4}$/)
      await gift.getByTestId("reveal-code").click()
      await gift.getByTestId("copy-code").waitFor()
      const shown = (await gift.getByTestId("code-value").innerText()).trim()
      const [grant] = (await adminApi("GET", `/admin/virtual-goods/campaigns/${campaign.id}/grants`)).grants
      const { card_code } = await adminApi("POST", `/admin/virtual-goods/codes/${grant.code.id}/reveal`, { reason: "storefront test compares" })
      assert.equal(shown, card_code.code)
      const { campaign: after } = await adminApi("GET", `/admin/virtual-goods/campaigns/${campaign.id}`)
      assert.deepEqual(after.report, { issued: 1, revealed: 1, redeemed: 0, remaining_budget: 9 })
      await context.close()
    } finally {
      await adminApi("POST", `/admin/virtual-goods/campaigns/${campaign.id}`, { status: "paused" })
    }
  })

  test("buyer's choice: the product page lists labels only, a search narrows them, and the picked code is the one delivered", async () => {
    const { card_pools } = await adminApi("GET", "/admin/virtual-goods/pools?q=Youku")
    const pool = card_pools[0]
    await adminApi("POST", `/admin/virtual-goods/pools/${pool.id}`, { pick_premium_bp: 2000, pick_show_first: 0, pick_show_last: 4 })
    const { context, page } = await shopper("203.0.113.30")
    try {
      await page.goto(`${sfUrl}/us/products/youku-vip-monthly`)
      const panel = page.getByTestId("pick-code")
      await panel.waitFor()
      assert.match(await page.getByTestId("pick-premium").innerText(), /\+20 %/)
      const first = (await page.getByTestId("pick-option").first().innerText()).trim()
      assert.match(first, /^\*+[A-Z0-9]{4}$/, "a label shows the last four characters only")
      // The search narrows the list to labels with those characters.
      await page.getByTestId("pick-search").fill(first.slice(-4))
      await page.waitForFunction((label) => [...document.querySelectorAll("[data-testid=pick-option]")].every((b) => b.textContent.trim().endsWith(label)), first.slice(-4))
      await page.getByTestId("pick-option").filter({ hasText: first }).first().click()
      await page.getByTestId("pick-result").waitFor()
      assert.match(await page.getByTestId("pick-result").innerText(), new RegExp(`${first.replace(/\*/g, "\\*")} is in your cart`))
      await page.screenshot({ path: path.join(SHOTS, "storefront-buyers-choice.png"), fullPage: true })
      await page.goto(`${sfUrl}/us/checkout`)
      await page.getByTestId("checkout-email").fill("picker@example.com")
      await page.getByTestId("place-order").click()
      await page.waitForURL(/\/us\/order\/order_[A-Z0-9]+\/confirmed$/, { timeout: 60_000 })
      const orderId = /\/order\/(order_[A-Z0-9]+)\//.exec(page.url())[1]
      await page.getByTestId("order-status").and(page.locator("[data-status=delivered]")).waitFor({ timeout: 60_000 })
      const { card_codes } = await adminApi("GET", `/admin/virtual-goods/orders/${orderId}/codes`)
      assert.equal(card_codes.length, 1)
      assert.ok(card_codes[0].mask.endsWith(first.slice(-4)), "the delivered code ends like the label picked")
    } finally {
      await adminApi("POST", `/admin/virtual-goods/pools/${pool.id}`, { pick_premium_bp: null })
      await context.close()
    }
  })

  test("Chinese pages render CJK, and the storefront works on a phone-sized screen", async () => {
    const { context, page } = await shopper("203.0.113.13", { viewport: { width: 390, height: 844 }, locale: "zh-CN", isMobile: true, hasTouch: true })
    await page.goto(`${sfUrl}/us`)
    await page.getByText("数字卡密，秒级到账").waitFor()
    assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN")
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 390, `no horizontal scrolling on a phone (${width}px)`)
    await page.screenshot({ path: path.join(SHOTS, "storefront-zh-phone.png"), fullPage: true })
    await page.getByTestId("lang-switch").click()
    await page.getByText("Digital codes, delivered in seconds").waitFor()
    await context.close()
  })

  test("a sold-out product shows sold out and cannot be bought", async () => {
    const { context, page } = await shopper("203.0.113.14")
    await page.goto(`${sfUrl}/us/products/steam-wallet-50`)
    const left = Number((await page.getByTestId("in-stock").innerText()).replace(/\D/g, ""))
    assert.ok(left > 0)
    await buy(page, { handle: "steam-wallet-50", quantity: left, email: "bulk@example.com" })
    // The stock route may serve its count from memory for a moment after a sale: the page shows sold out once it is.
    for (let i = 0; ; i++) {
      await page.goto(`${sfUrl}/us/products/steam-wallet-50`)
      if (await page.getByTestId("sold-out").isVisible()) break
      assert.ok(i < 20, "the product page still offers stock 10 s after the last code was sold")
      await new Promise((r) => setTimeout(r, 500))
    }
    assert.equal(await page.getByTestId("add-to-cart").isDisabled(), true)
    await page.goto(`${sfUrl}/us`)
    await page.getByTestId("product-card").filter({ hasText: "Steam Wallet" }).getByText("Sold out").waitFor()
    await context.close()
  })

  test("a per-IP risk rule holds per shopper behind the storefront: a second order from one address is refused, another address buys", async () => {
    const { risk_rule } = await adminApi("POST", `/admin/virtual-goods/risk/rules`, {
      name: "One order per IP",
      kind: "velocity",
      key: "ip",
      measure: "count",
      window_seconds: 600,
      threshold: 1,
      action: "block",
    })
    try {
      const a = await shopper("192.0.2.50")
      await buy(a.page, { handle: "youku-vip-monthly", email: "a@example.com" })
      await a.page.goto(`${sfUrl}/us/products/youku-vip-monthly`)
      await a.page.getByTestId("add-to-cart").click()
      await a.page.getByTestId("add-result").waitFor()
      await a.page.goto(`${sfUrl}/us/checkout`)
      await a.page.getByTestId("checkout-email").fill("a@example.com")
      await a.page.getByTestId("place-order").click()
      const refusal = await a.page.getByTestId("checkout-error").innerText()
      assert.match(refusal, /refused by risk control/)
      // The rule counted the shopper's own address, forwarded by the storefront — not the storefront's.
      const { risk_decisions } = await adminApi("GET", `/admin/virtual-goods/risk/decisions?action=block`)
      assert.equal(risk_decisions.length, 1)
      assert.match(risk_decisions[0].reasons[0].message, /from ip 192\.0\.2\.50 in 600 s \(limit 1\)/)
      const b = await shopper("192.0.2.51")
      await buy(b.page, { handle: "youku-vip-monthly", email: "b@example.com" })
      await a.context.close()
      await b.context.close()
    } finally {
      await adminApi("DELETE", `/admin/virtual-goods/risk/rules/${risk_rule.id}`)
    }
  })
})
