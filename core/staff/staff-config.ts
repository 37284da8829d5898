/**
 * Settings of the human side: Cloudflare Access for the console, the Slack app, support hours, how long a
 * handoff waits for a person, and the agent's public origin for links. Parsed once per isolate (settings do not
 * change while an isolate lives); everything is optional, so a fresh clone runs the console with staff
 * accounts, no Access and no Slack.
 */
import { z } from "zod";
import { parseSchedule, type SupportSchedule } from "../support-hours.ts";

const optionalText = z
  .string()
  .optional()
  .transform((s) => (s?.trim() ? s.trim() : null));

const staffSettingsSchema = z.object({
  ACCESS_TEAM_DOMAIN: optionalText.pipe(z.url().nullable()),
  ACCESS_AUD: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_CHANNEL_ID: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url().nullable()),
  SUPPORT_SCHEDULE: z.string().optional(),
  HANDOFF_WAIT_MINUTES: z
    .string()
    .optional()
    .transform((s) => (s?.trim() ? Number(s) : 5))
    .pipe(
      z
        .number()
        .min(0.01)
        .max(24 * 60),
    ),
  PUBLIC_URL: optionalText.pipe(z.url().nullable()),
});

export interface StaffSettings {
  /** Cloudflare Access in front of the console: the team domain's certs sign `Cf-Access-Jwt-Assertion`. */
  access: { teamDomain: string; audience: string } | null;
  slack: { botToken: string; signingSecret: string; channel: string; apiUrl: string } | null;
  schedule: SupportSchedule;
  /** A handoff nobody takes within this long gets the visitor an email follow-up and a ticket. */
  handoffWaitMs: number;
  /** The agent's own origin (links in Slack); null: taken from the request where there is one. */
  publicUrl: string | null;
}

const cache = new WeakMap<object, StaffSettings>();

export function staffSettings(env: object): StaffSettings {
  const cached = cache.get(env);
  if (cached) return cached;
  const raw: Record<string, string> = {};
  for (const key of Object.keys(staffSettingsSchema.shape)) {
    const value: unknown = Reflect.get(env, key);
    if (typeof value === "string") raw[key] = value;
  }
  const s = staffSettingsSchema.parse(raw);
  const settings: StaffSettings = {
    access:
      s.ACCESS_TEAM_DOMAIN && s.ACCESS_AUD
        ? { teamDomain: s.ACCESS_TEAM_DOMAIN.replace(/\/+$/, ""), audience: s.ACCESS_AUD }
        : null,
    slack:
      s.SLACK_BOT_TOKEN && s.SLACK_SIGNING_SECRET && s.SLACK_CHANNEL_ID
        ? {
            botToken: s.SLACK_BOT_TOKEN,
            signingSecret: s.SLACK_SIGNING_SECRET,
            channel: s.SLACK_CHANNEL_ID,
            apiUrl: s.SLACK_API_URL ?? "https://slack.com/api/",
          }
        : null,
    schedule: parseSchedule(s.SUPPORT_SCHEDULE),
    handoffWaitMs: Math.round(s.HANDOFF_WAIT_MINUTES * 60_000),
    publicUrl: s.PUBLIC_URL?.replace(/\/+$/, "") ?? null,
  };
  cache.set(env, settings);
  return settings;
}
