import { asValue } from "@medusajs/framework/awilix"
import type { LoaderOptions } from "@medusajs/framework/types"
import { CodeCipher } from "../utils/crypto"
import { CardVaultModuleOptions, resolveCardVaultOptions } from "../utils/options"
import { revealLinkKey } from "../utils/reveal-link"

/**
 * Resolves the vault's options (keys from the options or the environment; a missing or malformed key stops the app
 * here, naming the variable) and registers them, the cipher built from the keyring and the guest links' key in the
 * module's container, for its internal services. The keys live in memory only.
 */
export default async function keyringLoader({ container, options }: LoaderOptions<CardVaultModuleOptions>) {
  const resolved = resolveCardVaultOptions(options ?? {})
  container.register({
    cardVaultOptions: asValue(resolved),
    codeCipher: asValue(new CodeCipher(resolved.keyring)),
    cardVaultLinkKey: asValue(revealLinkKey({ link_key: resolved.link_key, blind_index_key: resolved.keyring.blind_index_key }, {})),
  })
}
