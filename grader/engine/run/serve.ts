// The other end of child.ts, in the child process. No imports: this process
// may read almost nothing (see child.ts).
/** Answer requests in a child process: `handle` gets each message, its return value goes back. */
export function serve<M, R>(handle: (message: M) => R): void {
  process.on("message", (m: { seq: number; message: M }) => {
    process.send?.({ seq: m.seq, value: handle(m.message), maxRssKb: process.resourceUsage().maxRSS });
  });
}
