// The other end of child.ts, in the child process. No imports: this process
// may read almost nothing (see child.ts).
/**
 * Answer requests in a child process: `handle` gets each message, its return value goes back.
 * `note` tells the parent how far the request has come while it is still running (child.ts):
 * it is written to the channel at once, even while the handler goes on running synchronously.
 */
export function serve<M, R>(handle: (message: M, note: (what: string) => void) => R | Promise<R>): void {
  process.on("message", (m: { seq: number; message: M }) => {
    const note = (what: string): void => {
      process.send?.({ seq: m.seq, note: what });
    };
    const reply = (value: R): void => {
      process.send?.({ seq: m.seq, value, maxRssKb: process.resourceUsage().maxRSS });
    };
    // The parent sends the next request only after this answer: one request at a time, even
    // when the handler awaits. An error ends the process, and the parent reports it.
    const answer = handle(m.message, note);
    if (answer instanceof Promise) void answer.then(reply);
    else reply(answer);
  });
}
