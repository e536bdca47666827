/** Below this viewport size a panel starts folded: open, it would cover most of the view. */
export const FOLD_BELOW = { width: 900, height: 520 } as const

/**
 * Whether a DOM panel starts open: the visitor's last choice on this device (`stored`, as kept in
 * localStorage), else open only on a screen large enough to show it beside the scene.
 */
export function initiallyOpen(viewport: { width: number; height: number }, stored: string | null): boolean {
  if (stored === 'true') return true
  if (stored === 'false') return false
  return viewport.width >= FOLD_BELOW.width && viewport.height >= FOLD_BELOW.height
}
