import type { ThreeEvent } from '@react-three/fiber'
import { useEffect, useLayoutEffect, useMemo, useState } from 'react'
import { BufferAttribute, BufferGeometry, CanvasTexture, LinearFilter, MeshBasicMaterial, SRGBColorSpace } from 'three'
import { createPaintCanvas } from '../canvas/create-paint-canvas'
import { paintTextPanel, type TextLine } from '../text/create-text-texture'
import { PLAIN_CELL_PX, cellUv, packShelves, plainCellUv } from '../text/text-atlas'

/** One panel of an atlas: a {@link TextPanel} without its own rotation (the group turns them all). */
export interface AtlasPanel {
  /** Accessible name of its hit area (tests and pointer debugging). */
  name: string
  lines: TextLine[]
  width: number
  height: number
  position: [number, number, number]
  background?: string
  border?: string
  align?: 'left' | 'center'
  /**
   * A solid rectangle of `background` (no text, border or rounding): a backing plate or a tile's
   * frame drawn in the same draw call as the text, from a tiny cell sampled at its centre.
   */
  plain?: boolean
  onClick?: (event: ThreeEvent<MouseEvent>) => void
}

/** Width of the atlas canvas, px (the panels' pixel widths must fit). */
const ATLAS_WIDTH = 512
/** Scale of a hovered clickable panel (as TextPanel). */
const HOVER_SCALE = 1.04

/**
 * Several text panels in one plane drawn as ONE mesh: one canvas atlas (shelf-packed), one
 * texture, one material, one draw call, instead of one of each per panel. Clickable panels get an
 * invisible hit quad each (material `visible: false`: raycast, never drawn). The atlas is
 * repainted when a panel's text or colours change (an event, never per frame); a hovered panel
 * grows by moving its four vertices.
 */
export function TextPanelAtlas({ panels, pixelsPerMetre = 512, name }: { panels: AtlasPanel[]; pixelsPerMetre?: number; name: string }) {
  const sizes = panels.map((p) =>
    p.plain ? { w: PLAIN_CELL_PX, h: PLAIN_CELL_PX } : { w: Math.round(p.width * pixelsPerMetre), h: Math.round(p.height * pixelsPerMetre) },
  )
  const plainKey = panels.map((p) => (p.plain ? 1 : 0)).join('')
  const sizeKey = sizes.map((s) => `${s.w}x${s.h}`).join(',')
  const parts = useMemo(() => {
    const layout = packShelves(sizes, ATLAS_WIDTH)
    const { canvas, ctx } = createPaintCanvas(layout.width, Math.max(1, layout.height))
    const texture = new CanvasTexture(canvas)
    texture.colorSpace = SRGBColorSpace
    texture.minFilter = LinearFilter
    texture.generateMipmaps = false
    const count = sizes.length
    const geometry = new BufferGeometry()
    geometry.setAttribute('position', new BufferAttribute(new Float32Array(count * 12), 3))
    const uv = new Float32Array(count * 8)
    const index: number[] = []
    layout.cells.forEach((cell, i) => {
      const uvOf = panels[i].plain ? plainCellUv : cellUv
      const [u0, v0, u1, v1] = uvOf(cell, layout.width, Math.max(1, layout.height))
      // Corners: bottom-left, bottom-right, top-right, top-left.
      uv.set([u0, v0, u1, v0, u1, v1, u0, v1], i * 8)
      const b = i * 4
      index.push(b, b + 1, b + 2, b, b + 2, b + 3)
    })
    geometry.setAttribute('uv', new BufferAttribute(uv, 2))
    geometry.setIndex(index)
    const material = new MeshBasicMaterial({ map: texture, transparent: true, toneMapped: false })
    const hit = new MeshBasicMaterial({ visible: false })
    return { layout, canvas, ctx, texture, geometry, material, hit }
    // The pixel sizes (and which cells are plain) are the identity of the layout.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sizeKey, plainKey])
  useEffect(
    () => () => {
      parts.texture.dispose()
      parts.geometry.dispose()
      parts.material.dispose()
      parts.hit.dispose()
    },
    [parts],
  )

  // Repaint on a change of text or colours.
  const paintKey = JSON.stringify(panels.map((p) => [p.lines, p.background, p.border, p.align, p.plain]))
  useLayoutEffect(() => {
    const ctx = parts.ctx
    if (!ctx) return
    ctx.clearRect(0, 0, parts.canvas.width, parts.canvas.height)
    panels.forEach((p, i) => {
      const cell = parts.layout.cells[i]
      ctx.save()
      ctx.translate(cell.x, cell.y)
      ctx.beginPath()
      ctx.rect(0, 0, cell.w, cell.h)
      ctx.clip()
      if (p.plain) {
        ctx.fillStyle = p.background ?? 'rgba(0,0,0,0)'
        ctx.fillRect(0, 0, cell.w, cell.h)
      } else paintTextPanel(ctx, { width: cell.w, height: cell.h, lines: p.lines, background: p.background, border: p.border, align: p.align })
      ctx.restore()
    })
    parts.texture.needsUpdate = true
    // paintKey stands for the panels' visual content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [parts, paintKey])

  // Quad corners from the panels' positions and sizes (and the hovered one a little bigger).
  const [hovered, setHovered] = useState(-1)
  const placeKey = JSON.stringify(panels.map((p) => [p.position, p.width, p.height]))
  useLayoutEffect(() => {
    const position = parts.geometry.getAttribute('position') as BufferAttribute
    const a = position.array as Float32Array
    panels.forEach((p, i) => {
      const s = i === hovered && p.onClick ? HOVER_SCALE : 1
      const hw = (p.width / 2) * s
      const hh = (p.height / 2) * s
      const [x, y, z] = p.position
      a.set([x - hw, y - hh, z, x + hw, y - hh, z, x + hw, y + hh, z, x - hw, y + hh, z], i * 12)
    })
    position.needsUpdate = true
    parts.geometry.computeBoundingSphere()
    // placeKey stands for the panels' placement.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [parts, placeKey, hovered])

  return (
    <>
      <mesh name={name} geometry={parts.geometry} material={parts.material} />
      {panels.map((p, i) =>
        p.onClick ? (
          <mesh
            key={p.name}
            name={p.name}
            position={p.position}
            material={parts.hit}
            onClick={p.onClick}
            onPointerOver={() => setHovered(i)}
            onPointerOut={() => setHovered((h) => (h === i ? -1 : h))}
          >
            <planeGeometry args={[p.width, p.height]} />
          </mesh>
        ) : null,
      )}
    </>
  )
}
