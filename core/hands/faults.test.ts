import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { toolFault } from "./faults.ts";

describe("toolFault", () => {
  it("counts timeouts, unreachable upstreams and database outages as the upstream's", () => {
    expect(toolFault(new Error("anything"), true)).toBe("upstream");
    expect(toolFault(new AppError("upstream:woocommerce", "answered 503"), false)).toBe("upstream");
    expect(toolFault(new AppError("unavailable:order_source", "not configured"), false)).toBe("upstream");
    expect(toolFault(Object.assign(new Error("db"), { fault: "upstream" }), false)).toBe("upstream");
  });

  it("never counts what a caller's data caused", () => {
    expect(toolFault(Object.assign(new Error("db"), { fault: "data" }), false)).toBe("data");
    expect(toolFault(z.string().safeParse(1).error, false)).toBe("data");
    expect(toolFault(new AppError("invalid_input:woocommerce_order", "odd order"), false)).toBe("data");
    expect(toolFault(new TypeError("cannot read x of undefined"), false)).toBe("data");
  });
});
