/**
 * Tool specs for the Brain, generated from each Hand's zod input schema, so the contract the model sees and the
 * one the orchestrator enforces can never drift apart. Strict JSON schema: flat objects, every field required
 * (nullable instead of optional), no extra properties. Length and format limits stay in zod, which checks them;
 * several OpenAI-compatible servers reject those keywords in strict mode.
 */
import { z } from "zod";
import { hands, type ToolName } from "../hands/registry.ts";
import type { ToolSpec } from "./brain.ts";

const UNSUPPORTED = new Set(["$schema", "minLength", "maxLength", "pattern", "format", "minimum", "maximum"]);

// A spec is fixed by its Hand's schema: built once per isolate, not on every Brain call (~0.2 ms each).
const built = new Map<ToolName, ToolSpec>();

export function toolSpecs(enabled: readonly ToolName[]): ToolSpec[] {
  return enabled.map((name) => {
    const cached = built.get(name);
    if (cached) return cached;
    const spec = specFor(name);
    built.set(name, spec);
    return spec;
  });
}

function specFor(name: ToolName): ToolSpec {
  const hand = hands[name];
  return {
    type: "function",
    function: {
      name: hand.name,
      description: hand.description,
      parameters: stripUnsupported(z.toJSONSchema(hand.input, { io: "input" })) as Record<string, unknown>,
      strict: true,
    },
  };
}

function stripUnsupported(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripUnsupported);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !UNSUPPORTED.has(key))
      .map(([key, value]) => [key, key === "properties" ? mapValues(value) : stripUnsupported(value)]),
  );
}

// Under "properties" the keys are field names, not keywords: a field may be called "format".
function mapValues(properties: unknown): unknown {
  if (typeof properties !== "object" || properties === null) return properties;
  return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, stripUnsupported(v)]));
}
