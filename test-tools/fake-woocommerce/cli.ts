// Runs the fake WooCommerce API as its own process, for a Worker under `wrangler dev` to read orders from:
//   npx node test-tools/fake-woocommerce/cli.ts --port 8790
// then run the agent with ORDER_SOURCE=woocommerce, WOOCOMMERCE_URL=http://127.0.0.1:8790,
// WOOCOMMERCE_CONSUMER_KEY / _SECRET as printed, and WOOCOMMERCE_ORDER_PREFIX=FH- (demo orders are FH-…).
// Prints the base URL on the first line and runs until SIGINT/SIGTERM.

import { parseArgs } from "node:util";
import { startFakeWooCommerce } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    latency: { type: "string", default: "0" },
  },
});

const port = Number(values.port);
const latencyMs = Number(values.latency);
if (!Number.isInteger(port) || port < 0) throw new Error("--port must be a non-negative integer");
if (!Number.isInteger(latencyMs) || latencyMs < 0)
  throw new Error("--latency must be a non-negative integer");

const shop = await startFakeWooCommerce({ port, host: values.host, latencyMs });
console.log(shop.url);
console.log(`WOOCOMMERCE_CONSUMER_KEY=${shop.consumerKey}`);
console.log(`WOOCOMMERCE_CONSUMER_SECRET=${shop.consumerSecret}`);

const stop = () => {
  shop.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
