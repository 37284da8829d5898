/**
 * Place names shop visitors use, for the offline brain: the extractive answerer reads "UK" as the United
 * Kingdom and a country as its shipping region, and the router counts a place as a word of the shop's
 * vocabulary (shipping destinations), not as a sign that a message is out of scope. Pure data.
 */
import { foldAccents } from "./fold-accents.ts";

// Country names as visitors and help pages write them, and the regions shop price lists use for them.
export const PLACE_ALIASES: [RegExp, string][] = [
  [/\b(?:united kingdom|great britain|britain|england|scotland|wales|northern ireland)\b/gi, "uk"],
  [/\b(?:united states|america)\b|\bU\.?S\.?A?\b/g, "usa"],
];

/**
 * The same places in Spanish, German and French (help-centre translations and visitors' questions), each as the
 * English word above: "Resto de la UE" is the EU row, "Australien" a rest-of-the-world country.
 */
const TRANSLATED_PLACES: Record<string, string> = {
  uk: "reino unido|gran bretaña|inglaterra|vereinigte[sn]? königreich|großbritannien|royaume-uni|grande-bretagne|angleterre",
  usa: "estados unidos|ee\\. ?uu\\.|eeuu|vereinigten? staaten|états-unis",
  eu: "ue|unión europea|europäische union|union européenne",
  world: "mundo|welt|monde",
  germany: "alemania|deutschland|allemagne",
  austria: "österreich|autriche",
  switzerland: "suiza|schweiz|suisse",
  norway: "noruega|norwegen|norvège",
  canada: "canadá|kanada",
  spain: "españa|spanien|espagne",
  france: "francia|frankreich",
  belgium: "bélgica|belgien|belgique",
  netherlands: "países bajos|holanda|niederlande|pays-bas",
  italy: "italia|italien|italie",
  sweden: "suecia|schweden|suède",
  denmark: "dinamarca|dänemark|danemark",
  finland: "finlandia|finnland|finlande",
  ireland: "irlanda|irland|irlande",
  poland: "polonia|polen|pologne",
  australia: "australien|australie",
  japan: "japón|japon",
};
// \b knows ASCII letters only: "Österreich" and "España" need letter lookarounds.
for (const [english, names] of Object.entries(TRANSLATED_PLACES))
  PLACE_ALIASES.push([new RegExp(`(?<!\\p{L})(?:${names})(?!\\p{L})`, "giu"), english]);
export const EU_COUNTRIES =
  "belgium bulgaria croatia cyprus czechia czech denmark estonia finland france greece hungary ireland italy latvia lithuania luxembourg malta netherlands holland poland portugal romania slovakia slovenia spain sweden";
export const OTHER_COUNTRIES =
  "australia|new zealand|japan|china|india|brazil|mexico|argentina|chile|south africa|singapore|korea|israel|turkey|iceland|serbia|ukraine";

/** Every place above as the single lowercase words the router's normaliser makes of them. */
export const placeWords: ReadonlySet<string> = new Set([
  ...EU_COUNTRIES.split(" "),
  ...OTHER_COUNTRIES.split("|").flatMap((c) => c.split(" ")),
  ..."germany austria switzerland norway uk usa canada europe eu united kingdom states britain england scotland wales ireland zurich berlin munich vienna london paris".split(
    " ",
  ),
  // Folded as the normaliser folds them ("Österreich" -> "osterreich").
  ...Object.values(TRANSLATED_PLACES).flatMap((names) =>
    foldAccents(names)
      .split(/[|\s-]+/)
      .filter((w) => /^[a-z]+$/.test(w)),
  ),
]);
