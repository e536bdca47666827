import { useThree } from '@react-three/fiber'
import { useEffect } from 'react'
import type { Programme } from '../../runtime/broadcast/programme'

/** The programme picture as the output target holds it: RGBA rows, top row first. */
export interface ProgrammePixels {
  width: number
  height: number
  data: Uint8Array
}

declare module '../../runtime/window-api' {
  interface LingjingWindowApi {
    /** While a broadcast runs: reads the programme output picture (RGBA, top row first). */
    readProgramme?: () => Promise<ProgrammePixels>
  }
}

/**
 * Exposes `window.lingjing.readProgramme()` while a programme is mounted: an asynchronous read of
 * the output target (the tone-mapped picture with its overlays, exactly what the monitor, the
 * recorder and the live encoder get). For tests and diagnostics; never called by the app, and the
 * read does not wait on the GPU inside a frame.
 */
export function useProgrammeProbe(programme: Programme): void {
  const gl = useThree((s) => s.gl)
  useEffect(() => {
    const api = window.lingjing
    if (!api) return
    const read = async (): Promise<ProgrammePixels> => {
      const target = programme.output.output
      const { width, height } = target
      const data = new Uint8Array(width * height * 4)
      await gl.readRenderTargetPixelsAsync(target, 0, 0, width, height, data)
      return { width, height, data }
    }
    api.readProgramme = read
    return () => {
      if (api.readProgramme === read) delete api.readProgramme
    }
  }, [gl, programme])
}
