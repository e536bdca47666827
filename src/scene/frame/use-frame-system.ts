import { useEffect, useRef } from 'react'
import type { FrameContext, FramePhase, QualityScaler } from '../../core/frame'
import { useLingjing } from '../lingjing-context'

/**
 * Registers a per-frame system with the one frame loop for the life of the component. The latest
 * `update` is called through a ref, so re-renders never re-register (and never add a useFrame).
 */
export function useFrameSystem(name: string, phase: FramePhase, update: (ctx: FrameContext) => void, order = 0): void {
  const { frame } = useLingjing()
  const ref = useRef(update)
  useEffect(() => {
    ref.current = update
  })
  useEffect(() => frame.loop.register({ name, phase, order, update: (ctx) => ref.current(ctx) }), [frame, name, phase, order])
}

/** Registers a quality lever with the governor for the life of the component. */
export function useQualityScaler(scaler: QualityScaler | null): void {
  const { frame } = useLingjing()
  useEffect(() => (scaler ? frame.addScaler(scaler) : undefined), [frame, scaler])
}
