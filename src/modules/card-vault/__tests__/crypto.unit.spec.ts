import { randomBytes } from "crypto"
import fc from "fast-check"
import { CodeCipher, codeAad, maskCode, parseKeyList } from "../utils/crypto"

const k = () => randomBytes(32).toString("base64")

describe("CodeCipher", () => {
  const keys = { "1": k(), "2": k() }
  const cipher = new CodeCipher({ keys, primary_key_version: 2, blind_index_key: k() })

  it("round-trips codes and passwords with the primary key version", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.option(fc.string({ minLength: 1 })), (code, password) => {
        const aad = codeAad("ccode_a", "cpool_a")
        const sealed = cipher.encrypt({ code, password }, aad)
        expect(sealed.key_version).toBe(2)
        expect(cipher.decrypt(sealed, aad)).toEqual({ code, password: password ?? null })
      })
    )
  })

  it("uses a fresh IV every time: the same code never gives the same ciphertext", () => {
    const seen = new Set<string>()
    for (let i = 0; i < 3000; i++) {
      seen.add(cipher.encrypt({ code: "SAME-CODE" }, "aad").ciphertext)
    }
    expect(seen.size).toBe(3000)
  })

  it("refuses a tampered ciphertext", () => {
    const aad = codeAad("ccode_a", "cpool_a")
    const sealed = cipher.encrypt({ code: "YOUKU-1234-5678" }, aad)
    const raw = Buffer.from(sealed.ciphertext, "base64")
    for (const pos of [0, 13, 30, raw.length - 1]) {
      const bad = Buffer.from(raw)
      bad[pos] ^= 0x01
      expect(() => cipher.decrypt({ ...sealed, ciphertext: bad.toString("base64") }, aad)).toThrow(
        "Card code ciphertext failed authentication"
      )
    }
  })

  it("refuses a ciphertext swapped onto another row or pool", () => {
    const a = cipher.encrypt({ code: "CODE-A" }, codeAad("ccode_a", "cpool_1"))
    expect(() => cipher.decrypt(a, codeAad("ccode_b", "cpool_1"))).toThrow("failed authentication")
    expect(() => cipher.decrypt(a, codeAad("ccode_a", "cpool_2"))).toThrow("failed authentication")
  })

  it("decrypts older key versions and refuses unknown ones without leaking material", () => {
    const old = new CodeCipher({ keys: { "1": keys["1"] }, blind_index_key: k() })
    const sealed = old.encrypt({ code: "OLD-CODE-1" }, "aad")
    expect(sealed.key_version).toBe(1)
    expect(cipher.decrypt(sealed, "aad").code).toBe("OLD-CODE-1")
    let message = ""
    try {
      cipher.decrypt({ ...sealed, key_version: 9 }, "aad")
    } catch (e: any) {
      message = e.message
    }
    expect(message).toBe("Card code is sealed with key version 9, which is not in the keyring")
  })

  it("computes a deterministic blind index that depends on the index key", () => {
    const other = new CodeCipher({ keys, blind_index_key: k() })
    expect(cipher.blindIndex(" ABC-123 ")).toBe(cipher.blindIndex("ABC-123"))
    expect(cipher.blindIndex("ABC-123")).not.toBe(cipher.blindIndex("abc-123"))
    expect(cipher.blindIndex("ABC-123")).not.toBe(other.blindIndex("ABC-123"))
    expect(cipher.blindIndex("ABC-123")).toMatch(/^[0-9a-f]{64}$/)
  })

  it("refuses missing, short or reused keys with a clear message", () => {
    expect(() => new CodeCipher({ keys: {}, blind_index_key: k() })).toThrow("no encryption keys configured")
    expect(() => new CodeCipher({ keys: { "1": "c2hvcnQ=" }, blind_index_key: k() })).toThrow(
      "Encryption key version 1 must be 32 bytes"
    )
    expect(() => new CodeCipher({ keys: { x: k() }, blind_index_key: k() })).toThrow(
      'Encryption key version "x" must be a positive integer'
    )
    expect(() => new CodeCipher({ keys, primary_key_version: 5, blind_index_key: k() })).toThrow(
      "Primary encryption key version 5 is not in the keyring"
    )
    expect(() => new CodeCipher({ keys, blind_index_key: "" })).toThrow("no blind index key configured")
    expect(() => new CodeCipher({ keys, blind_index_key: keys["1"] })).toThrow("must differ from every encryption key")
  })

  it("parses the key list format of VIRTUAL_GOODS_ENCRYPTION_KEYS", () => {
    const a = k()
    const b = randomBytes(32).toString("hex")
    expect(parseKeyList(` 1:${a}, 2:${b} `)).toEqual({ "1": a, "2": b })
    expect(() => parseKeyList("nokey")).toThrow('entries must look like "<version>:<key>"')
    expect(new CodeCipher({ keys: parseKeyList(`1:${a},2:${b}`), blind_index_key: k() }).primaryVersion).toBe(2)
  })
})

describe("maskCode", () => {
  it("shows at most the last 4 characters and never more than a third of the code", () => {
    expect(maskCode("YOUKU-2026-ABCD-9876")).toBe("****9876")
    expect(maskCode("ABCDEF")).toBe("****EF")
    expect(maskCode("ABC")).toBe("****C")
    expect(maskCode("AB")).toBe("****")
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (code) => {
        const visible = maskCode(code).length - 4
        expect(visible).toBeLessThanOrEqual(Math.floor(code.trim().length / 3))
        expect(visible).toBeLessThanOrEqual(4)
      })
    )
  })
})
