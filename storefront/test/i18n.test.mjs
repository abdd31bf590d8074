import { test } from "node:test"
import assert from "node:assert/strict"
import { importTs } from "./ts-module.mjs"

const { en } = await importTs("src/lib/i18n/en.ts")
const { zhCN } = await importTs("src/lib/i18n/zh-CN.ts")

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

test("English and Simplified Chinese have the same keys, none empty", () => {
  assert.deepEqual(Object.keys(zhCN).sort(), Object.keys(en).sort())
  for (const [key, text] of [...Object.entries(en), ...Object.entries(zhCN)]) assert.ok(text.trim().length > 0, key)
})

test("each text has the same placeholders in both languages", () => {
  for (const key of Object.keys(en)) assert.deepEqual(placeholders(zhCN[key]), placeholders(en[key]), key)
})

test("the payment texts exist in both languages", () => {
  for (const key of ["checkout.method.card", "checkout.method.alipay", "checkout.method.wechat_pay", "payment.processing.title", "payment.processing.text", "payment.failed.title"]) {
    assert.ok(key in en && key in zhCN, key)
  }
  assert.equal(zhCN["checkout.method.alipay"], "支付宝")
  assert.equal(zhCN["checkout.method.wechat_pay"], "微信支付")
})
