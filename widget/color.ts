/**
 * The site owner's accent colour (data-color), made safe for WCAG AA: text on the accent is white or black,
 * whichever contrasts more (one of them always reaches 4.5:1), and links on the white panel fall back to a dark
 * blue when the accent is too light to read as text. Used by the widget's styles; tested in Node.
 */

export const DEFAULT_ACCENT = "#1f4e8c";
// Pure black, not a softer near-black: only black guarantees 4.5:1 for every mid-tone accent.
const DARK_TEXT = "#000000";
const LIGHT_TEXT = "#ffffff";
const DEFAULT_LINK = "#1d4ed8";
/** The reply bubble's background, the lightest surface links sit on besides white. */
const BUBBLE = "#f1f3f5";

export interface Palette {
  accent: string;
  onAccent: string;
  link: string;
}

function parseHex(input: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(input.trim());
  if (!m?.[1]) return null;
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join("") : m[1];
  const channel = (i: number) => Number.parseInt(hex.slice(i, i + 2), 16);
  return [channel(0), channel(2), channel(4)];
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a: string, b: string): number {
  const x = parseHex(a);
  const y = parseHex(b);
  if (!x || !y) return 1;
  const [lx, ly] = [luminance(x), luminance(y)];
  return (Math.max(lx, ly) + 0.05) / (Math.min(lx, ly) + 0.05);
}

/** @example palette("#ffd400") // { accent: "#ffd400", onAccent: "#000000", link: "#1d4ed8" } */
export function palette(input: string | null | undefined): Palette {
  const rgb = parseHex(input ?? "");
  const accent = rgb ? `#${rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}` : DEFAULT_ACCENT;
  const onAccent =
    contrastRatio(accent, LIGHT_TEXT) >= contrastRatio(accent, DARK_TEXT) ? LIGHT_TEXT : DARK_TEXT;
  const link = contrastRatio(accent, BUBBLE) >= 4.5 ? accent : DEFAULT_LINK;
  return { accent, onAccent, link };
}
