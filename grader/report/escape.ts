// HTML escaping on its own: the class summary needs it without the verdict renderer, whose
// KaTeX takes ~40 ms to load in every grading run.

// Learner-made text (messages, console output, returned strings, file and
// folder names) must not drive the terminal: an escape sequence, \r or a
// backspace could repaint a line, hide the real result or print a forged
// "Total: 13/13 points". Escape sequences and every other C0/C1 control, DEL
// and the bidirectional overrides are removed; a line break in learner text is
// kept but indented, so it never starts a line of its own at the left margin.
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u009b[0-?]*[ -/]*[@-~]|\u001b[ -/]*[0-~]?/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Learner-made text for a file someone may `cat` or open (gradebook.csv, summary.html): no
 * escape sequences or controls (line breaks and tabs stay), as on the terminal.
 */
export function withoutControls(s: string): string {
  return s.replace(ESCAPE_SEQUENCE, "").replace(CONTROL, "");
}

export function escapeHtml(s: string): string {
  return withoutControls(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
