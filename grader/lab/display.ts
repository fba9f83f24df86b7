// Send rich output to the notebook through tslab when we run inside its kernel;
// fall back to plain text elsewhere (tests, a plain `node` session).
interface TslabDisplay {
  html(s: string): void;
  text(s: string): void;
  raw(mime: string, data: unknown): void;
}

function tslabDisplay(): TslabDisplay | null {
  // tslab's display only works inside its kernel; it marks the process with this variable.
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require("tslab") as { display?: TslabDisplay };
    return mod.display ?? null;
  } catch {
    return null;
  }
}

export const display = {
  html(html: string, fallbackText: string): void {
    const d = inKernel() ? tslabDisplay() : null;
    if (d) d.html(html);
    else console.log(fallbackText);
  },
};

export function inKernel(): boolean {
  return process.argv.some((a) => a.includes("tslab")) || process.env.BACKPROP_LAB_KERNEL === "1";
}
