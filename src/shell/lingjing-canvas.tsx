import { Canvas } from '@react-three/fiber'
import { XR } from '@react-three/xr'
import { lazy, Suspense, useCallback, useMemo } from 'react'
import { createAppError } from '../core/app/app-errors'
import { chooseAntialias } from '../core/render/renderer-kind'
import { readWebglRendererName } from '../runtime/frame/webgl-renderer-name'
import { useLingjing } from '../scene/lingjing-context'
import { ExperienceHost } from './experience-host'
import { FrameDriver } from '../scene/frame/frame-driver'
import { XRSessionsSystems } from '../scene/replay/xr-sessions-systems'
import { VenuePresence } from '../scene/venue/venue-presence'
import { FrameHud } from '../scene/hud/frame-hud'
import { RenderSystems } from '../scene/render/render-systems'

// Loaded only for `npm run bench` (?bench=… or ?governor=baseline).
const BenchHarness = lazy(() => import('./bench/bench-harness').then((m) => ({ default: m.BenchHarness })))

/**
 * The one WebGL canvas. It lives for the whole visit so an XR session continues when the visitor
 * walks from the hub into an experience.
 */
export function LingjingCanvas() {
  const { xr, app, options } = useLingjing()
  // Multisampling is fixed when the context is created: ask for it only where a GPU does the work
  // (on a software rasteriser it costs a third of every frame; on a Quest it is close to free).
  const antialias = useMemo(() => chooseAntialias(readWebglRendererName()).antialias, [])
  const onCreated = useCallback(
    ({ gl }: { gl: import('three').WebGLRenderer }) => {
      const canvas = gl.domElement
      canvas.addEventListener('webglcontextlost', (event) => {
        // preventDefault tells the browser we will restore, so it fires webglcontextrestored.
        event.preventDefault()
        app.pushError(createAppError('context-lost'))
      })
      canvas.addEventListener('webglcontextrestored', () => {
        app.setState({ errors: app.getState().errors.filter((e) => e.kind !== 'context-lost') })
      })
    },
    [app],
  )
  return (
    <div className="scene">
      <Canvas
        camera={{ position: [0, 1.6, 0.01], fov: 65, near: 0.05, far: 2000 }}
        dpr={[1, 2]}
        gl={{ antialias, powerPreference: 'high-performance' }}
        onCreated={onCreated}
      >
        <XR store={xr}>
          <FrameDriver />
          <RenderSystems />
          <XRSessionsSystems />
          <FrameHud />
          {(options.bench || options.benchRecord || options.governor === 'baseline') && (
            <Suspense fallback={null}>
              <BenchHarness />
            </Suspense>
          )}
          <ExperienceHost />
          <VenuePresence />
        </XR>
      </Canvas>
    </div>
  )
}
