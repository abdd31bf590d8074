import en from "./json/en.json"
import zhCN from "./json/zhCN.json"

/** Labels of the virtual-goods pages in the admin's languages; the admin's language setting picks one. */
export default {
  en: { translation: en },
  zhCN: { translation: zhCN },
}
