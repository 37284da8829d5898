// Typo repair for the offline router (core/brain/offline-router.ts): a word the examples never use is replaced by the
// one known word a single edit away ("pakcage" -> "package", "humn" -> "human"), so typos find their neighbours
// instead of counting as unknown words. Lookups go through an index of single-letter deletions (the SymSpell idea),
// which keeps a correction to a handful of map reads instead of a scan of the vocabulary.

export type Speller = { correct(word: string): string };

// Shorter words are too ambiguous to repair: "cat" is one edit from "cart", "car" and "at".
const minLength = 4;

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

export type Edit = "insertion" | "deletion" | "substitution" | "swap";

/** The single edit that turns typed into known, or undefined when they are equal or further apart. */
export function singleEdit(typed: string, known: string): Edit | undefined {
  if (typed === known || Math.abs(typed.length - known.length) > 1) return undefined;
  let start = 0;
  while (start < typed.length && typed[start] === known[start]) start++;
  let endT = typed.length;
  let endK = known.length;
  while (endT > start && endK > start && typed[endT - 1] === known[endK - 1]) {
    endT--;
    endK--;
  }
  const restT = typed.slice(start, endT);
  const restK = known.slice(start, endK);
  if (restT.length === 1 && restK.length === 0) return "insertion";
  if (restT.length === 0 && restK.length === 1) return "deletion";
  if (restT.length === 1 && restK.length === 1) return "substitution";
  if (restT.length === 2 && restK.length === 2 && restT[0] === restK[1] && restT[1] === restK[0])
    return "swap";
  return undefined;
}

// A real word we have simply never seen ("plan", "rent", "mental") is often one edit from one we know ("play",
// "tent", "rental"). Typos seldom change the first letter, and in short words they are mostly a dropped or swapped
// letter, so only those edits are repaired there.
function plausibleTypo(typed: string, known: string): boolean {
  if (typed[0] !== known[0]) return false;
  const edit = singleEdit(typed, known);
  if (edit === undefined) return false;
  return typed.length >= 5 || edit === "deletion" || edit === "swap";
}

/**
 * Builds a speller over a vocabulary with each word's frequency; among several candidates the most frequent wins,
 * then the alphabetically first, so corrections are deterministic.
 */
export function createSpeller(frequencies: ReadonlyMap<string, number>): Speller {
  const byDeletion = new Map<string, string[]>();
  for (const word of frequencies.keys()) {
    if (word.length < minLength - 1) continue;
    for (const key of [word, ...deletions(word)]) {
      const list = byDeletion.get(key);
      if (list === undefined) byDeletion.set(key, [word]);
      else list.push(word);
    }
  }

  function correct(word: string): string {
    if (word.length < minLength || frequencies.has(word)) return word;
    let best: string | undefined;
    let bestCount = 0;
    for (const key of [word, ...deletions(word)]) {
      for (const candidate of byDeletion.get(key) ?? []) {
        if (!plausibleTypo(word, candidate)) continue;
        const count = frequencies.get(candidate) ?? 0;
        if (best === undefined || count > bestCount || (count === bestCount && candidate < best)) {
          best = candidate;
          bestCount = count;
        }
      }
    }
    return best ?? word;
  }

  return { correct };
}
