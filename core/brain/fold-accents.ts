/**
 * Accents folded the one way the router, the lexicons and the answerer all compare words: "días" -> "dias",
 * "Größe" -> "Grosse", "Österreich" -> "Osterreich". Case is the caller's. A leaf module, so the lexicons can
 * fold their own words at load time without an import cycle through the router's text module.
 */
export function foldAccents(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/ß/g, "ss");
}
