/**
 * Deterministic synthetic knowledge base for bench/kb.ts: documents of ten chunks whose words follow a Zipf
 * distribution (as natural text does, so a few words occur in most chunks and most words in few), with each
 * document leaning on its own handful of topic words, so queries built from those words have right answers to
 * find. Seeded, so every run measures the same data.
 */

export interface SyntheticChunk {
  id: string;
  docId: string;
  ordinal: number;
  title: string;
  section: string;
  body: string;
  tokens: number;
}

const SUPPORT_WORDS = (
  "order refund return delivery shipping account password invoice payment card address parcel tracking " +
  "exchange warranty repair size boots jacket tent stove filter discount voucher newsletter cancel change " +
  "customer support contact hours email phone damaged missing late courier label receipt"
).split(" ");

const SYLLABLES =
  "ka lo mi ne ru sa te vi zo ba de fi gu ho ja ke li mo nu pa qui ro su ta ve wa xe yo zu".split(" ");

/** mulberry32: small, fast and good enough for test data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vocabulary(size: number, rand: () => number): string[] {
  const words = new Set<string>(SUPPORT_WORDS);
  while (words.size < size) {
    const parts = 2 + Math.floor(rand() * 3);
    let word = "";
    for (let i = 0; i < parts; i++) word += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

export function syntheticCorpus(chunkCount: number, seed: number) {
  const rand = random(seed);
  const words = vocabulary(30_000, rand);
  // Zipf with s = 1.07 over ranks; cumulative weights for binary search.
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= words.length; rank++) {
    total += 1 / rank ** 1.07;
    cumulative.push(total);
  }
  const zipfWord = () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo] ?? "";
  };
  const midWord = () => words[100 + Math.floor(rand() * 8000)] ?? "";
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;

  const chunks: SyntheticChunk[] = [];
  const topics = new Map<string, string[]>();
  for (let doc = 0; chunks.length < chunkCount; doc++) {
    const docId = `bench-${doc}`;
    const topic = Array.from({ length: 8 }, midWord);
    topics.set(docId, topic);
    const title = [pick(SUPPORT_WORDS), ...topic.slice(0, 3)].join(" ");
    for (let ordinal = 0; ordinal < 10 && chunks.length < chunkCount; ordinal++) {
      const length = 150 + Math.floor(rand() * 250);
      const body: string[] = [];
      for (let i = 0; i < length; i++) body.push(rand() < 0.12 ? pick(topic) : zipfWord());
      chunks.push({
        id: `${docId}#${ordinal}`,
        docId,
        ordinal,
        title,
        section: `${pick(topic)} ${zipfWord()}`,
        body: body.join(" "),
        tokens: Math.round(length * 1.3),
      });
    }
  }

  return {
    chunks,
    /** Questions about a random document: two of its topic words, a support word and a few common words. */
    queries(count: number): string[] {
      const docIds = [...topics.keys()];
      return Array.from({ length: count }, () => {
        const topic = topics.get(pick(docIds)) ?? [];
        return [pick(SUPPORT_WORDS), pick(topic), zipfWord(), pick(topic), zipfWord()].join(" ");
      });
    },
  };
}
