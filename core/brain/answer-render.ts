/**
 * How the extractive answerer (extractive-answer.ts) writes the units it chose: in reading order, a run of one
 * list's items under its lead once, within the word budget, with the citation marker. Pure.
 */
import type { Unit } from "./answer-units.ts";

/** About the length of a short chat reply; a list may run to a quarter more. */
export const WORD_BUDGET = 80;

/** Drops the lowest units from the end until the reply fits the budget; the best unit always stays. */
export function fitBudget(units: Unit[], keep: Unit, short: boolean): Unit[] {
  const out = [...units];
  while (out.length > 1 && words(render(out, short)) > WORD_BUDGET * 1.25) {
    const drop = out.findLastIndex((u) => u !== keep);
    if (drop < 0) break;
    out.splice(drop, 1);
  }
  return out;
}

export function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Units in reading order; a run of items of one list is shown under its lead, once. */
export function render(units: readonly Unit[], short: boolean): string {
  const out: string[] = [];
  let group = -1;
  for (const u of units) {
    if (u.kind === "sentence") {
      out.push(group === -1 ? u.text : `\n\n${u.text}`);
      group = -1;
      continue;
    }
    const body = short && u.kind === "item" ? u.short : u.text;
    if (u.group !== group) {
      group = u.group;
      const siblings = units.filter((v) => v.group === u.group).length;
      if (siblings === 1) {
        const alone = u.lead
          ? `${u.lead.replace(/:$/, "")}: ${u.kind === "row" ? body : lowerFirst(body)}`
          : body;
        // After a list, a unit of another list or table starts a paragraph of its own.
        out.push(out.at(-1)?.startsWith("\n- ") ? `\n\n${alone}` : alone);
        continue;
      }
      out.push(u.lead ? `\n${u.lead.endsWith(":") ? u.lead : `${u.lead}:`}` : "\n");
    }
    out.push(`\n- ${body}`);
  }
  return out
    .join(" ")
    .replace(/ +\n/g, "\n")
    .replace(/\n +/g, "\n")
    .replace(/^\n+/, "")
    .replace(/\n\n+(?=- )/g, "\n")
    .trim();
}

/** Puts the citation marker before the closing full stop, or after a list. */
export function cite(text: string, ref: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  const lastLine = trimmed.slice(trimmed.lastIndexOf("\n") + 1);
  if (lastLine.startsWith("- ")) return `${trimmed} [${ref}]`;
  return `${trimmed.replace(/[.!?]*$/, "")} [${ref}].`;
}

function lowerFirst(text: string): string {
  // "Gas canisters and ..." reads on after a colon in lower case; a name ("PayPal", "Germany", "UK") keeps its capitals.
  const [first, second] = text.split(" ");
  const ordinary =
    /^[A-Z][a-z]+$/.test(first ?? "") && /^[a-z]/.test(second ?? "") && !PROPER.test(first ?? "");
  return ordinary ? text[0]?.toLowerCase() + text.slice(1) : text;
}

const PROPER = /^(?:Germany|Austria|Switzerland|Norway|Fernhill|Klarna|Visa|Clearbrook|I)$/;
