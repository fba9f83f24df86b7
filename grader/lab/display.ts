// Send rich output to the notebook through tslab when we run inside its kernel;
// fall back to plain text elsewhere (tests, a plain `node` session).
interface TslabDisplay {
  html(s: string): void;
  text(s: string): void;
  raw(mime: string, data: unknown): void;
}

interface Tslab {
  display?: TslabDisplay;
  newDisplay?: () => TslabDisplay;
}

function tslab(): Tslab | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("tslab") as Tslab;
  } catch {
    return null;
  }
}

function tslabDisplay(): TslabDisplay | null {
  return tslab()?.display ?? null;
}

/** An output area updated in place (training progress); plain lines outside the kernel. */
export function liveOutput(): { html(html: string, fallbackText: string): void } {
  const live = inKernel() ? tslab()?.newDisplay?.() : undefined;
  return {
    html(html, fallbackText) {
      if (live) live.html(html);
      else console.log(fallbackText);
    },
  };
}

export const display = {
  html(html: string, fallbackText: string): void {
    const d = inKernel() ? tslabDisplay() : null;
    if (d) d.html(html);
    else console.log(fallbackText);
  },
};

/** tslab's display functions work only inside its kernel, a process started as `node …/tslab kernel …`. */
export function inKernel(): boolean {
  return process.argv.some((a) => a.includes("tslab")) || process.env.BACKPROP_LAB_KERNEL === "1";
}
