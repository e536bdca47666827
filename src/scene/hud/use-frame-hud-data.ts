import { useMemo } from 'react'
import type { AppFrame } from '../../runtime/frame/app-frame'
import type { FrameHudData } from './draw-frame-hud'

/** A reusable reader of HUD data from the frame machinery (the cost buffer is allocated once). */
export function createFrameHudReader(frame: AppFrame): () => FrameHudData {
  const costs = new Float64Array(frame.metrics.capacity)
  return () => ({
    costs,
    count: frame.metrics.copyFrameCosts(costs),
    summary: frame.metrics.summary(),
    governor: frame.governor.explain(),
    budgetMs: frame.budget.budgetMs,
    refreshHz: frame.budget.refreshHz,
    disabledSystems: frame.loop.disabledSystems(),
  })
}

/** The HUD reader for a component's life. */
export function useFrameHudReader(frame: AppFrame): () => FrameHudData {
  return useMemo(() => createFrameHudReader(frame), [frame])
}
