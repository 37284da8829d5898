/**
 * Imported first by every launcher (`import "../scripts/launcher.ts"`), so SIGINT, SIGTERM and SIGHUP stop
 * everything the launcher starts from its first line on. See ./lifecycle.ts.
 */
import { stopOnSignals } from "./lifecycle.ts";

stopOnSignals();
