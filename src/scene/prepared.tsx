import { useThree } from '@react-three/fiber'
import { useLayoutEffect, useRef, type ReactNode } from 'react'
import { DefaultLoadingManager, type Group, type Material, type Texture } from 'three'
import type { ExperienceId } from '../core/app/routes'
import { useLingjing } from './lingjing-context'

function initTextures(gl: import('three').WebGLRenderer, group: Group) {
  const seen = new Set<Texture>()
  group.traverse((object) => {
    const material = (object as { material?: Material | Material[] }).material
    if (!material) return
    for (const m of Array.isArray(material) ? material : [material]) {
      for (const value of Object.values(m)) {
        if (value && (value as Texture).isTexture && !seen.has(value as Texture)) {
          seen.add(value as Texture)
          gl.initTexture(value as Texture)
        }
      }
    }
  })
  return seen.size
}

/**
 * Holds an experience hidden until its shaders are compiled and its textures uploaded, so the
 * first visible frame has no compile hitch. `?precompile=off` skips this (benchmark comparison).
 */
export function Prepared({ experience, children }: { experience: ExperienceId; children: ReactNode }) {
  const { app, options, diagnostics } = useLingjing()
  const gl = useThree((s) => s.gl)
  const camera = useThree((s) => s.camera)
  const scene = useThree((s) => s.scene)
  const group = useRef<Group>(null)

  useLayoutEffect(() => {
    const root = group.current
    if (!root) return
    let cancelled = false
    const started = performance.now()
    const finish = (compiledMs: number, textures: number) => {
      if (cancelled) return
      root.visible = true
      app.setState({ loading: { phase: 'ready', progress: 1 } })
      diagnostics.setSection('precompile', () => ({ experience, compiledMs, textures, enabled: options.precompile }))
    }
    if (!options.precompile) {
      finish(0, 0)
      return
    }
    app.setState({ loading: { phase: 'compile', progress: 0.9 } })
    // compileAsync walks visible objects only, and collects programs synchronously: show the group
    // for that call alone, then hide it again until compilation has finished.
    root.visible = true
    const compiling = gl.compileAsync(root, camera, scene)
    root.visible = false
    const textures = initTextures(gl, root)
    compiling
      .then(() => finish(performance.now() - started, textures))
      .catch((error: unknown) => {
        // A failed precompile is not fatal: the scene compiles on first draw instead.
        diagnostics.reportError(`precompile: ${error instanceof Error ? error.message : String(error)}`)
        finish(performance.now() - started, textures)
      })
    return () => {
      cancelled = true
    }
  }, [app, camera, diagnostics, experience, gl, options.precompile, scene])

  useLayoutEffect(() => {
    DefaultLoadingManager.onProgress = (_url, loaded, total) => {
      if (app.getState().loading.phase !== 'ready') app.setState({ loading: { phase: 'assets', progress: 0.1 + 0.8 * (loaded / Math.max(1, total)) } })
    }
    return () => {
      DefaultLoadingManager.onProgress = () => undefined
    }
  }, [app])

  return (
    <group ref={group} visible={false}>
      {children}
    </group>
  )
}
