/**
 * A real WordPress on this machine for `npm run test:wordpress`: core from the release zip that
 * @wp-playground/wordpress-builds carries (Playground strips the static assets out of the zip and ships them
 * beside it, so both are laid down), the official SQLite database integration from the same package as the
 * database (wp-content/db.php drop-in), Debian's PHP serving it with `php -S` and ./router.php, and the
 * installer run by POSTing wp-admin/install.php as a person's browser would. The unzipped core is cached in
 * .data/wordpress-e2e/core-<version>/; each run copies it into a fresh site folder with a new database.
 * OPcache checks files on every request, so a rewritten wp-config.php counts at once. Outgoing mail goes through PHP's mail() to a sendmail_path that appends to mail.txt, so wp_mail() runs
 * for real and a test can read what it sent.
 */
import { type ChildProcess, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { onStop } from "../../scripts/lifecycle.ts";
import { spawnTethered, stopTethered } from "../../scripts/tethered.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const BUILDS = "@wp-playground/wordpress-builds";
/** The release the plugin is tested on; the package's wp-versions.json names its exact version. */
const BRANCH = "6.5";

export interface Site {
  url: string;
  dir: string;
  version: string;
  /** Whether the unzipped core came from the cache. */
  cached: boolean;
  /** Serves the site under another address (null: its own again); php reads wp-config.php on every request. */
  moveTo(address: string | null): void;
  /** Everything wp_mail() sent, as raw messages. */
  mail(): string;
  /** PHP's warnings and notices (WP_DEBUG_LOG). */
  debugLog(): string;
  stop(): Promise<void>;
}

export const ADMIN = {
  user: "shopadmin",
  password: "e2e-admin-password-9f3k2",
  email: "owner@shop.e2e.example",
};

function buildsDir(): string {
  return dirname(createRequire(import.meta.url).resolve(`${BUILDS}/package.json`));
}

/** The unzipped core with its assets and the SQLite integration, made once per version. */
function preparedCore(cacheDir: string): { dir: string; version: string; cached: boolean } {
  const builds = buildsDir();
  const versions = JSON.parse(readFileSync(join(builds, "src/wordpress/wp-versions.json"), "utf8")) as Record<
    string,
    string
  >;
  const version = versions[BRANCH] ?? BRANCH;
  const dir = join(cacheDir, `core-${version}`);
  if (existsSync(join(dir, ".complete"))) return { dir, version, cached: true };
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync("unzip", ["-q", join(builds, `src/wordpress/wp-${BRANCH}.zip`), "-d", partial]);
  // The static files (CSS, JS, images) Playground keeps out of the zip.
  cpSync(join(builds, `public/wp-${BRANCH}`), partial, { recursive: true });
  rmSync(join(partial, "wordpress-remote-asset-paths"), { force: true });
  // Playground's zip comes installed; this test installs WordPress itself, into an empty database.
  rmSync(join(partial, "wp-config.php"), { force: true });
  rmSync(join(partial, "wp-content/database"), { recursive: true, force: true });
  const plugins = join(partial, "wp-content/plugins");
  execFileSync("unzip", [
    "-q",
    join(builds, "src/sqlite-database-integration/sqlite-database-integration.zip"),
    "-d",
    plugins,
  ]);
  renameSync(join(plugins, "sqlite-database-integration-main"), join(plugins, "sqlite-database-integration"));
  // The drop-in as the plugin ships it: it finds its implementation in plugins/sqlite-database-integration.
  cpSync(join(plugins, "sqlite-database-integration/db.copy"), join(partial, "wp-content/db.php"));
  writeFileSync(join(partial, ".complete"), `${BUILDS} ${version}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return { dir, version, cached: false };
}

const SALT_KEYS = [
  "AUTH_KEY",
  "SECURE_AUTH_KEY",
  "LOGGED_IN_KEY",
  "NONCE_KEY",
  "AUTH_SALT",
  "SECURE_AUTH_SALT",
  "LOGGED_IN_SALT",
  "NONCE_SALT",
];

/**
 * wp-config.php for this run. `address` moves the whole site to another URL the documented way (WP_HOME and
 * WP_SITEURL), as a shop does when it changes its domain.
 */
function wpConfig(siteDir: string, salts: string, address: string | null): string {
  const moved = address ? `define( 'WP_HOME', '${address}' );\ndefine( 'WP_SITEURL', '${address}' );\n` : "";
  return `<?php
// Written by wordpress/e2e/site.ts for one test run.
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', '' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8' );
define( 'DB_COLLATE', '' );
define( 'DB_DIR', __DIR__ . '/wp-content/database/' );
define( 'DB_FILE', '.ht.sqlite' );
${salts}
$table_prefix = 'wp_';
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_DEBUG_LOG', ${JSON.stringify(join(siteDir, "..", "debug.log"))} );
// No network here but loopback: no update checks, no cron requests to itself, no outside HTTP at all.
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_ACCESSIBLE_HOSTS', '127.0.0.1,localhost' );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'DISABLE_WP_CRON', true );
define( 'FS_METHOD', 'direct' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
${moved}require_once ABSPATH . 'wp-settings.php';
`;
}

export async function startSite(options: { port: number; log: (line: string) => void }): Promise<Site> {
  const work = join(root, ".data/wordpress-e2e");
  const core = preparedCore(work);
  const dir = join(work, "site");
  const mailFile = join(work, "mail.txt");
  const debugFile = join(work, "debug.log");
  rmSync(dir, { recursive: true, force: true });
  rmSync(mailFile, { force: true });
  rmSync(debugFile, { force: true });
  cpSync(core.dir, dir, { recursive: true });
  mkdirSync(join(dir, "wp-content/database"), { recursive: true });
  const salts = SALT_KEYS.map((k) => `define( '${k}', '${randomBytes(32).toString("base64url")}' );`).join(
    "\n",
  );
  const config = join(dir, "wp-config.php");
  writeFileSync(config, wpConfig(dir, salts, null));
  writeFileSync(mailFile, "");

  const url = `http://127.0.0.1:${options.port}`;
  const server = ["-S", `127.0.0.1:${options.port}`, "-t", dir, join(root, "wordpress/e2e/router.php")];
  // Through the tether (scripts/tether.ts): php -S with workers is a process group that must stop as a whole.
  const php = spawnTethered(
    "php",
    ["-d", `sendmail_path=sh -c 'cat >> ${mailFile}'`, "-d", "opcache.revalidate_freq=0", ...server],
    // Several workers: a page's scripts and styles load in parallel, and Test connection waits on the agent.
    { cwd: dir, stdout: "ignore", env: { ...process.env, PHP_CLI_SERVER_WORKERS: "4" } },
  );
  const errors: string[] = [];
  php.stderr?.on("data", (chunk: Buffer) => {
    // The built-in server logs every request on stderr; only PHP's own problems are kept.
    for (const line of chunk.toString().split("\n"))
      if (/PHP (Fatal|Parse|Warning)/.test(line)) errors.push(line);
  });
  const stop = async () => {
    release();
    await stopTethered(php);
  };
  const release = onStop(stop);
  await waitForServer(url, php);
  options.log(
    `wordpress: ${core.version} (${core.cached ? "cached core" : "unzipped"}) served by php -S on ${url}`,
  );

  await install(url);
  return {
    url,
    dir,
    version: core.version,
    cached: core.cached,
    moveTo: (address) => writeFileSync(config, wpConfig(dir, salts, address)),
    mail: () => readFileSync(mailFile, "utf8"),
    debugLog: () => (existsSync(debugFile) ? readFileSync(debugFile, "utf8") : "") + errors.join("\n"),
    stop,
  };
}

async function waitForServer(url: string, php: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (php.exitCode !== null) throw new Error(`php -S exited with code ${php.exitCode} (is the port free?)`);
    try {
      await fetch(`${url}/wp-includes/css/buttons.min.css`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`php -S did not answer on ${url}`);
}

/** The famous five-minute install: the form of wp-admin/install.php, step 2. */
async function install(url: string): Promise<void> {
  const form = new URLSearchParams({
    weblog_title: "Fernhill test shop",
    user_name: ADMIN.user,
    admin_password: ADMIN.password,
    admin_password2: ADMIN.password,
    pw_weak: "1",
    admin_email: ADMIN.email,
    blog_public: "0",
    language: "",
  });
  const res = await fetch(`${url}/wp-admin/install.php?step=2`, { method: "POST", body: form });
  const html = await res.text();
  if (!res.ok || !html.includes("WordPress has been installed")) {
    throw new Error(
      `install.php did not install WordPress (HTTP ${res.status}): ${html
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .slice(0, 400)}`,
    );
  }
}
