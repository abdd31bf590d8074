import { test } from "node:test"
import assert from "node:assert/strict"
import { importTs } from "./ts-module.mjs"

const { checkRecipient, topUpLinesOf, missingRecipients, problemMessage, fillTemplate } = await importTs("src/modules/virtual-goods/topup-recipient.ts")

const phone = { key: "account", label: "Phone number", pattern: "1[3-9]\\d{9}", min_length: 11, max_length: 11 }
const zone = { key: "zone", label: "Server", required: false, max_length: 4 }

test("a valid recipient is sent trimmed, with known fields only; an empty optional field is left out", () => {
  assert.deepEqual(checkRecipient([phone, zone], { account: " 13800138000 ", zone: "", other: "x" }), { values: { account: "13800138000" }, problems: [] })
  assert.deepEqual(checkRecipient([phone, zone], { account: "13800138000", zone: "s1" }), { values: { account: "13800138000", zone: "s1" }, problems: [] })
})

test("a required field missing or blank is a required problem; required defaults to true", () => {
  assert.deepEqual(checkRecipient([phone], {}).problems, [{ key: "account", label: "Phone number", rule: "required" }])
  assert.deepEqual(checkRecipient([{ key: "uid", label: "" }], { uid: "   " }).problems, [{ key: "uid", label: "uid", rule: "required" }])
})

test("lengths are checked before the pattern, on the trimmed value, as the backend does", () => {
  assert.deepEqual(checkRecipient([phone], { account: "1380013800" }).problems, [{ key: "account", label: "Phone number", rule: "min_length", n: 11 }])
  assert.deepEqual(checkRecipient([phone], { account: "138001380001" }).problems, [{ key: "account", label: "Phone number", rule: "max_length", n: 11 }])
  assert.deepEqual(checkRecipient([phone], { account: "12800138000" }).problems, [{ key: "account", label: "Phone number", rule: "pattern" }])
  assert.deepEqual(checkRecipient([zone], { zone: " abcd " }).problems, [])
})

test("the pattern must match the whole value, alternatives included", () => {
  const f = { key: "region", label: "Region", pattern: "cn|hk" }
  assert.deepEqual(checkRecipient([f], { region: "cn" }).problems, [])
  assert.equal(checkRecipient([f], { region: "cnx" }).problems[0].rule, "pattern")
  assert.equal(checkRecipient([f], { region: "xhk" }).problems[0].rule, "pattern")
})

test("a pattern this browser cannot compile is left to the backend", () => {
  assert.deepEqual(checkRecipient([{ key: "a", label: "A", pattern: "(" }], { a: "x" }), { values: { a: "x" }, problems: [] })
})

test("problem messages fill the label and the length", () => {
  const templates = { required: "{label} is required.", minLength: "{label} must have at least {n} characters.", maxLength: "{label}最多 {n} 个字符。", pattern: "{label} is not in the expected format." }
  assert.equal(problemMessage({ key: "account", label: "Phone number", rule: "min_length", n: 11 }, templates), "Phone number must have at least 11 characters.")
  assert.equal(problemMessage({ key: "account", label: "手机号", rule: "max_length", n: 11 }, templates), "手机号最多 11 个字符。")
  assert.equal(problemMessage({ key: "account", label: "Phone number", rule: "pattern" }, templates), "Phone number is not in the expected format.")
  assert.equal(fillTemplate("{a} {b}", { a: 1 }), "1 {b}")
})

test("top-up lines are the lines of top-up variants; a line has a recipient when its metadata holds its id", () => {
  const fields = {
    var_top: { variant_id: "var_top", top_up: true, fields: [phone] },
    var_code: { variant_id: "var_code", top_up: false, fields: [] },
  }
  const items = [
    { id: "li_1", variant_id: "var_top", product_title: "Mobile credit", metadata: { virtual_goods_recipient_id: "vgrcp_1", virtual_goods_recipient: "138****8000" } },
    { id: "li_2", variant_id: "var_code", product_title: "Gift card", metadata: null },
    { id: "li_3", variant_id: "var_top", product_title: "Mobile credit", metadata: {} },
    { id: "li_4", variant_id: "var_unknown", product_title: "Other" },
  ]
  const lines = topUpLinesOf(items, fields)
  assert.deepEqual(lines, [
    { lineId: "li_1", variantId: "var_top", title: "Mobile credit", fields: [phone], masked: "138****8000" },
    { lineId: "li_3", variantId: "var_top", title: "Mobile credit", fields: [phone], masked: null },
  ])
  assert.deepEqual(missingRecipients(lines).map((l) => l.lineId), ["li_3"])
  assert.deepEqual(topUpLinesOf(null, fields), [])
})

test("a mask without its id is not a recipient; an id without a mask still is", () => {
  const fields = { v: { variant_id: "v", top_up: true, fields: [phone] } }
  assert.equal(topUpLinesOf([{ id: "a", variant_id: "v", metadata: { virtual_goods_recipient: "138****8000" } }], fields)[0].masked, null)
  assert.equal(topUpLinesOf([{ id: "b", variant_id: "v", title: "T", metadata: { virtual_goods_recipient_id: "r" } }], fields)[0].masked, "•••")
})
