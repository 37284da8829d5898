/**
 * The single SQL statement behind db/kb-search.ts. Lexical ranking is BM25F over the chunk's tsvector: title (A),
 * section path (B) and passage (C) positions count 3 : 1.5 : 1 as term frequency, IDF comes from kb_terms, and
 * length is normalised by token_count against kb_stats' mean; query words that stand together in a passage earn a
 * bonus, and synonyms from query expansion count half. Candidates are the chunks matching the query's rarer lexemes
 * (GIN index), within a budget that keeps the work bounded at any corpus size. Vector candidates come from the HNSW index ordered by `<=>` with a LIMIT. Both lists are
 * fused in the same statement by their normalised scores (LEXICAL_SHARE below).
 */
import { type SQL, sql } from "drizzle-orm";
import type { Language } from "../core/contracts/language.ts";
import type { Channel } from "../core/contracts/thread.ts";

/** BM25 parameters (Robertson's defaults) and field weights. */
const K1 = 1.2;
const B = 0.75;
const WEIGHT_TITLE = 3;
const WEIGHT_SECTION = 1.5;
const WEIGHT_BODY = 1;
/**
 * Two query words that also stand next to each other in the passage (at most this many positions apart, so a
 * dropped stop word still counts) earn their mean IDF once more: "cancel subscription" as a phrase says more
 * than the two words scattered over a page.
 */
const MAX_PAIR_GAP = 3;
/**
 * BM25F has to unnest a candidate's whole tsvector (about 0.05-0.09 ms a chunk in WASM), too slow for thousands
 * of candidates. A first pass ranks the candidates by ts_rank against the candidate-generating lexemes (weights
 * D, C, B, A as 0.1 : 1 : 1.5 : 3, like the fields above) and only the best PRELIM_LIMIT get the exact score.
 */
const PRELIM_LIMIT = 60;
const PRELIM_WEIGHTS = "'{0.033, 0.333, 0.5, 1.0}'";
/** A synonym from query expansion counts this much of the visitor's own word. */
const EXPANSION_WEIGHT = 0.5;
/**
 * Fusion: each list's scores are divided by that list's best (BM25 by the top BM25, cosine similarity by the top
 * similarity), and the fused score is LEXICAL_SHARE of the lexical part plus the rest of the vector part; a
 * passage missing from a list gets 0 there. Tuned on the retrieval eval's dev half with the local sentence model
 * (USE Lite, 512-d): reciprocal rank fusion (k = 60) fell below lexical alone (recall@3 0.815 vs 0.836) because it
 * weighs a weak vector rank like a strong lexical one; scores keep how far apart the candidates are. 0.8 beat
 * lexical in recall@3 and MRR on every subset, and was the best share on either half of the set.
 */
const LEXICAL_SHARE = 0.8;
/**
 * Candidate budget: in an index of more than this many chunks, query lexemes generate candidates from the rarest
 * up (the visitor's own words before synonyms from expansion) until their chunk counts add up to this many; the
 * rest (the common words of a big corpus) only add to the score. A chunk that matches nothing but common words
 * seldom outranks chunks that match the rare ones, and skipping them bounds the work at any corpus size. In a
 * smaller index every query lexeme generates candidates.
 */
const CANDIDATE_BUDGET = 1000;

export interface SearchStatementInput {
  /** Query text for full-text ranking, or null for vector-only. */
  lexicalText: string | null;
  /** Synonyms of the query's words (core/retrieval/query-expansion.ts), ranked at EXPANSION_WEIGHT. */
  expansionText: string;
  /** Query embedding, or null for lexical-only. */
  vector: number[] | null;
  channel: Channel;
  /** The visitor's language: per article, its version in this language, else the original (inLanguageView). */
  language: Language;
  candidates: number;
  perDocument: number;
  limit: number;
}

/** Postgres' full-text configuration of each language, as db/schema.ts indexes chunks with. */
const TEXT_SEARCH_CONFIG: Record<Language, string> = {
  en: "english",
  es: "spanish",
  de: "german",
  fr: "french",
};

/**
 * The query's lexemes: always read as English (names, numbers, English words the visitor or a gloss used),
 * and for another language also with that language's stemmer and stop words, to meet its translations.
 */
function queryVector(text: string, language: Language): SQL {
  const english = sql`to_tsvector('english', ${text})`;
  if (language === "en") return english;
  return sql`(${english} || to_tsvector(${raw(`'${TEXT_SEARCH_CONFIG[language]}'`)}, ${text}))`;
}

/**
 * Which chunks compete for a visitor in `language`: every original, and the translations into that language
 * (never a third language's). An article is ranked by whichever of its versions matches the query better (an
 * English gloss meets the original, the visitor's own words the translation); `shownInLanguage` then shows it.
 */
function inLanguageView(language: Language): SQL {
  return sql`(c.translation_of is null or c.language = ${language})`;
}

/**
 * For a chunk of an article that was found in another version: the chunk of the article's reviewed translation
 * into `language` that best matches the query (its first chunk without a lexical query). None when the chunk is
 * in that language already or the article has no such translation.
 */
function shownInLanguage(language: Language, channel: Channel, hasLexical: boolean): SQL {
  const best = hasLexical ? sql`ts_rank(t.tsv, (select q from tsq)) desc,` : sql``;
  return sql`left join lateral (
      select t.id, t.doc_id, t.title, t.section_path, t.url, t.body from kb_chunks t
      where c.language <> ${language} and t.translation_of = coalesce(c.translation_of, c.doc_id)
        and t.language = ${language} and t.reviewed and ${channel} = any(t.allowed_channels)
      order by ${best} t.ordinal, t.id
      limit 1
    ) shown on true`;
}

/**
 * Placeholders from PII masking ("[EMAIL]") would otherwise match help pages about e-mail; backslashes would
 * break the tsquery literal syntax.
 */
export function lexicalQueryText(masked: string): string {
  return masked.replace(/\[[A-Z_]+\]/g, " ").replace(/\\/g, " ");
}

/** Constants go into the text as literals: an untyped parameter next to an integer column would be read as one. */
function raw(value: number | string): SQL {
  return sql.raw(String(value));
}

export function searchStatement(input: SearchStatementInput): SQL {
  const { channel, candidates, language } = input;
  const view = inLanguageView(language);
  const ctes: SQL[] = [];
  if (input.lexicalText !== null) {
    ctes.push(sql`
      stats as (
        select coalesce((select chunk_count from kb_stats where id = 'kb'), 0)::float8 as n,
               greatest(coalesce((select avg_tokens from kb_stats where id = 'kb'), 1), 1)::float8 as avgdl
      ),
      terms as (
        select k.lexeme, k.chunk_count as df, q.boost, quote_literal(k.lexeme)::tsquery as tq,
               q.boost * ln(1 + (s.n - k.chunk_count + 0.5) / (k.chunk_count + 0.5)) as idf
        from (
          select lexeme, max(boost) as boost from (
            select unnest(tsvector_to_array(${queryVector(input.lexicalText, language)})) as lexeme, 1.0 as boost
            union all
            select unnest(tsvector_to_array(to_tsvector('english', ${input.expansionText}))), ${raw(EXPANSION_WEIGHT)}
          ) both_texts group by lexeme
        ) q
        join kb_terms k on k.lexeme = q.lexeme
        cross join stats s
      ),
      generators as (
        select lexeme from (
          select lexeme, df, sum(df) over (order by boost desc, df, lexeme) as running from terms
        ) ordered, stats s
        where s.n <= ${raw(CANDIDATE_BUDGET)} or running <= ${raw(CANDIDATE_BUDGET)} or running = df
      ),
      qpos as (
        select u.lexeme, p.pos
        from unnest(${queryVector(input.lexicalText, language)}) as u(lexeme, positions, weights)
        cross join lateral unnest(u.positions) as p(pos)
      ),
      qseq as (
        select lexeme, lead(lexeme) over (order by pos) as next, lead(pos) over (order by pos) - pos as gap
        from qpos
      ),
      pairs as materialized (
        select format('%s <%s> %s', quote_literal(s.lexeme), s.gap, quote_literal(s.next))::tsquery as q,
               (a.idf + b.idf) / 2 as w
        from qseq s join terms a on a.lexeme = s.lexeme join terms b on b.lexeme = s.next
        where s.next is not null and s.next <> s.lexeme and s.gap between 1 and ${raw(MAX_PAIR_GAP)}
      ),
      tsq as (
        select string_agg(quote_literal(lexeme), ' | ')::tsquery as q from generators
      ),
      prelim as materialized (
        select top.id, top.token_count, top.tsv || ''::tsvector as tsv
        from (
          select c.id, c.token_count, c.tsv
          from kb_chunks c cross join tsq
          where tsq.q is not null and c.tsv @@ tsq.q and c.reviewed and ${channel} = any(c.allowed_channels)
            and ${view}
          order by ts_rank(${raw(PRELIM_WEIGHTS)}, c.tsv, tsq.q) desc, c.id
          limit ${raw(PRELIM_LIMIT)}
        ) top
      ),
      lex_scored as (
        select c.id,
          sum(t.idf * f.tf * ${raw(K1 + 1)} / (f.tf + ${raw(K1)} * (1 - ${raw(B)} + ${raw(B)} * c.token_count / s.avgdl)))
          + coalesce(max(pb.bonus), 0) as score
        from prelim c
        cross join stats s
        cross join lateral (select sum(p.w) as bonus from pairs p where c.tsv @@ p.q) pb
        cross join lateral unnest(c.tsv) as u(lexeme, positions, weights)
        join terms t on t.lexeme = u.lexeme and u.lexeme = any(array(select lexeme from terms))
        cross join lateral (select
            ${raw(WEIGHT_TITLE)} * coalesce(cardinality(array_positions(u.weights, 'A')), 0)
          + ${raw(WEIGHT_SECTION)} * coalesce(cardinality(array_positions(u.weights, 'B')), 0)
          + ${raw(WEIGHT_BODY)} * coalesce(cardinality(array_positions(u.weights, 'C')), 0) as tf) f
        group by c.id, c.token_count, s.avgdl
      ),
      lex as (
        select id, score, row_number() over (order by score desc, id) as r
        from lex_scored order by score desc, id limit ${candidates}
      )`);
  }
  if (input.vector !== null) {
    const literal = `[${input.vector.join(",")}]`;
    ctes.push(sql`
      vec_near as (
        select c.id, c.embedding <=> ${literal}::vector as distance
        from kb_chunks c
        where c.embedding is not null and c.reviewed and ${channel} = any(c.allowed_channels) and ${view}
        order by c.embedding <=> ${literal}::vector
        limit ${candidates}
      ),
      vec as (select id, distance, row_number() over (order by distance, id) as r from vec_near)`);
  }
  const hasLex = input.lexicalText !== null;
  const hasVec = input.vector !== null;
  // Each list's share, relative to its best candidate (greatest(..., 1e-9): a list of zero scores stays finite).
  const lexPart = sql`l.score / greatest((select max(score) from lex), 1e-9)`;
  const vecPart = sql`(1 - v.distance) / greatest((select max(1 - distance) from vec), 1e-9)`;
  const fusedSource =
    hasLex && hasVec
      ? sql`select coalesce(l.id, v.id) as id, l.score as lexical_score, l.r as lexical_rank,
               v.distance, v.r as vector_rank,
               ${raw(LEXICAL_SHARE)} * coalesce(${lexPart}, 0) + ${raw(1 - LEXICAL_SHARE)} * coalesce(${vecPart}, 0) as fused
             from lex l full outer join vec v on v.id = l.id`
      : hasLex
        ? sql`select l.id, l.score as lexical_score, l.r as lexical_rank, null::float8 as distance,
                 null::bigint as vector_rank, ${lexPart} as fused from lex l`
        : sql`select v.id, null::float8 as lexical_score, null::bigint as lexical_rank, v.distance,
                 v.r as vector_rank, ${vecPart} as fused from vec v`;
  return sql`
    with ${sql.join(ctes, sql`,`)},
    fused as (${fusedSource}),
    capped as (
      select f.*, coalesce(c.translation_of, c.doc_id) as article,
             row_number() over (partition by coalesce(c.translation_of, c.doc_id) order by f.fused desc, f.id) as nth
      from fused f join kb_chunks c on c.id = f.id
    )
    select coalesce(shown.id, p.id) as id, p.article as doc_id,
           case when shown.id is null then c.language else ${language} end as language,
           coalesce(shown.title, c.title) as title,
           coalesce(nullif(coalesce(shown.section_path, c.section_path), ''), d.section, '') as section_path,
           coalesce(shown.url, c.url) as url, coalesce(shown.body, c.body) as body,
           c.title as matched_title, c.section_path as matched_section, c.body as matched_body,
           p.lexical_score, p.lexical_rank, p.distance, p.vector_rank, p.fused
    from capped p join kb_chunks c on c.id = p.id
    ${shownInLanguage(language, channel, hasLex)}
    join kb_docs d on d.id = coalesce(shown.doc_id, c.doc_id)
    where p.nth <= ${input.perDocument}
    order by p.fused desc, p.id
    limit ${input.limit}`;
}
