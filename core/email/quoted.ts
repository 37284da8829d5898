/**
 * Removes what a reply repeats or appends: the quoted earlier messages (">" lines and everything after an
 * "On … wrote:" or "-----Original Message-----" line), and the signature after "-- " or a "Sent from my …"
 * line. The Brain then sees only what the visitor wrote this time.
 */
const HISTORY_STARTS = [
  /^On .{0,200}wrote:\s*$/i,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^Am .{0,200}schrieb .{0,200}:\s*$/i,
  /^Le .{0,200}a écrit\s*:\s*$/i,
  /^El .{0,200}escribió:\s*$/i,
];
const SIGNATURE_STARTS = [/^-- ?$/, /^Sent from my .{1,40}$/i, /^Get Outlook for .{1,40}$/i];

export function stripQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (HISTORY_STARTS.some((re) => re.test(trimmed))) break;
    // Outlook's forwarded header block; only below some text, since a message may start with "From: ".
    if (/^From: .+$/i.test(trimmed) && kept.some((l) => l.trim() !== "")) break;
    if (SIGNATURE_STARTS.some((re) => re.test(line.trimEnd()))) break;
    if (trimmed.startsWith(">")) continue;
    kept.push(line);
  }
  return kept.join("\n").trim();
}
