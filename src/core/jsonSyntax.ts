/**
 * JSON syntax errors that the editor's own JSON language already underlines. A launch refused for a
 * missing comma must still say so, but a second squiggle and a second Problems entry for the same comma
 * only add noise. VS Code's JSON language reports every syntax error of a `json` document, and of a
 * `jsonc` document all but comments and trailing commas (which the API's strict JSON still refuses).
 */
import { parseTree, type ParseError } from 'jsonc-parser';
import type { LaunchProblem } from './launchFile';

export type EditorJsonLanguage = 'json' | 'jsonc';

function errorOffsets(text: string, lenient: boolean): Set<number> {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: !lenient, allowTrailingComma: lenient, allowEmptyContent: false });
  return new Set(errors.map((e) => e.offset));
}

/** Whether `problem` is one of the text's JSON syntax errors (rather than a problem with a field). */
function isSyntaxProblem(problem: LaunchProblem, syntaxOffsets: ReadonlySet<number>): boolean {
  return problem.field === undefined && syntaxOffsets.has(problem.offset);
}

/**
 * The problems less the syntax errors the editor shows itself for a document of `language`; all of them
 * when the editor shows none (another language, or its JSON validation turned off).
 */
export function withoutEditorSyntaxErrors(text: string, problems: readonly LaunchProblem[], language: EditorJsonLanguage | undefined): LaunchProblem[] {
  if (!language || !text.trim()) return [...problems];
  const strict = errorOffsets(text, false);
  if (strict.size === 0) return [...problems];
  const shown = language === 'json' ? strict : errorOffsets(text, true);
  return problems.filter((p) => !(isSyntaxProblem(p, strict) && shown.has(p.offset)));
}

/** The syntax errors among `problems`: a launch refused for them is told about the first one only. */
export function syntaxProblems(text: string, problems: readonly LaunchProblem[]): LaunchProblem[] {
  if (!text.trim()) return [];
  const strict = errorOffsets(text, false);
  return problems.filter((p) => isSyntaxProblem(p, strict));
}
