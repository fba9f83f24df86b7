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
/**
 * The window closed with the worker grown by more than STUCK_GROWTH_MB: the cell is filling
 * memory, not only looping, and runs on to its whole limit (the memory limit or the time limit
 * stops it, or it answers). The parent stops holding it to the window.
 */
export const WINDOW_LIFTED = "window lifted";
export type WindowNote = typeof WINDOW_OPEN | typeof WINDOW_CLOSED | typeof WINDOW_SPENT | typeof WINDOW_LIFTED;

/**
 * A cell still in its window after its worker grew by more than this was filling memory, not only
 * looping: it runs on to its whole limit, where the memory limit stops it (or the whole time
 * limit does, if it stops growing). Judged at the short limit, the verdict hung on how far the
 * fill had got when the window closed: a learner's `while (true) hoard.push(new
 * Array(2e7).fill(1.5))` stood at +250-260 MB after the 250 ms floor, and was "out of memory" or
 * "stuck" from one grading of the class to the next. Measured at a 300 ms window: a loop that
 * allocates and drops (`new Array(1000)` a turn) grew by 1-3 MB, a loop keeping small objects by
 * 77-79 MB; the course's solutions grow a job by 12 MB at most. The run goes on where it is
 * rather than from the start again: a class of 200 with 20 such hoards spent 11.5 of its 38.8
 * worker-seconds on them when each ran twice, with a worker process started for each run.
 */
export const STUCK_GROWTH_MB = 32;

/** How often the parent reads the worker's CPU time while a window is open (/proc counts in 10 ms ticks). */
export const WINDOW_POLL_MS = 20;
