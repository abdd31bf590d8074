import { revealLinkKey, revealLinkOf, revealLinkToken, revealUrlOf } from "../utils/reveal-link"

const INDEX_KEY = Buffer.alloc(32, 1).toString("base64")
const LINK_KEY = Buffer.alloc(32, 2).toString("hex")
const link = { id: "crlink_01ABC", url_template: "https://shop.test/zh/reveal/{token}", expires_at: "2026-12-01T00:00:00.000Z", max_uses: 5 }

describe("guest reveal link tokens", () => {
  it("derives the same 43-character token for the same link and key, another for another link or key", () => {
    const key = revealLinkKey({ link_key: LINK_KEY }, {})
    const token = revealLinkToken(key, link.id)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(revealLinkToken(revealLinkKey({ link_key: LINK_KEY }, {}), link.id)).toBe(token)
    expect(revealLinkToken(key, "crlink_01ABD")).not.toBe(token)
    expect(revealLinkToken(revealLinkKey({ blind_index_key: INDEX_KEY }, {}), link.id)).not.toBe(token)
  })

  it("takes the link key from the option, then VIRTUAL_GOODS_LINK_KEY, else derives one from the blind index key", () => {
    const fromOption = revealLinkKey({ link_key: LINK_KEY }, { VIRTUAL_GOODS_LINK_KEY: Buffer.alloc(32, 3).toString("base64") })
    expect(fromOption.equals(Buffer.alloc(32, 2))).toBe(true)
    const fromEnv = revealLinkKey({}, { VIRTUAL_GOODS_LINK_KEY: Buffer.alloc(32, 3).toString("base64"), VIRTUAL_GOODS_BLIND_INDEX_KEY: INDEX_KEY })
    expect(fromEnv.equals(Buffer.alloc(32, 3))).toBe(true)
    const derived = revealLinkKey({}, { VIRTUAL_GOODS_BLIND_INDEX_KEY: INDEX_KEY })
    expect(derived).toHaveLength(32)
    expect(derived.equals(Buffer.alloc(32, 1))).toBe(false) // not the blind index key itself
    expect(revealLinkKey({ blind_index_key: INDEX_KEY }, {}).equals(derived)).toBe(true)
  })

  it("refuses a missing or malformed key with a message that names the setting", () => {
    expect(() => revealLinkKey({}, {})).toThrow("no key for guest reveal links (set VIRTUAL_GOODS_LINK_KEY or VIRTUAL_GOODS_BLIND_INDEX_KEY, or the option link_key)")
    expect(() => revealLinkKey({ link_key: "short" }, {})).toThrow("Reveal link key must be 32 bytes encoded as base64 or 64 hex characters")
  })

  it("renders a notification's link from its data, and nothing from data without a well-formed link", () => {
    const key = revealLinkKey({ link_key: LINK_KEY }, {})
    expect(revealUrlOf({ reveal_link: link }, key)).toBe(`https://shop.test/zh/reveal/${revealLinkToken(key, link.id)}`)
    expect(revealUrlOf({}, key)).toBeNull()
    expect(revealUrlOf(null, key)).toBeNull()
    expect(revealLinkOf({ reveal_link: { ...link, url_template: "https://shop.test/no-token" } })).toBeNull()
    expect(revealLinkOf({ reveal_link: { ...link, id: 7 } })).toBeNull()
    expect(revealLinkOf({ reveal_link: link })).toEqual(link)
  })
})
