// @ts-check
// Statistics every benchmark section computes the same way over a run's frame costs.

/**
 * Nearest-rank percentile (0 for no values).
 * @param {number[]} values
 * @param {number} p percent, 0–100
 */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p * sorted.length) / 100))) - 1]
}

/**
 * The longest run of consecutive frames over the budget (what a wearer sees as a stutter).
 * @param {number[]} costs
 * @param {number} budgetMs
 */
export function longestMissRun(costs, budgetMs) {
  let longest = 0
  let current = 0
  for (const c of costs) {
    current = c > budgetMs ? current + 1 : 0
    longest = Math.max(longest, current)
  }
  return longest
}
