/**
 * The preview toolbar's problem count. The counts come with each `livedag/graphChanged`, so the toolbar
 * shows the problems of the very graph it draws (an answer cached before the change would lag one behind).
 * Pure.
 */

import type { GraphChangedParams, GraphResult, ProblemCounts } from '../protocol';

const isError = (severity: string | number): boolean => severity === 'error' || severity === 1;
const isWarning = (severity: string | number): boolean => severity === 'warning' || severity === 2;

/** The counts of a whole-graph answer. */
export function countsOf(result: GraphResult): ProblemCounts {
  return {
    errors: result.errorCount ?? result.problems.filter((problem) => isError(problem.severity)).length,
    warnings: result.warningCount ?? result.problems.filter((problem) => isWarning(problem.severity)).length,
  };
}

/** The counts a change announces; an older server sends none, and then the last answer is the best guess. */
export function changedCounts(params: GraphChangedParams, last: GraphResult | undefined): ProblemCounts {
  if (typeof params.errorCount === 'number' && typeof params.warningCount === 'number') {
    return { errors: params.errorCount, warnings: params.warningCount };
  }
  return last === undefined ? { errors: 0, warnings: 0 } : countsOf(last);
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** `"1 error · 2 warnings"`, or `""` when there is nothing to say. */
export function problemSummary(counts: ProblemCounts): string {
  const parts: string[] = [];
  if (counts.errors > 0) {
    parts.push(plural(counts.errors, 'error'));
  }
  if (counts.warnings > 0) {
    parts.push(plural(counts.warnings, 'warning'));
  }
  return parts.join(' · ');
}
