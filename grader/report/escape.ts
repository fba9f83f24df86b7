// HTML escaping on its own: the class summary needs it without the verdict renderer, whose
// KaTeX takes ~40 ms to load in every grading run.
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
