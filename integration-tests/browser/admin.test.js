"use strict"

/**
 * The admin's virtual-goods pages in a real browser: Debian's Chromium driven by playwright-core against this
 * repository's app (`medusa start` in development mode, which serves the admin through Vite) on a database of its own,
 * seeded with the demo store. Each scenario asserts what the page shows; screenshots of the main pages are written to
 * docs/screenshots/ (the README shows them).
 *
 *   node --test integration-tests/browser/        (part of `npm test`: the `browser` tier of scripts/test.js)
 *
 * Needs the database variables scripts/test.js sets (DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD) and the vault's keys.
 */

const { after, before, describe, test } = require("node:test")
const assert = require("node:assert/strict")
const crypto = require("crypto")
const fs = require("fs")
const http = require("http")
const path = require("path")
const { ensureChromium } = require("../../scripts/lib/chromium")
const { startApp } = require("./app")

const ROOT = path.resolve(__dirname, "..", "..")
const SHOTS = path.join(ROOT, "docs", "screenshots")
const ADMIN = { email: "admin@browser.test", password: "Br0wser-test!" }
const STEP_TIMEOUT = 30_000

let app // the running app: { url, seed, stop }
let browser
let page
let orderId_ // the order bought through the store API, reused by the after-sales scenarios

/** Store API call with the demo's publishable key. */
async function store(method, route, body) {
  const res = await fetch(`${app.url}${route}`, {
    method,
    headers: { "content-type": "application/json", "x-publishable-api-key": app.seed.publishableKey },
    body: body ? JSON.stringify(body) : undefined,
  })
  const data = await res.json()
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(data)}`)
  return data
}

/** Admin API call with the browser's session (the same cookie the pages use). */
async function adminGet(route) {
  const res = await page.request.get(`${app.url}${route}`)
  assert.equal(res.status(), 200, `GET ${route}`)
  return res.json()
}

const shot = (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })

/** Picks an option of a Medusa UI (Radix) select by the select's accessible name and the option's text. */
async function choose(label, option) {
  await page.getByRole("combobox", { name: label }).click()
  await page.getByRole("option", { name: option }).click()
}

async function setLanguage(lng) {
  await page.context().addCookies([{ name: "lng", value: lng, url: app.url }])
  await page.evaluate((l) => localStorage.setItem("lng", l), lng)
}

const stockValue = async (status) => Number((await page.locator(`[data-testid=stock] [data-stock=${status}] [data-value]`).innerText()).replace(/[^\d]/g, ""))

describe("admin: virtual goods in the browser", { timeout: 15 * 60_000 }, () => {
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true })
    const executablePath = ensureChromium()
    // A checkpoint signing key, as an operator configures it (outside the database).
    app = await startApp({ admin: ADMIN, env: { VIRTUAL_GOODS_AUDIT_SIGNING_KEY: crypto.randomBytes(32).toString("base64") } })
    const { chromium } = require("playwright-core")
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] })
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US" })
    context.setDefaultTimeout(STEP_TIMEOUT)
    page = await context.newPage()
  })

  after(async () => {
    await browser?.close().catch(() => {})
    await app?.stop()
  })

  test("log in", async () => {
    // The first load compiles the admin (Vite, development mode): give it time.
    await page.goto(`${app.url}/app/login`, { timeout: 240_000 })
    await page.getByPlaceholder("Email").fill(ADMIN.email)
    await page.getByPlaceholder("Password").fill("wrong-password")
    await page.getByRole("button", { name: "Continue with Email" }).click()
    await page.getByText(/invalid email or password/i).waitFor()
    await page.getByPlaceholder("Password").fill(ADMIN.password)
    await page.getByRole("button", { name: "Continue with Email" }).click()
    await page.waitForURL(/\/app\/(orders|products)/, { timeout: 120_000 })
    await assert.doesNotReject(page.getByRole("link", { name: "Virtual goods" }).waitFor())
  })

  test("the sidebar leads to the pools, with stock by status as the API reports it", async () => {
    await page.getByRole("link", { name: "Virtual goods" }).click()
    await page.waitForURL(/\/app\/virtual-goods$/)
    await page.getByRole("heading", { name: "Virtual goods" }).waitFor()
    const { card_pools } = await adminGet("/admin/virtual-goods/pools")
    assert.equal(card_pools.length, 2)
    for (const pool of card_pools) {
      const row = page.locator(`tr[data-pool="${pool.id}"]`)
      await row.waitFor()
      assert.equal(await row.getByRole("link").innerText(), pool.name)
      assert.equal(await row.locator("[data-stock=available]").innerText(), String(pool.stock.available))
      assert.equal(await row.locator("[data-stock=total]").innerText(), String(pool.stock.total))
    }
    assert.deepEqual(
      card_pools.map((p) => p.stock.available).sort((a, b) => a - b),
      [30, 50]
    )
    assert.equal(await page.getByTestId("pool-count").innerText(), "2 pools")

    await page.getByRole("searchbox", { name: "Search pools by name" }).fill("steam")
    await page.locator("tr[data-pool]").first().waitFor()
    await page.waitForFunction(() => document.querySelectorAll("tr[data-pool]").length === 1)
    assert.match(await page.locator("tr[data-pool]").innerText(), /Steam Wallet 50/)
    await page.getByRole("searchbox", { name: "Search pools by name" }).fill("")
    await page.waitForFunction(() => document.querySelectorAll("tr[data-pool]").length === 2)
    await shot("pools")
  })

  test("create a pool, import a file with bad lines, see the report and the new stock", async () => {
    await page.getByRole("button", { name: "Create pool" }).click()
    await page.getByRole("button", { name: "Save" }).click()
    await page.getByText("Give the pool a name.").waitFor()
    await page.getByLabel("Name", { exact: true }).fill("Netflix gift cards")
    await page.getByRole("button", { name: "Save" }).click()
    await page.waitForURL(/\/app\/virtual-goods\/cpool_/)
    await page.getByRole("heading", { name: "Netflix gift cards" }).waitFor()
    assert.equal(await stockValue("available"), 0)
    await page.getByText("No batches yet: import a file or generate codes.").waitFor()

    await page.getByRole("button", { name: "Import file" }).click()
    await page.getByRole("button", { name: "Start import" }).click()
    await page.getByText("Choose a file to import.").waitFor()
    const lines = ["NFLX-GOOD-0001", "NFLX-GOOD-0002", "NFLX-GOOD-0001", "NFLX-GOOD-0003", "X".repeat(600), "NFLX-GOOD-0004"]
    await page.getByLabel(/^File/).setInputFiles({ name: "netflix.txt", mimeType: "text/plain", buffer: Buffer.from(lines.join("\n") + "\n") })
    await choose("If some lines are bad", "Import the valid lines")
    await page.getByLabel("Supplier").fill("Shenzhen Cards Ltd")
    await page.getByLabel("Cost per code").fill("21.5")
    await page.getByLabel("Currency").fill("cny")
    await page.getByRole("button", { name: "Start import" }).click()

    const outcome = page.getByTestId("import-outcome")
    await outcome.waitFor({ timeout: 120_000 })
    assert.equal(await outcome.getAttribute("data-status"), "committed")
    assert.equal(await outcome.getByRole("status").innerText(), "Imported 4 codes (2 lines rejected).")
    const rejected = outcome.locator("tr[data-line]")
    await rejected.nth(1).waitFor()
    assert.deepEqual(await rejected.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-line"))), ["3", "5"])
    assert.match(await rejected.nth(0).innerText(), /code\s+duplicates line 1/)
    assert.match(await rejected.nth(1).innerText(), /code\s+is longer than 512 characters/)
    // The report never repeats a code.
    assert.doesNotMatch(await page.locator("body").innerText(), /NFLX-GOOD|XXXXXXXX/)
    // The download is the same report as CSV, with the admin's session.
    const report = await page.request.get(`${app.url}${await outcome.getByRole("link", { name: "Download report (CSV)" }).getAttribute("href")}`)
    assert.equal(report.status(), 200)
    assert.equal((await report.text()).trim(), ["line,field,message", "3,code,duplicates line 1", "5,code,is longer than 512 characters"].join("\n"))
    await shot("import-report")
    await page.getByRole("button", { name: "Close" }).first().click()

    await page.waitForFunction(() => document.querySelector("[data-testid=stock] [data-stock=available] [data-value]")?.textContent === "4")
    assert.equal(await stockValue("total"), 4)
    const batchRow = page.locator("tr[data-batch]")
    assert.equal(await batchRow.count(), 1)
    assert.equal(await batchRow.locator("[data-col=codes]").innerText(), "4")
    assert.equal(await batchRow.locator("[data-col=rejected]").innerText(), "2")
    assert.match(await batchRow.innerText(), /Shenzhen Cards Ltd/)
    assert.match(await batchRow.innerText(), /\t86 CNY\t/)
  })

  test("generate vouchers: the entropy is shown, a weak format refused, the codes arrive", async () => {
    await page.getByRole("button", { name: "Generate codes" }).click()
    const entropy = page.getByTestId("entropy")
    assert.equal(await entropy.innerText(), "16 characters × 5 bits = 80 bits of randomness")
    await page.getByLabel("Random characters").fill("12")
    assert.equal(await entropy.innerText(), "Too guessable: 60 bits is below the minimum of 64. Use at least 13 characters.")
    assert.equal(await page.getByRole("button", { name: "Generate", exact: true }).isDisabled(), true)
    await page.getByLabel("Random characters").fill("16")
    await page.getByLabel("How many").fill("25")
    await page.getByLabel("Prefix").fill("GIFT-")
    await page.getByRole("button", { name: "Generate", exact: true }).click()
    const outcome = page.locator("[data-testid=generate-outcome][data-status=committed]")
    await outcome.waitFor({ timeout: 120_000 })
    assert.equal(await outcome.getByRole("status").innerText(), "Generated 25 codes.")
    await page.getByRole("button", { name: "Close" }).first().click()
    await page.waitForFunction(() => document.querySelector("[data-testid=stock] [data-stock=available] [data-value]")?.textContent === "29")
    // The batches refresh on their own query, possibly after the stock.
    await page.waitForFunction(() => document.querySelectorAll("tr[data-batch]").length === 2)
  })

  test("codes are listed masked, filtered by status, and found by their full value", async () => {
    const table = page.getByTestId("codes-table")
    await table.waitFor()
    assert.equal(await table.locator("tr[data-code]").count(), 20) // first page of 29
    await page.getByText("1–20 of 29").waitFor()
    const masks = await table.locator("tr[data-code] td:first-child").allInnerTexts()
    assert.ok(masks.every((m) => /^\*{4}[0-9A-Z-]{4}$/.test(m)), `masks: ${masks.join(", ")}`)

    await choose("Status", "Reserved")
    await page.getByText("No codes with this status.").waitFor()
    await choose("Status", "All statuses")
    await table.waitFor()

    await page.getByLabel("Find a code").fill(" NFLX-GOOD-0002 ")
    await page.getByRole("button", { name: "Find" }).click()
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=codes-table] tr[data-code]").length === 1)
    assert.equal(await table.locator("tr[data-code] td:first-child").innerText(), "****0002")
    assert.equal(await page.getByLabel("Find a code").inputValue(), "")
    await page.getByLabel("Find a code").fill("NFLX-GOOD-9999")
    await page.getByRole("button", { name: "Find" }).click()
    await page.getByTestId("code-not-found").waitFor()
    await page.getByRole("button", { name: "Show all" }).click()
    await table.waitFor()
    await shot("pool")
  })

  test("link the pool to a product variant, then unlink it behind a confirmation", async () => {
    // A new product whose variant manages inventory, created through the admin API with the page's session.
    const created = await page.request.post(`${app.url}/admin/products`, {
      data: {
        title: "Netflix gift card 100",
        status: "published",
        options: [{ title: "Value", values: ["100"] }],
        variants: [{ title: "100", sku: "NFLX-100", manage_inventory: true, options: { Value: "100" }, prices: [{ amount: 100, currency_code: "usd" }] }],
      },
    })
    assert.equal(created.status(), 200)
    const variantId = (await created.json()).product.variants[0].id
    const { stock_locations } = await adminGet("/admin/stock-locations")
    const location = stock_locations.find((l) => l.name === "Digital vault") ?? stock_locations[0]

    await page.getByLabel("Variant ID").fill(variantId)
    await page.getByLabel("Stock location ID").fill(location.id)
    await page.getByRole("button", { name: "Link variant" }).click()
    await page.getByTestId("linked-variant").getByRole("link", { name: "100 · NFLX-100" }).waitFor()
    const poolId = /virtual-goods\/(cpool_[^/?#]+)/.exec(page.url())[1]
    const level = async () => {
      const { inventory_items } = await adminGet(`/admin/inventory-items?sku=NFLX-100&fields=id,location_levels.*`)
      return inventory_items[0].location_levels.find((l) => l.location_id === location.id)?.stocked_quantity
    }
    assert.equal(await level(), 29) // the pool's sellable codes mirrored into the variant's stock

    await page.getByRole("button", { name: "Unlink" }).click()
    await page.getByText("Stop selling this variant from the pool?").waitFor()
    await page.getByRole("button", { name: "Cancel" }).click()
    assert.equal((await adminGet(`/admin/virtual-goods/pools/${poolId}`)).card_pool.product_variant.id, variantId)
    await page.getByRole("button", { name: "Unlink" }).click()
    await page.getByRole("alertdialog").getByRole("button", { name: "Unlink" }).click()
    await page.getByTestId("linked-variant").getByText("Not linked").waitFor()
    assert.equal((await adminGet(`/admin/virtual-goods/pools/${poolId}`)).card_pool.product_variant ?? null, null)
    assert.equal(await level(), 0)
  })

  test("a code bought through the store API shows masked on the order", async () => {
    const { cart } = await store("POST", "/store/carts", {
      region_id: app.seed.regionId,
      email: "browser-buyer@example.com",
      items: [{ variant_id: app.seed.variantId, quantity: 1 }],
    })
    const { payment_collection } = await store("POST", "/store/payment-collections", { cart_id: cart.id })
    await store("POST", `/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" })
    const completed = await store("POST", `/store/carts/${cart.id}/complete`)
    assert.equal(completed.type, "order")
    const orderId = completed.order.id

    let codes
    for (let i = 0; i < 60; i++) {
      codes = await adminGet(`/admin/virtual-goods/orders/${orderId}/codes`)
      if (codes.card_codes.length && codes.delivery?.status === "delivered") break
      await new Promise((r) => setTimeout(r, 500))
    }
    assert.equal(codes.card_codes.length, 1)

    await page.goto(`${app.url}/app/orders/${orderId}`)
    const widget = page.getByTestId("order-virtual-goods")
    await widget.getByRole("heading", { name: "Virtual goods", exact: true }).waitFor()
    await widget.getByText(codes.card_codes[0].mask).waitFor()
    assert.match(codes.card_codes[0].mask, /^\*{4}.{4}$/)
    assert.match(await widget.innerText(), /delivered/)
    await shot("order")
    orderId_ = orderId
  })

  test("reveal with a required reason: the code shows once, the reveal is in the history and the audit log", async () => {
    const widget = page.getByTestId("order-virtual-goods")
    const row = widget.locator("tr[data-code]").first()
    const mask = await row.locator("td").first().innerText()
    await row.getByRole("button", { name: "Reveal" }).click()
    const drawer = page.getByRole("dialog")
    await drawer.getByRole("button", { name: "Reveal" }).click()
    await drawer.getByText("Give a reason of at least 3 characters.").waitFor()
    await drawer.getByLabel("Reason (required)").fill("support ticket 42")
    await drawer.getByRole("button", { name: "Reveal" }).click()
    const code = await drawer.getByTestId("revealed-code").locator("[data-value]").innerText()
    assert.equal(code.slice(-4), mask.slice(-4))
    assert.ok(code.length > 8)
    await drawer.getByRole("button", { name: "Close" }).click()
    await page.waitForFunction(() => document.querySelector("[data-testid=order-virtual-goods] tr[data-code] [data-col=reveals]")?.textContent === "1")
    assert.equal(await page.getByTestId("revealed-code").count(), 0)
    assert.match(await page.getByTestId("reveal-history").innerText(), new RegExp(`\\*{4}${mask.slice(-4)} — support ticket 42`))
    assert.doesNotMatch(await page.locator("body").innerText(), new RegExp(code))

    // The audit log sits under "Virtual goods" in the sidebar.
    await page.goto(`${app.url}/app/virtual-goods`)
    await page.getByRole("link", { name: "Audit log" }).click()
    await page.getByRole("heading", { name: "Audit log" }).waitFor()
    await choose("Action", "Revealed")
    await page.getByLabel("Order ID").fill(orderId_)
    await page.getByRole("button", { name: "Apply" }).click()
    await page.waitForFunction(() => {
      const rows = document.querySelectorAll("[data-testid=audit-table] tr[data-entry]")
      return rows.length === 1 && rows[0].getAttribute("data-action") === "reveal"
    })
    const entry = page.locator("[data-testid=audit-table] tr[data-entry]")
    assert.equal(await entry.locator("[data-col=reason]").innerText(), "support ticket 42")
    assert.match(await entry.innerText(), /Revealed\tuser · user_/)
    await page.getByLabel("From").fill("2000-01-01")
    await page.getByLabel("Until").fill("2000-01-02")
    await page.getByRole("button", { name: "Apply" }).click()
    await page.getByText("No entry matches these filters.").waitFor()
    await page.getByRole("button", { name: "Reset" }).click()
    await page.locator("[data-testid=audit-table] tr[data-entry]").first().waitFor()
    assert.ok((await page.locator("[data-testid=audit-table] tr[data-entry]").count()) > 5)
    await shot("audit-log")

    // Integrity: a checkpoint signed from the page, then the chains and the checkpoint verified.
    const integrity = page.getByTestId("audit-integrity")
    const before = (await adminGet("/admin/virtual-goods/audit-checkpoints")).count
    await integrity.getByRole("button", { name: "Sign checkpoint" }).click()
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=audit-checkpoints] li").length > n, before)
    await integrity.getByRole("button", { name: "Verify now" }).click()
    const verification = integrity.getByTestId("audit-verification")
    await verification.waitFor()
    assert.equal(await verification.getAttribute("data-ok"), "true")
    const { audit_chain } = await adminGet("/admin/virtual-goods/audit-logs/verify")
    assert.equal(audit_chain.ok, true)
    assert.ok(audit_chain.checkpoints.verified >= 1)
    assert.match(await verification.innerText(), /Verified/)
    assert.match(await verification.innerText(), /[\d,]+ entries, [\d,]+ links in \d+ chains, [1-9]\d* checkpoints verified/)
  })

  test("void & reissue from the order: explained, reason required, a fresh code delivered", async () => {
    await page.goto(`${app.url}/app/orders/${orderId_}`)
    const widget = page.getByTestId("order-virtual-goods")
    const row = widget.locator("tr[data-code]").first()
    await row.waitFor()
    const oldMask = await row.locator("td").first().innerText()
    await row.getByRole("button", { name: "Void & reissue" }).click()
    const drawer = page.getByRole("dialog")
    await drawer.getByText(/This cannot be undone\./).waitFor()
    await drawer.getByLabel("Reason (required)").fill("customer says it was already redeemed")
    await drawer.getByRole("button", { name: "Void & reissue" }).click()
    await page.getByText(new RegExp(`^\\*{4}${oldMask.slice(-4)} voided; \\*{4}.{4} delivered and notified$`)).waitFor()
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=order-virtual-goods] tr[data-code]").length === 2)
    const statuses = await widget.locator("tr[data-code] [data-status]").evaluateAll((els) => els.map((e) => e.getAttribute("data-status")).sort())
    assert.deepEqual(statuses, ["delivered", "voided"])
    const { card_codes } = await adminGet(`/admin/virtual-goods/orders/${orderId_}/codes`)
    assert.deepEqual(card_codes.map((c) => c.status).sort(), ["delivered", "voided"])
  })

  test("the product page shows the pool its variant sells from, with stock and a link", async () => {
    const { card_pools } = await adminGet("/admin/virtual-goods/pools")
    const pool = card_pools.find((p) => p.product_variant?.id === app.seed.variantId)
    await page.goto(`${app.url}/app/products/${pool.product_variant.product_id}`)
    const widget = page.getByTestId("product-virtual-goods")
    await widget.waitFor()
    assert.equal(await widget.getByRole("link", { name: pool.name }).count(), 1)
    const sold = pool.stock.delivered + pool.stock.revealed
    assert.equal(await widget.getByTestId("variant-stock").innerText(), `${pool.stock.available} available · ${sold} sold`)
    assert.equal(sold, 1) // the reissued replacement; the code it replaced is voided
    assert.equal(pool.stock.voided, 1)
    await widget.getByRole("link", { name: pool.name }).click()
    await page.waitForURL(new RegExp(`/app/virtual-goods/${pool.id}$`))
    await page.getByRole("heading", { name: pool.name }).waitFor()
  })

  test("compose a bundle on a product page: two pools, a refusal that names the problem, the whole bundles they make", async () => {
    const { sales_channels } = await adminGet("/admin/sales-channels")
    const created = await page.request.post(`${app.url}/admin/products`, {
      data: {
        title: "追剧达人包",
        status: "published",
        options: [{ title: "Plan", values: ["Quarter"] }],
        variants: [{ title: "Quarter pack", sku: "BUNDLE-Q", manage_inventory: true, options: { Plan: "Quarter" }, prices: [{ amount: 55, currency_code: "usd" }] }],
        sales_channels: sales_channels.map((c) => ({ id: c.id })),
      },
    })
    assert.equal(created.status(), 200)
    const product = (await created.json()).product
    const variantId = product.variants[0].id
    const { card_pools } = await adminGet("/admin/virtual-goods/pools?limit=100")
    const youku = card_pools.find((p) => p.name === "Youku VIP — 1 month")
    const steam = card_pools.find((p) => p.name === "Steam Wallet 50")

    await page.goto(`${app.url}/app/products/${product.id}`)
    const widget = page.getByTestId("product-virtual-goods")
    await widget.getByText("Not sold from a card pool").waitFor()
    await widget.getByRole("button", { name: "Compose bundle" }).click()
    const drawer = page.getByRole("dialog")
    await drawer.getByLabel("Bundle name").fill("追剧达人包")
    await choose("Pool of component 1", new RegExp(`^${youku.name} \\(`))
    await choose("Pool of component 2", new RegExp(`^${steam.name} \\(`))
    await drawer.locator("#vg-bundle-qty-1").fill("2")
    // A share for one component only: refused before anything is sent, naming the rule.
    await drawer.locator("#vg-bundle-share-0").fill("60")
    await drawer.getByRole("button", { name: "Save" }).click()
    await drawer.getByText("Give every component a share, or none.").waitFor()
    await drawer.locator("#vg-bundle-share-1").fill("40")
    await drawer.getByRole("button", { name: "Save" }).click()
    await page.getByText(/^Bundle 追剧达人包 saved: \d+ can be sold now$/).waitFor()

    const { bundle } = await adminGet(`/admin/virtual-goods/variants/${variantId}/bundle`)
    assert.deepEqual(
      bundle.components.map((c) => [c.pool_id, c.quantity, c.share]),
      [
        [youku.id, 1, 6000],
        [steam.id, 2, 4000],
      ]
    )
    assert.equal(bundle.available, Math.min(bundle.components[0].available, Math.floor(bundle.components[1].available / 2)))
    const shown = widget.getByTestId("variant-bundle")
    await shown.getByTestId("bundle-stock").getByText(`Whole bundles for sale: ${bundle.available}`).waitFor()
    assert.equal(await shown.locator("[data-component]").count(), 2)
    assert.match(await shown.locator(`[data-component="${steam.id}"]`).innerText(), new RegExp(`^${steam.name} × 2 · \\d+ available · 40% of the price$`))
    await widget.scrollIntoViewIfNeeded()
    await widget.screenshot({ path: path.join(SHOTS, "product-bundle.png") })
    // The storefront's stock route counts whole bundles too.
    const { stock } = await store("GET", `/store/virtual-goods/stock?variant_id=${variantId}`)
    assert.deepEqual(stock, [{ variant_id: variantId, available: bundle.available, sold_out: bundle.available === 0, pass_through: false, bundle: true }])
  })

  test("the sales dashboard shows sold, invalid, revenue, cost and margin with a chart, and the stock outlook", async () => {
    await page.goto(`${app.url}/app/virtual-goods`)
    await page.getByRole("link", { name: "Sales & stock" }).click()
    await page.getByRole("heading", { name: "Sales & stock" }).waitFor()
    const total = (k) => page.locator(`[data-testid=totals] [data-total=${k}] [data-value]`).innerText()
    await page.getByTestId("totals").waitFor()
    // One code bought through the store ($15, cost $10.50), then voided as invalid and replaced (another $10.50).
    assert.equal(await total("sold"), "1")
    assert.equal(await total("invalid"), "1")
    assert.equal(await total("revenue"), "$15.00")
    assert.equal(await total("cost"), "$21.00")
    assert.equal(await total("margin"), "-$6.00")
    await page.locator("[data-testid=sales-chart] svg.recharts-surface").first().waitFor()
    // Bars stacked by product (one product sold in this period), revenue and cost lines.
    assert.deepEqual(await page.locator("[data-testid=sales-chart] .recharts-legend-item-text").allInnerTexts(), ["Youku VIP — 1 month", "Revenue", "Cost"])
    // Today's bar is drawn with a height (the other days sold nothing).
    const heights = await page.locator("[data-testid=sales-chart] .recharts-bar-rectangle path").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))
    assert.equal(heights.filter((h) => h > 0).length, 1)
    const youku = page.locator("[data-testid=by-pool] tr[data-pool]")
    assert.equal(await youku.count(), 1)
    assert.equal(await youku.locator("[data-col=sold]").innerText(), "1")
    assert.equal(await youku.locator("[data-col=margin]").innerText(), "-$6.00")
    assert.equal(await page.locator("[data-testid=outlook] tr[data-pool]").count(), 3)
    await shot("dashboard")
  })

  test("agents: a tree with balances, a top-up, a key shown once that works until it is revoked", async () => {
    await page.goto(`${app.url}/app/virtual-goods`)
    await page.getByRole("link", { name: "Agents" }).click()
    await page.getByRole("heading", { name: "Agents" }).waitFor()
    await page.getByText("No agent yet. Create a top-level agent, then its sub-agents.").waitFor()

    const create = async (name, credit, parent) => {
      await page.getByRole("button", { name: "Create agent" }).click()
      const drawer = page.getByRole("dialog")
      await drawer.getByLabel("Name").fill(name)
      if (parent) await choose("Parent agent", parent)
      if (credit) await drawer.getByLabel("Credit limit").fill(credit)
      await drawer.getByRole("button", { name: "Save" }).click()
      await page.getByText(`Agent "${name}" created`).waitFor()
      await drawer.waitFor({ state: "detached" })
    }
    await create("总代 Guangdong", "100")
    await create("省代 Shenzhen", "", "总代 Guangdong")
    const rows = page.locator("[data-testid=agents-table] tr[data-agent]")
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=agents-table] tr[data-agent]").length === 2)
    assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-depth"))), ["0", "1"])
    assert.equal(await rows.nth(0).locator("[data-col=available]").innerText(), "100 CNY")
    const sub = rows.nth(1)
    assert.match(await sub.innerText(), /└ 省代 Shenzhen/)

    await sub.getByRole("button", { name: "Top up" }).click()
    await page.getByRole("dialog").getByLabel(/^Amount/).fill("250.5")
    await page.getByRole("dialog").getByLabel("Note (e.g. the bank transfer)").fill("transfer 0042")
    await page.getByRole("dialog").getByRole("button", { name: "Top up" }).click()
    await page.getByText("Balance of 省代 Shenzhen is now 250.5 CNY").waitFor()
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=agents-table] tr[data-agent]")[1]?.querySelector("[data-col=balance]")?.textContent === "250.5 CNY")
    await page.getByRole("dialog").waitFor({ state: "detached" })
    await shot("agents") // before any key exists: a screenshot never shows one

    await sub.getByRole("button", { name: "API keys" }).click()
    const drawer = page.getByRole("dialog")
    await drawer.getByText("No key yet.").waitFor()
    await drawer.getByLabel("Key name").fill("shop system")
    await drawer.getByRole("button", { name: "Create key" }).click()
    const key = await drawer.getByTestId("new-key").locator("[data-value]").innerText()
    assert.match(key, /^vgk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
    const me = await fetch(`${app.url}/wholesale/me`, { headers: { authorization: `Bearer ${key}` } })
    assert.equal(me.status, 200)
    assert.equal((await me.json()).agent.name, "省代 Shenzhen")

    await drawer.getByRole("button", { name: "Revoke" }).click()
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click()
    await drawer.locator("[data-revoked]").waitFor()
    const refused = await fetch(`${app.url}/wholesale/me`, { headers: { authorization: `Bearer ${key}` } })
    assert.equal(refused.status, 401)
    await drawer.getByRole("button", { name: "Close" }).click()
  })

  test("risk control: a rule added on the page holds a big order, shown in the queue with its reasons; approval delivers it", async () => {
    await page.goto(`${app.url}/app/virtual-goods/risk`)
    await page.getByRole("heading", { name: "Risk review" }).waitFor()
    await page.getByText("No rule yet: every order is allowed.").waitFor()
    await page.getByRole("button", { name: "Add rule" }).click()
    const drawer = page.getByRole("dialog")
    await drawer.getByLabel("Name").fill("Big orders")
    await choose("Kind", "Codes per order")
    await drawer.getByLabel("More than").fill("1")
    await drawer.getByRole("button", { name: "Add rule" }).click()
    await page.getByText('Rule "Big orders" added').waitFor()
    await drawer.waitFor({ state: "detached" })
    const rule = page.locator('[data-testid=risk-rules] tr[data-rule="Big orders"]')
    assert.equal(await rule.locator("[data-col=condition]").innerText(), "more than 1 codes in one order")

    // A store checkout of 2 codes: placed and paid, held for review.
    const { cart } = await store("POST", "/store/carts", {
      region_id: app.seed.regionId,
      email: "big-buyer@example.com",
      items: [{ variant_id: app.seed.variantId, quantity: 2 }],
    })
    const { payment_collection } = await store("POST", "/store/payment-collections", { cart_id: cart.id })
    await store("POST", `/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" })
    const completed = await store("POST", `/store/carts/${cart.id}/complete`)
    const orderId = completed.order.id
    let pending
    for (let i = 0; i < 60 && !pending; i++) {
      pending = (await adminGet(`/admin/virtual-goods/risk/decisions?review_status=pending`)).risk_decisions.find((d) => d.order_id === orderId)
      if (!pending) await new Promise((r) => setTimeout(r, 500))
    }
    assert.ok(pending, "the order is in the review queue")
    assert.equal((await adminGet(`/admin/virtual-goods/orders/${orderId}/codes`)).card_codes.length, 0)

    await page.reload()
    const row = page.locator(`[data-testid=risk-decisions] tr[data-decision="${pending.id}"]`)
    await row.waitFor()
    assert.match(await row.locator("[data-col=reasons]").innerText(), /Big orders: 2 codes in one order, above 1/)
    assert.match(await row.locator("[data-col=facts]").innerText(), /big-buyer@example\.com/)
    await shot("risk")
    await row.getByRole("button", { name: "Approve" }).click()
    await page.getByText("Approved: the codes are delivered").waitFor()
    await page.getByText("Nothing here.").waitFor()
    let codes
    for (let i = 0; i < 60; i++) {
      codes = await adminGet(`/admin/virtual-goods/orders/${orderId}/codes`)
      if (codes.card_codes.length === 2) break
      await new Promise((r) => setTimeout(r, 500))
    }
    assert.equal(codes.card_codes.length, 2)
    const { card_audit_logs } = await adminGet(`/admin/virtual-goods/audit-logs?order_id=${orderId}`)
    assert.deepEqual(card_audit_logs.map((e) => e.action).filter((a) => a.startsWith("risk_")).sort(), ["risk_approve", "risk_hold"])

    // The decision is on the order too.
    await page.goto(`${app.url}/app/orders/${orderId}`)
    const widget = page.getByTestId("order-risk")
    await widget.locator("[data-review=approved]").waitFor()
    assert.match(await widget.innerText(), /Big orders: 2 codes in one order, above 1/)

    // The rule off again for the scenarios that follow.
    await page.goto(`${app.url}/app/virtual-goods/risk`)
    await rule.getByRole("button", { name: "Delete" }).click()
    await page.getByText("No rule yet: every order is allowed.").waitFor()
  })

  test("payments: the page shows its counters, the findings and the webhook events as the API gives them (no Stripe involved)", async () => {
    // Under "Virtual goods" in the sidebar, like the other pages.
    await page.goto(`${app.url}/app/virtual-goods`)
    await page.getByRole("link", { name: "Payments" }).click()
    await page.waitForURL(/\/app\/virtual-goods\/payments$/)
    await page.getByRole("heading", { name: "Payments", exact: true }).waitFor()
    await page.getByRole("button", { name: "Reconcile now" }).waitFor()

    // Each counter is the count of the findings of its filters.
    const count = async (query) => (await adminGet(`/admin/virtual-goods/payments/findings?${query}&limit=1`)).count
    const expected = {
      capturedWithoutOrder: await count("status=open&kind=captured_without_order"),
      refunds: (await count("kind=refunded_automatically")) + (await count("kind=refunded_in_stripe")),
      disputesOpen: await count("status=open&kind=dispute"),
    }
    await page.waitForFunction(
      (want) => Object.entries(want).every(([k, n]) => document.querySelector(`[data-testid=payment-summary] [data-summary=${k}] [data-value]`)?.textContent === String(n)),
      expected
    )

    // Findings: the open ones by default.
    await page.getByRole("heading", { name: "Findings" }).waitFor()
    const open = await adminGet("/admin/virtual-goods/payments/findings?status=open&limit=20")
    if (open.count === 0) await page.getByText("Nothing open: every payment matches its order.").waitFor()
    else {
      await page.locator("[data-testid=payment-findings] tr[data-finding]").first().waitFor()
      const shown = await page.locator("[data-testid=payment-findings] tr[data-finding]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-finding")))
      assert.deepEqual(shown, open.findings.map((f) => f.id))
    }
    // A kind filter goes into the address and asks the API for that kind.
    const disputes = await adminGet("/admin/virtual-goods/payments/findings?status=open&kind=dispute&limit=20")
    await choose("Kind", "Dispute")
    await page.waitForURL(/[?&]kind=dispute/)
    if (disputes.count === 0) await page.getByText("No finding matches these filters.").waitFor()
    else await page.waitForFunction((n) => document.querySelectorAll("[data-testid=payment-findings] tr[data-kind=dispute]").length === n, disputes.findings.length)
    await page.getByRole("button", { name: "Reset" }).click()
    await page.waitForURL(/\/app\/virtual-goods\/payments$/)

    // Webhook events: none was ever sent to this app.
    await page.getByRole("tab", { name: "Webhook events" }).click()
    await page.waitForURL(/[?&]tab=events/)
    await page.getByRole("heading", { name: "Webhook events" }).waitFor()
    const events = await adminGet("/admin/virtual-goods/payments/events?limit=20")
    assert.equal(events.count, 0)
    await page.getByText("No webhook event received yet.").waitFor()
    assert.equal(await page.locator("[data-testid=payment-events]").count(), 0)

    // The order page shows its payment section exactly when the order has payment data.
    const loaded = page.waitForResponse((r) => r.url().includes(`/admin/virtual-goods/orders/${orderId_}/payment`) && r.request().method() === "GET")
    await page.goto(`${app.url}/app/orders/${orderId_}`)
    await page.getByTestId("order-virtual-goods").waitFor()
    assert.equal((await loaded).status(), 200)
    const info = await adminGet(`/admin/virtual-goods/orders/${orderId_}/payment`)
    const section = page.getByTestId("order-payment")
    if (!info.payments.length && !info.findings.length) assert.equal(await section.count(), 0)
    else {
      await section.getByRole("heading", { name: "Payment", exact: true }).waitFor()
      for (const p of info.payments) {
        const row = section.locator(`tr[data-payment="${p.id}"]`)
        assert.equal(await row.locator("[data-status]").getAttribute("data-status"), p.status)
        assert.equal(await row.locator("[data-col=amount]").innerText(), `${p.amount} ${p.currency_code.toUpperCase()}`)
        assert.equal(await row.locator("[data-col=payment-intent]").innerText(), p.payment_intent_id ?? "—")
      }
    }
  })

  test("suppliers: the page shows its sections; a new supplier's refusal names the field, its credentials come back as names only", async () => {
    await page.goto(`${app.url}/app/virtual-goods`)
    await page.getByRole("link", { name: "Suppliers" }).click()
    await page.waitForURL(/\/app\/virtual-goods\/suppliers$/)
    await page.getByRole("heading", { name: "Suppliers", exact: true }).waitFor()
    for (const name of ["Supplier orders", "Findings", "Margin report"]) await page.getByRole("heading", { name, exact: true }).waitFor()
    const orders = await adminGet("/admin/virtual-goods/supplier-orders?limit=20")
    if (orders.count === 0) await page.getByText("No order placed with a supplier yet.").waitFor()
    else assert.equal(await page.locator("[data-testid=supplier-orders] tr[data-supplier-order]").count(), orders.supplier_orders.length)

    // The API refuses a timeout under its minimum, naming the field; nothing is created.
    await page.getByRole("button", { name: "New supplier" }).click()
    const drawer = page.getByRole("dialog")
    await drawer.getByLabel("Name", { exact: true }).fill("Browser upstream")
    await drawer.getByLabel("Base URL", { exact: true }).fill("https://upstream.example")
    await drawer.getByLabel("Timeout (ms)", { exact: true }).fill("100")
    await drawer.getByLabel("Credential 1 name", { exact: true }).fill("api_key")
    await drawer.getByLabel("Credential 1 value", { exact: true }).fill("browser-secret-value")
    await drawer.getByRole("button", { name: "Save" }).click()
    await drawer.getByRole("alert").filter({ hasText: "timeout_ms" }).waitFor()
    assert.equal((await adminGet("/admin/virtual-goods/suppliers")).suppliers.filter((s) => s.name === "Browser upstream").length, 0)

    await drawer.getByLabel("Timeout (ms)", { exact: true }).fill("5000")
    await drawer.getByRole("button", { name: "Save" }).click()
    await page.getByText("Supplier Browser upstream created").waitFor()
    const { suppliers } = await adminGet("/admin/virtual-goods/suppliers")
    const created = suppliers.find((s) => s.name === "Browser upstream")
    assert.deepEqual(created.credential_fields, ["api_key"])
    assert.equal(JSON.stringify(suppliers).includes("browser-secret-value"), false)
    const row = page.locator(`[data-testid=suppliers] tr[data-supplier="${created.id}"]`)
    assert.equal(await row.locator("[data-col=credentials]").innerText(), "Credentials: api_key")
    assert.equal(await row.getAttribute("data-status"), "active")
    assert.equal(await page.getByText("browser-secret-value").count(), 0)

    // Disable, then enable again.
    await row.getByRole("button", { name: "Disable" }).click()
    await page.waitForFunction((id) => document.querySelector(`[data-testid=suppliers] tr[data-supplier="${id}"]`)?.getAttribute("data-status") === "disabled", created.id)
    await row.getByRole("button", { name: "Enable" }).click()
    await page.waitForFunction((id) => document.querySelector(`[data-testid=suppliers] tr[data-supplier="${id}"]`)?.getAttribute("data-status") === "active", created.id)
    assert.equal((await adminGet(`/admin/virtual-goods/suppliers/${created.id}`)).supplier.status, "active")
  })

  test("agent detail: adjustments with a reason on the ledger, statement, quota, webhook secret shown once, freeze", async () => {
    await page.goto(`${app.url}/app/virtual-goods/agents`)
    await page.getByRole("link", { name: "省代 Shenzhen" }).click()
    await page.waitForURL(/\/app\/virtual-goods\/agents\/agent_/)
    const summary = page.getByTestId("agent-summary")
    await summary.getByRole("heading", { name: "省代 Shenzhen" }).waitFor()
    assert.equal(await summary.locator("[data-col=balance]").innerText(), "250.5 CNY")

    const ledger = page.getByTestId("agent-ledger")
    await ledger.getByRole("button", { name: "Adjust" }).click()
    let drawer = page.getByRole("dialog")
    await drawer.getByLabel("Amount (CNY)").fill("-1000")
    await drawer.getByLabel("Reason (required)").fill("too much")
    await drawer.getByRole("button", { name: "Adjust" }).click()
    await drawer.getByText("Insufficient funds: the posting would take an agent below its balance plus credit limit").waitFor()
    await drawer.getByLabel("Amount (CNY)").fill("-50")
    await drawer.getByLabel("Reason (required)").fill("chargeback 7")
    await drawer.getByRole("button", { name: "Adjust" }).click()
    await page.getByText("Posted: the balance is now 200.5 CNY").waitFor()
    await drawer.waitFor({ state: "detached" })
    const first = ledger.locator("tr[data-entry]").first()
    await page.waitForFunction(() => document.querySelector("[data-testid=agent-ledger] tr[data-entry]")?.getAttribute("data-entry") === "adjustment")
    assert.equal(await first.locator("[data-col=amount]").innerText(), "-50 CNY")
    assert.equal(await first.locator("[data-col=note]").innerText(), "chargeback 7")

    // Today's statement: nothing before today (opening 0), the closing balance is the account's balance.
    const statement = page.getByTestId("agent-statement")
    const today = new Date().toISOString().slice(0, 10)
    await statement.getByLabel("From", { exact: true }).fill(today)
    await statement.getByLabel("To", { exact: true }).fill(today)
    await page.waitForFunction(() => document.querySelector("[data-testid=agent-statement] [data-col=closing]")?.textContent === "200.5")
    const agentId = /agents\/(agent_[^/?#]+)/.exec(page.url())[1]
    assert.equal((await adminGet(`/admin/virtual-goods/agents/${agentId}`)).agent.accounts[0].balance, "200.5")
    assert.equal(await statement.locator("[data-col=opening]").innerText(), "0")
    assert.equal(await statement.locator("[data-total=topup]").innerText(), "250.5")
    assert.equal(await statement.locator("[data-total=adjustment]").innerText(), "-50")
    const csvHref = await statement.getByRole("link", { name: "Download CSV" }).getAttribute("href")
    const csv = await page.request.get(`${app.url}${csvHref}`)
    assert.equal(csv.status(), 200)
    assert.match(await csv.text(), /adjustment,-50,200\.5/)

    const quotas = page.getByTestId("agent-quotas")
    await quotas.getByLabel("Variant").fill(app.seed.variantId)
    await quotas.getByLabel("Limit").fill("5")
    await quotas.getByRole("button", { name: "Set quota" }).click()
    await quotas.locator(`tr[data-quota="${app.seed.variantId}"]`).waitFor()
    assert.equal(await quotas.locator(`tr[data-quota="${app.seed.variantId}"] [data-col=used]`).innerText(), "0")
    assert.equal(await quotas.locator(`tr[data-quota="${app.seed.variantId}"] [data-col=limit]`).innerText(), "5")

    const webhook = page.getByTestId("agent-webhook")
    await webhook.getByLabel("URL").fill("ftp://example.com/hook")
    await webhook.getByRole("button", { name: "Save" }).click()
    await webhook.getByText("url is refused: its scheme ftp: is not http(s)").waitFor()
    await webhook.getByLabel("URL").fill("http://127.0.0.1:9/hook") // development allows a local receiver
    await webhook.getByRole("button", { name: "Save" }).click()
    const secret = await webhook.getByTestId("webhook-secret").locator("[data-value]").innerText()
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/)
    const stored = await adminGet(`/admin/virtual-goods/agents`)
    assert.ok(!JSON.stringify(stored).includes(secret.slice(6)), "the secret is not in the API's agent")

    await summary.getByRole("button", { name: "Freeze" }).click()
    await page.getByRole("alertdialog").getByRole("button", { name: "Freeze" }).click()
    await summary.locator("[data-status=frozen]").waitFor()
    await summary.getByRole("button", { name: "Unfreeze" }).click()
    await page.getByRole("alertdialog").getByRole("button", { name: "Unfreeze" }).click()
    await summary.locator("[data-status=active]").waitFor()
  })

  test("agent webhook: tier and price list shown, the secret shown once signs the deliveries, a failed one is dead-lettered and replayed", async () => {
    const post = async (route, data) => {
      const res = await page.request.post(`${app.url}${route}`, { data })
      assert.ok(res.ok(), `POST ${route}: ${res.status()} ${await res.text()}`)
      return res.json()
    }
    // A tier (customer group) whose price list sells the demo variant at 12 USD, and an agent in it with a key.
    const { customer_group } = await post("/admin/customer-groups", { name: "Tier B" })
    const { price_list } = await post("/admin/price-lists", {
      title: "Tier B prices",
      description: "wholesale tier B",
      status: "active",
      rules: { "customer.groups.id": [customer_group.id] },
      prices: [{ amount: 12, currency_code: "usd", variant_id: app.seed.variantId }],
    })
    const { agent } = await post("/admin/virtual-goods/agents", { name: "Webhook shop", currency_code: "usd", customer_group_id: customer_group.id })
    await post(`/admin/virtual-goods/agents/${agent.id}/topups`, { currency_code: "usd", amount: "100", note: "transfer 0077" })
    const { key } = await post(`/admin/virtual-goods/agents/${agent.id}/api-keys`, { name: "erp", scopes: ["orders:write"] })

    // The agent's endpoint: answers 500 and keeps what it got.
    const received = []
    const receiver = http.createServer((req, res) => {
      let body = ""
      req.on("data", (d) => (body += d))
      req.on("end", () => {
        received.push({ headers: req.headers, body })
        res.statusCode = 500
        res.end()
      })
    })
    await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve))
    try {
      await page.goto(`${app.url}/app/virtual-goods/agents`)
      await page.getByRole("link", { name: "Webhook shop" }).click()
      const summary = page.getByTestId("agent-summary")
      await summary.getByRole("heading", { name: "Webhook shop" }).waitFor()
      assert.equal(await summary.getByRole("link", { name: "Tier B", exact: true }).getAttribute("href"), `/app/customer-groups/${customer_group.id}`)
      assert.equal(await summary.getByRole("link", { name: "Tier B prices" }).getAttribute("href"), `/app/price-lists/${price_list.id}`)
      assert.equal(await summary.locator("[data-col=available]").innerText(), "100 USD")

      // The URL set: a secret, shown once; a new secret replaces it (behind a confirmation).
      const webhook = page.getByTestId("agent-webhook")
      await webhook.getByLabel("URL").fill(`http://127.0.0.1:${receiver.address().port}/vg-events`)
      await webhook.getByRole("button", { name: "Save" }).click()
      const value = webhook.getByTestId("webhook-secret").locator("[data-value]")
      const first = await value.innerText()
      await webhook.getByRole("button", { name: "New secret" }).click()
      await page.getByRole("alertdialog").getByRole("button", { name: "New secret" }).click()
      await page.waitForFunction((old) => {
        const shown = document.querySelector("[data-testid=webhook-secret] [data-value]")?.textContent
        return !!shown && shown !== old
      }, first)
      const secret = await value.innerText()
      assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/)

      // A wholesale order at the tier's price: on the page with its key and Medusa order; its webhook queued.
      const res = await fetch(`${app.url}/wholesale/orders`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "idempotency-key": "po-hook-1", "content-type": "application/json" },
        body: JSON.stringify({ items: [{ variant_id: app.seed.variantId, quantity: 1 }] }),
      })
      assert.equal(res.status, 201)
      const { order } = await res.json()
      assert.equal(order.total, "12")
      const row = page.locator(`[data-testid=agent-orders] tr[data-order="${order.id}"]`)
      // Answered from one transaction; the worker records the Medusa order moments later: the page shows the order being
      // recorded (a badge with the lag), then links it.
      const deadline = Date.now() + 30_000
      do {
        await page.reload()
        await row.waitFor()
      } while ((!(await row.locator("[data-col=order] a").count()) || (await row.getByTestId("bookkeeping-lag").count())) && Date.now() < deadline)
      assert.equal(await row.locator("[data-col=key]").innerText(), "po-hook-1")
      assert.equal(await row.locator("[data-col=total]").innerText(), "12 USD")
      assert.match(await row.locator("[data-col=order] a").getAttribute("href"), /^\/app\/orders\/order_/)
      assert.equal(await row.getByTestId("bookkeeping-lag").count(), 0)
      assert.match(await row.locator("[data-col=lines]").innerText(), /^1 × .+ @ 12$/)
      assert.equal(await page.locator("[data-testid=agent-ledger] tr[data-entry]").first().getAttribute("data-entry"), "purchase")
      assert.equal(await page.locator("[data-testid=agent-ledger] tr[data-entry] [data-col=amount]").first().innerText(), "-12 USD")
      assert.equal(await page.getByTestId("webhook-secret").count(), 0) // once means once: gone after a reload

      // The webhook job (every minute) makes the first attempt; the endpoint's 500 dead-letters it (one attempt here).
      const delivery = webhook.locator("[data-testid=webhook-deliveries] tr[data-delivery]")
      await delivery.waitFor()
      assert.equal(await delivery.count(), 1)
      await webhook.locator("[data-testid=webhook-deliveries] tr[data-delivery][data-status=dead]").waitFor({ timeout: 90_000 })
      assert.equal(await delivery.locator("[data-col=attempts]").innerText(), "1")
      assert.equal(await delivery.locator("[data-col=error]").innerText(), "HTTP 500")
      // What the endpoint got: signed with the secret shown (the rotated one), no code in it.
      assert.equal(received.length, 1)
      const { headers, body } = received[0]
      const sign = (s) => `v1=${crypto.createHmac("sha256", s).update(`${headers["x-vg-timestamp"]}.${body}`).digest("hex")}`
      assert.equal(headers["x-vg-signature"], sign(secret))
      assert.notEqual(headers["x-vg-signature"], sign(first))
      const event = JSON.parse(body)
      assert.equal(event.event, "agent_order.completed")
      assert.equal(event.data.id, order.id)
      assert.ok(!body.includes(order.items[0].codes[0].code), "no code in a webhook")
      // No key and no secret on the page. The admin scrolls inside its own layout: a tall viewport shows every section.
      await page.setViewportSize({ width: 1440, height: 1880 })
      await shot("agent-detail")
      await page.setViewportSize({ width: 1440, height: 900 })

      // The dead-letter list, and a replay from the first attempt.
      await choose("Delivery status", "Dead (gave up)")
      await delivery.getByRole("button", { name: "Send again" }).click()
      await page.getByText("Queued to be sent again").waitFor()
      await webhook.getByText("No delivery.").waitFor()
      await choose("Delivery status", "All")
      await webhook.locator("[data-testid=webhook-deliveries] tr[data-delivery][data-status=pending]").waitFor()
      assert.equal(await delivery.locator("[data-col=attempts]").innerText(), "0")
      const { deliveries } = await adminGet(`/admin/virtual-goods/webhook-deliveries?agent_id=${agent.id}`)
      assert.deepEqual(
        deliveries.map((d) => [d.status, d.attempts]),
        [["pending", 0]]
      )
    } finally {
      receiver.close()
    }
  })

  // After the scenarios that count sold codes: this one buys one more.
  test("counter: a voucher typed, redeemed once per click and rolled back with a reason; then read from a photo of its QR code", async () => {
    // A code bought through the store, its pool made a three-use voucher program, the code revealed by the admin API.
    const { cart } = await store("POST", "/store/carts", { region_id: app.seed.regionId, email: "voucher-buyer@example.com", items: [{ variant_id: app.seed.variantId, quantity: 1 }] })
    const { payment_collection } = await store("POST", "/store/payment-collections", { cart_id: cart.id })
    await store("POST", `/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" })
    const completed = await store("POST", `/store/carts/${cart.id}/complete`)
    let codes
    for (let i = 0; i < 60; i++) {
      codes = await adminGet(`/admin/virtual-goods/orders/${completed.order.id}/codes`)
      if (codes.card_codes.length && codes.delivery?.status === "delivered") break
      await new Promise((r) => setTimeout(r, 500))
    }
    const bought = codes.card_codes[0]
    const post = async (route, data, headers = {}) => {
      const res = await page.request.post(`${app.url}${route}`, { data, headers })
      assert.ok(res.ok(), `POST ${route}: ${res.status()} ${await res.text()}`)
      return res.json()
    }
    // The pool's codes become vouchers on the pool's page: three uses, an hour to roll one back.
    await page.goto(`${app.url}/app/virtual-goods/${bought.pool_id}`)
    const programSection = page.getByTestId("voucher-program")
    await programSection.locator("[data-status=none]").waitFor()
    await choose("Redeemed", "A number of times")
    await programSection.getByLabel("Uses").fill("0")
    await programSection.getByLabel("Rollback window (minutes)").fill("60")
    await programSection.getByRole("button", { name: "Make redeemable" }).click()
    await programSection.getByText(/Invalid request: .*'uses'/).waitFor()
    await programSection.getByLabel("Uses").fill("3")
    await programSection.getByRole("button", { name: "Make redeemable" }).click()
    await programSection.locator("[data-status=active]").waitFor()
    const { voucher_program } = await adminGet(`/admin/virtual-goods/pools/${bought.pool_id}/voucher-program`)
    assert.deepEqual(
      { kind: voucher_program.kind, uses: voucher_program.uses, window: voucher_program.rollback_window_seconds, status: voucher_program.status },
      { kind: "multi_use", uses: 3, window: 3600, status: "active" }
    )
    const { card_code } = await post(`/admin/virtual-goods/codes/${bought.id}/reveal`, { reason: "voucher printed for the counter test" })

    await page.goto(`${app.url}/app/virtual-goods/counter`)
    await page.getByRole("heading", { name: "Counter: redeem vouchers", exact: true }).waitFor()
    // Nothing typed: told so. A wrong code: the API's one answer for any code that is not a voucher.
    await page.getByRole("button", { name: "Check", exact: true }).click()
    await page.getByRole("alert").filter({ hasText: "Type or scan a voucher's code first." }).waitFor()
    await page.getByLabel("Voucher code", { exact: true }).fill("NOT-A-VOUCHER")
    await page.getByRole("button", { name: "Check", exact: true }).click()
    await page.getByRole("alert").filter({ hasText: "Voucher not found" }).waitFor()

    await page.getByLabel("Voucher code", { exact: true }).fill(card_code.code)
    await page.getByRole("button", { name: "Check", exact: true }).click()
    const card = page.getByTestId("voucher")
    await card.getByText(bought.mask).waitFor()
    assert.equal(await card.getAttribute("data-status"), "redeemable")
    assert.equal(await card.getByTestId("voucher-remaining").locator("[data-value]").innerText(), "3 of 3 uses")
    await card.getByText("Not redeemed yet.").waitFor()

    await card.getByRole("button", { name: "Redeem", exact: true }).click()
    await page.getByText("Redeemed. Left: 2 of 3 uses").waitFor()
    await page.waitForFunction(() => document.querySelector("[data-testid=voucher-remaining] [data-value]")?.textContent === "2 of 3 uses")
    assert.equal(await card.locator("tr[data-kind=redeem]").count(), 1)
    const [redemption] = (await adminGet(`/admin/virtual-goods/voucher-redemptions?code_id=${bought.id}`)).voucher_redemptions
    assert.equal(redemption.channel, "counter")

    // A rollback needs its reason; then the use is back.
    await card.locator("tr[data-kind=redeem]").getByRole("button", { name: "Roll back" }).click()
    await card.getByTestId("rollback").getByRole("button", { name: "Roll back" }).click()
    await page.getByRole("alert").filter({ hasText: "Give a reason of at least 3 characters." }).waitFor()
    await card.getByLabel("Reason for the rollback (required)").fill("redeemed the wrong voucher")
    await card.getByTestId("rollback").getByRole("button", { name: "Roll back" }).click()
    await page.waitForFunction(() => document.querySelector("[data-testid=voucher-remaining] [data-value]")?.textContent === "3 of 3 uses")
    await card.locator("tr[data-kind=rollback]").getByText("redeemed the wrong voucher").waitFor()
    await shot("counter")

    // Next voucher: the code is read from a photo of its QR code (as when no camera can be used).
    await card.getByRole("button", { name: "Next voucher" }).click()
    assert.equal(await page.getByLabel("Voucher code", { exact: true }).inputValue(), "")
    const photo = path.join(require("os").tmpdir(), `voucher-${Date.now()}.png`)
    await require("qrcode").toFile(photo, card_code.code, { scale: 6, margin: 4 })
    await page.getByLabel("Read the QR code from a photo").setInputFiles(photo)
    await page.getByTestId("voucher").getByText(bought.mask).waitFor()
    assert.equal(await page.getByLabel("Voucher code", { exact: true }).inputValue(), card_code.code)
    fs.rmSync(photo, { force: true })
    await post(`/admin/virtual-goods/pools/${bought.pool_id}/voucher-program`, { kind: "multi_use", uses: 3, status: "disabled" })
  })

  test("campaigns: made on the page (a missing name refused), a shopper's registration gives a code, the table counts it", async () => {
    await page.goto(`${app.url}/app/virtual-goods/campaigns`)
    await page.getByRole("heading", { name: "Campaigns", exact: true }).waitFor()
    await page.getByRole("button", { name: "Create campaign" }).click()
    const drawer = page.getByRole("dialog")
    await drawer.getByRole("button", { name: "Save" }).click()
    await drawer.getByText("Give the campaign a name.").waitFor()
    await drawer.getByLabel("Name", { exact: true }).fill("拉新送7天会员")
    await choose("Pool the codes come from", /^Youku VIP — 1 month \(/)
    await drawer.getByLabel("Budget (codes at most)").fill("50")
    await drawer.getByRole("button", { name: "Save" }).click()
    await page.getByText("Campaign 拉新送7天会员 created").waitFor()
    const row = page.locator("[data-testid=campaigns-table] tr[data-campaign]").first()
    await row.locator("[data-col=issued]").getByText("0 / 50").waitFor()

    // A shopper registers through the store API: the campaign gives them a code.
    const email = `fan-${Date.now()}@example.com`
    const json = { "content-type": "application/json" }
    const registered = await (await fetch(`${app.url}/auth/customer/emailpass/register`, { method: "POST", headers: json, body: JSON.stringify({ email, password: "Passw0rd!" }) })).json()
    const created = await fetch(`${app.url}/store/customers`, {
      method: "POST",
      headers: { ...json, "x-publishable-api-key": app.seed.publishableKey, authorization: `Bearer ${registered.token}` },
      body: JSON.stringify({ email }),
    })
    assert.equal(created.status, 200)
    for (let i = 0; i < 40; i++) {
      const { campaigns } = await adminGet("/admin/virtual-goods/campaigns")
      if (campaigns[0].report.issued === 1) break
      await new Promise((r) => setTimeout(r, 250))
    }
    await page.reload()
    await row.locator("[data-col=issued]").getByText("1 / 50").waitFor()
    assert.equal(await row.locator("[data-col=revealed]").innerText(), "0")
    await shot("campaigns")
    // Paused from the page.
    await row.getByRole("button", { name: "Pause" }).click()
    await row.locator("[data-status=paused]").waitFor()
  })

  test("reusable pool: created as reusable, shared codes added (a bad limit and a duplicate line refused), one withdrawn with a reason", async () => {
    await page.goto(`${app.url}/app/virtual-goods`)
    await page.getByRole("button", { name: "Create pool" }).click()
    await page.getByLabel("Name", { exact: true }).fill("Course links")
    await choose("Kind", "Reusable: each code sold several times (shared accounts, links)")
    await page.getByRole("button", { name: "Save" }).click()
    await page.waitForURL(/\/app\/virtual-goods\/cpool_/)
    const poolId = page.url().split("/").pop()
    await page.locator("[data-kind=reusable]").waitFor()
    // A reusable pool takes shared codes, not imports or generation.
    assert.equal(await page.getByRole("button", { name: "Import file" }).count(), 0)
    const section = page.getByTestId("shared-codes")
    await section.getByText("No shared codes yet.").waitFor()

    await page.getByLabel("Codes, one per line (a tab before an optional password)").fill("https://course.test/join/AAA\nfamily@stream.test\ts3cret-pass")
    await page.getByLabel("Sales per code (blank: unlimited)").fill("0")
    await section.getByRole("button", { name: "Add shared codes" }).click()
    await section.getByText("The sales per code must be a whole number from 1 to 1,000,000, or blank for unlimited.").waitFor()
    await page.getByLabel("Codes, one per line (a tab before an optional password)").fill("https://course.test/join/AAA\nhttps://course.test/join/AAA")
    await page.getByLabel("Sales per code (blank: unlimited)").fill("3")
    await section.getByRole("button", { name: "Add shared codes" }).click()
    await section.getByRole("alert").getByText(/line 2 code: duplicates line 1/).waitFor()

    await page.getByLabel("Codes, one per line (a tab before an optional password)").fill("https://course.test/join/AAA\nfamily@stream.test\ts3cret-pass")
    await section.getByRole("button", { name: "Add shared codes" }).click()
    const rows = section.locator("tr[data-shared-code]")
    await rows.nth(1).waitFor()
    const { shared_codes } = await adminGet(`/admin/virtual-goods/pools/${poolId}/shared-codes`)
    assert.equal(shared_codes.length, 2)
    for (const s of shared_codes) {
      const row = section.locator(`tr[data-shared-code="${s.id}"]`)
      assert.equal(await row.locator("[data-col=limit]").innerText(), "3")
      assert.equal(await row.locator("[data-col=available]").innerText(), String(s.available))
      assert.ok(!(await row.innerText()).includes("course.test/join/AAA"), "the list shows masks only")
    }
    assert.equal(await stockValue("available"), shared_codes.reduce((n, s) => n + s.available, 0))
    await shot("reusable-pool")

    const target = section.locator(`tr[data-shared-code="${shared_codes[0].id}"]`)
    await target.getByRole("button", { name: "Withdraw" }).click()
    const drawer = page.getByRole("dialog")
    await drawer.getByRole("button", { name: "Withdraw" }).click()
    await drawer.getByText("Give a reason.").waitFor()
    await drawer.getByLabel("Reason").fill("account closed by the provider")
    await drawer.getByRole("button", { name: "Withdraw" }).click()
    await target.locator("[data-status=withdrawn]").waitFor()
    const after = await adminGet(`/admin/virtual-goods/pools/${poolId}/shared-codes`)
    assert.deepEqual(
      after.shared_codes.map((s) => [s.id, s.status, s.available]).sort(),
      [[shared_codes[0].id, "withdrawn", 0], [shared_codes[1].id, "active", shared_codes[1].available]].sort()
    )
  })

  test("in Chinese: the admin's language setting switches the labels", async () => {
    // What the profile's language setting stores: the dashboard's i18next detector reads the `lng` cookie, then
    // localStorage.
    await setLanguage("zhCN")
    await page.goto(`${app.url}/app/virtual-goods`)
    await page.getByRole("heading", { name: "虚拟商品" }).waitFor()
    await page.getByRole("columnheader", { name: "可售" }).waitFor()
    const { count: pools } = await adminGet("/admin/virtual-goods/pools")
    await page.getByText(`共 ${pools} 个卡密库`).waitFor()
    assert.equal(await page.getByRole("link", { name: "虚拟商品" }).count(), 1)
    // CJK glyphs really render (a CJK font is installed): two different characters drawn in the page's font differ
    // pixel for pixel, where the missing-glyph box of a font without them would look the same.
    const distinct = await page.evaluate(() => {
      const font = getComputedStyle(document.body).fontFamily
      const draw = (ch) => {
        const c = document.createElement("canvas")
        c.width = c.height = 40
        const ctx = c.getContext("2d")
        ctx.font = `32px ${font}`
        ctx.fillText(ch, 2, 32)
        return c.toDataURL()
      }
      return draw("虚") !== draw("拟")
    })
    assert.equal(distinct, true)
    await shot("pools-zh")
    await setLanguage("en")
  })

  test("a wholesale order replayed after the app restarts answers with the same order and codes", async () => {
    const api = async (method, route, body, headers = {}) => {
      const res = await page.request.fetch(`${app.url}${route}`, { method, data: body, headers })
      return { status: res.status(), headers: res.headers(), data: await res.json() }
    }
    const { data: created } = await api("POST", "/admin/virtual-goods/agents", { name: "Restart agent", currency_code: "usd" })
    const agentId = created.agent.id
    await api("POST", `/admin/virtual-goods/agents/${agentId}/topups`, { currency_code: "usd", amount: "500" })
    const { data: keyed } = await api("POST", `/admin/virtual-goods/agents/${agentId}/api-keys`, { name: "erp", scopes: ["orders:read", "orders:write"] })
    const order = (key) =>
      fetch(`${app.url}/wholesale/orders`, {
        method: "POST",
        headers: { authorization: `Bearer ${keyed.key}`, "idempotency-key": key, "content-type": "application/json" },
        body: JSON.stringify({ items: [{ variant_id: app.seed.variantId, quantity: 2 }] }),
      })
    const first = await order("restart-1")
    assert.equal(first.status, 201)
    const before = await first.json()
    assert.equal(before.order.items[0].codes.length, 2)

    await app.restart()

    const replay = await order("restart-1")
    assert.equal(replay.status, 201)
    assert.equal(replay.headers.get("idempotent-replayed"), "true")
    const after = await replay.json()
    assert.equal(after.order.id, before.order.id)
    assert.deepEqual(
      after.order.items[0].codes.map((c) => c.code),
      before.order.items[0].codes.map((c) => c.code)
    )
    const other = await fetch(`${app.url}/wholesale/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${keyed.key}`, "idempotency-key": "restart-1", "content-type": "application/json" },
      body: JSON.stringify({ items: [{ variant_id: app.seed.variantId, quantity: 3 }] }),
    })
    assert.equal(other.status, 422)
    // Charged once (the admin session did not survive the restart; the agent's key did).
    const me = await (await fetch(`${app.url}/wholesale/me`, { headers: { authorization: `Bearer ${keyed.key}` } })).json()
    assert.equal(me.agent.accounts[0].balance, String(500 - Number(before.order.total)))
  })
})
