/**
 * The plugin's PHP and the Worker must agree on identity tokens: a token minted by
 * Support_Agent_Token (run with php-cli) verifies in worker/identity.ts, and a tampered one does not. Also lints
 * every PHP file with `php -l`. Skips, saying so, only when php is not installed (.ci/run installs it).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { verifyIdentityToken } from "../../worker/identity.ts";

const pluginDir = fileURLToPath(new URL("../support-agent/", import.meta.url));
const tokenClass = `${pluginDir}includes/class-support-agent-token.php`;
const hasPhp = spawnSync("php", ["--version"]).status === 0;
if (!hasPhp)
  console.warn(
    "php is not installed: skipping the PHP lint and token interop tests (apt-get install -y php-cli)",
  );

const SECRET = "k3V9q-shared-secret-between-wordpress-and-agent";
const config = { secret: SECRET, issuer: "https://shop.example", audience: "https://agent.example" };

function php(code: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync("php", ["-d", "display_errors=stderr", "-r", code, "--", ...args], {
    encoding: "utf8",
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const MINT = `define('ABSPATH', '/'); require $argv[1];
[$iss, $aud, $sub, $email, $name, $secret] = array_slice($argv, 2);
echo Support_Agent_Token::mint(Support_Agent_Token::claims($iss, $aud, $sub, $email, $name, time()), $secret);`;

function mint(overrides: Partial<Record<"iss" | "aud" | "secret" | "name", string>> = {}): string {
  const run = php(MINT, [
    tokenClass,
    overrides.iss ?? config.issuer,
    overrides.aud ?? config.audience,
    "42",
    "ana.kovac@example.com",
    overrides.name ?? "Ana Kovač",
    overrides.secret ?? SECRET,
  ]);
  if (run.status !== 0) throw new Error(`php failed: ${run.stderr}`);
  return run.stdout.trim();
}

const decode = (part: string): unknown => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

describe.skipIf(!hasPhp)("WordPress plugin PHP", () => {
  it("lints every PHP file with php -l", () => {
    const files = readdirSync(pluginDir, { recursive: true, encoding: "utf8" }).filter((f) =>
      f.endsWith(".php"),
    );
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const lint = spawnSync("php", ["-l", `${pluginDir}${file}`], { encoding: "utf8" });
      expect(lint.status, `${file}: ${lint.stdout}${lint.stderr}`).toBe(0);
    }
  });

  it("mints a token the Worker accepts, with the identity intact", async () => {
    const token = mint();
    const result = await verifyIdentityToken(token, config);
    expect(result).toEqual({
      ok: true,
      value: { sub: "42", email: "ana.kovac@example.com", name: "Ana Kovač" },
    });
    const [header, payload] = token.split(".");
    expect(decode(header ?? "")).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = decode(payload ?? "");
    expect(claims).toMatchObject({ iss: config.issuer, aud: config.audience });
    if (typeof claims !== "object" || claims === null || !("exp" in claims) || !("iat" in claims))
      throw new Error("no exp/iat");
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(600);
  });

  it("leaves out an empty display name", async () => {
    const result = await verifyIdentityToken(mint({ name: "" }), config);
    expect(result).toEqual({ ok: true, value: { sub: "42", email: "ana.kovac@example.com" } });
  });

  it("produces tokens the Worker rejects once tampered with", async () => {
    const [h, p, s] = mint().split(".");
    const claims = decode(p ?? "");
    const changed =
      typeof claims === "object" && claims !== null ? { ...claims, email: "someone@example.com" } : {};
    const other = Buffer.from(JSON.stringify(changed)).toString("base64url");
    const flipped = `${s?.slice(0, -2)}${s?.endsWith("AA") ? "BB" : "AA"}`;
    for (const tampered of [`${h}.${other}.${s}`, `${h}.${p}.${flipped}`, `${h}.${p}.`]) {
      expect(await verifyIdentityToken(tampered, config)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/bad_signature|malformed/),
      });
    }
  });

  it("is rejected for another secret, issuer or audience", async () => {
    for (const overrides of [
      { secret: "a-different-secret-that-is-long-enough-0123" },
      { iss: "https://other-shop.example" },
      { aud: "https://other-agent.example" },
    ]) {
      expect(await verifyIdentityToken(mint(overrides), config)).toMatchObject({ ok: false });
    }
  });

  it("runs the plugin against WordPress stand-ins: settings, enqueue, shortcode, REST token", async () => {
    const run = spawnSync(
      "php",
      ["-d", "display_errors=stderr", fileURLToPath(new URL("./smoke.php", import.meta.url))],
      {
        encoding: "utf8",
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.clean).toMatchObject({
      agent_url: "https://agent.example",
      position: "left",
      language: "de",
      page_ids: [7, 9],
    });
    expect(out.clean.title).not.toMatch(/[<>]/);
    expect(out.stable).toBe(true);
    expect(out.bad_errors).toEqual(["agent_url", "secret"]);
    expect(out.secret_printed).toBe(false);
    expect(out.script).toEqual(["https://agent.example/widget.js", { strategy: "async", in_footer: true }]);
    expect(out.inline_script).not.toContain("</script>");
    expect(out.inline_html).toContain("data-support-agent-inline");
    expect(out.inline_html).toContain("display:block;height:1000px");
    // A javascript: URL is an error and the saved URL stays; so for a bad webhook secret and email.
    expect(out.script_url_errors).toEqual(["agent_url", "webhook_secret", "notify_email"]);
    expect(out.script_url.agent_url).toBe("https://agent.example");
    // Without a secret, "Recognise logged-in users" stays off (and its box disabled) and says why.
    expect(out.no_secret.identify_users).toBe(false);
    expect(out.no_secret_errors).toEqual(["identify_users"]);
    expect(out.unsaved_html).toMatch(/name="support_agent_options\[identify_users\]" value="1"\s+disabled/);
    // A random suggestion only until a secret is saved.
    expect(out.unsaved_html).toContain("A fresh random one");
    expect(out.saved_html).not.toContain("A fresh random one");
    expect(out.saved_html).toContain("A secret is saved");
    expect(out.saved_html).toMatch(
      /name="support_agent_options\[identify_users\]" value="1" checked="checked"\s+\/>/,
    );
    // WordPress before 6.3: no strategy argument, async added to the tag instead.
    expect(out.old_wp_script).toEqual(["https://agent.example/widget.js", true]);
    expect(out.old_wp_tag).toMatch(/^<script async src=/);
    const site = {
      secret: "s".repeat(40),
      issuer: "https://shop.example",
      audience: "https://agent.example",
    };
    expect(await verifyIdentityToken(out.rest.token, site)).toEqual({
      ok: true,
      value: { sub: "42", email: "ana.kovac@example.com", name: "Ana Kovač" },
    });
    const config = /window\.SupportAgentConfig = (.*);$/.exec(out.inline_script)?.[1] ?? "{}";
    expect((await verifyIdentityToken(JSON.parse(config).identityToken, site)).ok).toBe(true);
  });

  it("refuses to sign with a short secret or a long lifetime", () => {
    const short = php(
      `define('ABSPATH', '/'); require $argv[1]; echo Support_Agent_Token::mint(['iat' => 1, 'exp' => 2], 'short');`,
      [tokenClass],
    );
    expect(short.status).not.toBe(0);
    expect(short.stderr).toContain("too short");
    const long = php(
      `define('ABSPATH', '/'); require $argv[1]; echo Support_Agent_Token::mint(['iat' => 0, 'exp' => 601], str_repeat('x', 40));`,
      [tokenClass],
    );
    expect(long.status).not.toBe(0);
  });
});
