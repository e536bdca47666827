import { describe, expect, it } from 'vitest'
import { chooseAntialias, isSoftwareRenderer } from './renderer-kind'

describe('renderer kind', () => {
  it('recognises software rasterisers by their WebGL renderer string', () => {
    for (const name of [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'Google SwiftShader',
    ]) {
      expect(isSoftwareRenderer(name), name).toBe(true)
      expect(chooseAntialias(name)).toEqual({ antialias: false, software: true })
    }
  })

  it('keeps multisampling on GPUs, and when the renderer is not known', () => {
    for (const name of ['Adreno (TM) 740', 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)', 'Apple GPU', 'Mali-G78']) {
      expect(chooseAntialias(name), name).toEqual({ antialias: true, software: false })
    }
    expect(chooseAntialias(null)).toEqual({ antialias: true, software: false })
  })
})
