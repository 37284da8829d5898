import { MemoryThreadStore } from "./memory-thread-store.ts";
import { threadStoreContract } from "./thread-store.contract.ts";

threadStoreContract("memory", async (body) => body(new MemoryThreadStore()));
