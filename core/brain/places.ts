/**
 * Place names shop visitors use, for the offline brain: the extractive answerer reads "UK" as the United
 * Kingdom and a country as its shipping region, and the router counts a place as a word of the shop's
 * vocabulary (shipping destinations), not as a sign that a message is out of scope. Pure data.
 */
// Country names as visitors and help pages write them, and the regions shop price lists use for them.
export const PLACE_ALIASES: [RegExp, string][] = [
  [/\b(?:united kingdom|great britain|britain|england|scotland|wales|northern ireland)\b/gi, "uk"],
  [/\b(?:united states|america)\b|\bU\.?S\.?A?\b/g, "usa"],
];
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
]);
