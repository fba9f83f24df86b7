// Class grading's short limit, seen from both ends of a worker's channel. The worker notes when
// the window opens (the learner's cell is about to run) and when it closes (the first check was
// answered); the parent stops the process once the window has been open for the short limit's
// worth of CPU time. CPU time, not wall-clock time: on a machine busy with other work (the
// grader's own main process, the compilers, other programs) a window measured on the clock
// passed before the cell had had its time, and the run had to be repeated with more. And the
// parent, not the isolate: V8 cannot interrupt everything (a fill of a huge sparse array runs on
// past the isolate's own deadline), the operating system can.
export const WINDOW_OPEN = "window open";
export const WINDOW_CLOSED = "window closed";
/**
 * The worker used up the window and could not stop the isolate (the code is inside something V8
 * cannot interrupt): the parent stops the process at once instead of at its own reading of the CPU time.
 */
export const WINDOW_SPENT = "window spent";
export type WindowNote = typeof WINDOW_OPEN | typeof WINDOW_CLOSED | typeof WINDOW_SPENT;

/** How often the parent reads the worker's CPU time while a window is open (/proc counts in 10 ms ticks). */
export const WINDOW_POLL_MS = 20;
