import { useLayoutEffect, type RefObject } from 'react'
import type { Object3D } from 'three'
import { useLingjing } from '../lingjing-context'
import { mergeStaticMeshes, staticMergeSummary, unmergeStaticMeshes } from './static-merge'

/**
 * Merges the static meshes under `root` once it is built (see static-merge.ts), and again whenever
 * `version` changes (a new backdrop is a new set); unmerges on unmount. A layout effect: it runs
 * before the first frame shows the set and before the place's detail levers collect their meshes
 * (a passive effect), so the levers act on the merged meshes. `snapshot()[<name>Merge]` reports
 * the set's draw calls before → after and why meshes were kept.
 */
export function useStaticMerge(name: string, root: RefObject<Object3D | null>, version?: unknown): void {
  const { diagnostics } = useLingjing()
  useLayoutEffect(() => {
    const object = root.current
    if (!object) return
    const merge = mergeStaticMeshes(object, name)
    const off = diagnostics.setSection(`${name}Merge`, () => staticMergeSummary(merge))
    return () => {
      off()
      unmergeStaticMeshes(merge)
    }
  }, [diagnostics, name, root, version])
}
