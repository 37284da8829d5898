/**
 * The text a chunk is embedded as: its title and section path above the passage, so a passage that never
 * names its subject still lands near questions about it. kb-loader embeds with it and the index rebuild
 * backfills with it, so both always agree.
 */
export function embeddingText(title: string, sectionPath: string, body: string): string {
  const head = [title, sectionPath].filter((s) => s.trim() !== "").join("\n");
  return head ? `${head}\n\n${body}` : body;
}
