import { resolveCardVaultOptions } from "../utils/options"

describe("resolveCardVaultOptions", () => {
  it("applies defaults", () => {
    expect(resolveCardVaultOptions({}, {})).toEqual({
      keyring: { keys: {}, primary_key_version: undefined, blind_index_key: "" },
      link_key: "",
      reveal_url: "http://localhost:8000/virtual-goods/reveal/{token}",
      auto_capture: true,
      reservation_ttl_seconds: 900,
      guest_link_ttl_hours: 72,
      guest_link_max_uses: 5,
      fulfillment_provider_id: "digital_digital",
      alert_channel: "feed",
      alert_to: "",
      expiry_reminder_days: 3,
      reusable_buffer: 20,
      audit_signing_key: "",
      audit_checkpoint_dir: "",
      audit_checkpoint_url: "",
    })
  })

  it("falls back to the VIRTUAL_GOODS_* environment for options the host leaves out", () => {
    const resolved = resolveCardVaultOptions(
      { reveal_url: "https://shop.test/r/{token}", auto_capture: undefined },
      {
        VIRTUAL_GOODS_ENCRYPTION_KEYS: "1:aaa,2:bbb",
        VIRTUAL_GOODS_BLIND_INDEX_KEY: "idx",
        VIRTUAL_GOODS_REVEAL_URL: "https://ignored/{token}",
        VIRTUAL_GOODS_AUTO_CAPTURE: "false",
        VIRTUAL_GOODS_GUEST_LINK_MAX_USES: "3",
        VIRTUAL_GOODS_ALERT_CHANNEL: "email",
        VIRTUAL_GOODS_ALERT_TO: "stock@shop.test",
      }
    )
    expect(resolved.alert_channel).toBe("email")
    expect(resolved.alert_to).toBe("stock@shop.test")
    expect(resolved.keyring).toEqual({ keys: { "1": "aaa", "2": "bbb" }, primary_key_version: undefined, blind_index_key: "idx" })
    expect(resolved.reveal_url).toBe("https://shop.test/r/{token}")
    expect(resolved.auto_capture).toBe(false)
    expect(resolved.guest_link_max_uses).toBe(3)
  })

  it("refuses malformed values with the option's name", () => {
    expect(() => resolveCardVaultOptions({ auto_capture: "maybe" }, {})).toThrow('Option auto_capture must be true or false, got "maybe"')
    expect(() => resolveCardVaultOptions({ guest_link_max_uses: "0" }, {})).toThrow(
      'Option guest_link_max_uses must be a positive integer, got "0"'
    )
    expect(() => resolveCardVaultOptions({ reveal_url: "https://shop.test/r" }, {})).toThrow('Option reveal_url must contain "{token}"')
  })
})
