// How values read in messages: short, exact enough to compare by eye, and
// honest about NaN, -0, undefined and strings that look like numbers.
import { FunctionValue, Unreadable, type Plain } from "./values";

export function show(v: Plain, depth = 0): string {
  if (typeof v === "number") {
    if (Object.is(v, -0)) return "-0";
    if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
    const p = Number(v.toPrecision(10));
    return p === v ? String(v) : String(p) + "…";
  }
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? v.slice(0, 60) + "…" : v);
  if (typeof v === "bigint") return `${v}n`;
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "boolean") return String(v);
  if (v instanceof FunctionValue) return v.name === "(anonymous)" ? "a function" : v.name;
  if (v instanceof Unreadable) return `(${v.why})`;
  if (depth > 2) return Array.isArray(v) ? "[…]" : "{…}";
  if (Array.isArray(v)) {
    const items = v.slice(0, 8).map((x) => show(x, depth + 1));
    return `[${items.join(", ")}${v.length > 8 ? `, … ${v.length} items` : ""}]`;
  }
  const entries = Object.entries(v);
  const parts = entries.slice(0, 6).map(([k, x]) => `${k}: ${show(x, depth + 1)}`);
  return `{ ${parts.join(", ")}${entries.length > 6 ? ", …" : ""} }`;
}

export function kindOf(v: Plain): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : "a number";
  if (typeof v === "string") return "a string";
  if (typeof v === "boolean") return "a boolean";
  if (typeof v === "bigint") return "a bigint";
  if (v instanceof FunctionValue) return "a function";
  if (v instanceof Unreadable) return "something unreadable";
  if (Array.isArray(v)) return "an array";
  return "an object";
}
