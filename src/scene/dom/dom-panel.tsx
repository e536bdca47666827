import { useEffect, useRef, useState, type ReactElement, type ReactNode } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { initiallyOpen } from './panel-fold'
import './dom-panel.css'

/**
 * Mounts `element` in its own React DOM root next to the canvas (an R3F tree cannot hold DOM
 * elements) and re-renders it whenever the caller renders (on events, never per frame).
 */
export function useDomPanelRoot(className: string, element: ReactElement): void {
  const root = useRef<Root | null>(null)
  useEffect(() => {
    const host = document.createElement('div')
    host.className = className
    ;(document.querySelector('.shell') ?? document.body).appendChild(host)
    root.current = createRoot(host)
    return () => {
      const r = root.current
      root.current = null
      // Unmount after the current render pass: React forbids unmounting a root while rendering.
      queueMicrotask(() => {
        r?.unmount()
        host.remove()
      })
    }
  }, [className])
  useEffect(() => {
    root.current?.render(element)
  })
}

const storageKey = (id: string) => `lingjing.panel.${id}.open`

function readStored(id: string): string | null {
  try {
    return localStorage.getItem(storageKey(id))
  } catch {
    return null // storage blocked (some private modes): fall back to the screen size
  }
}

/** Props of {@link CollapsiblePanel}. */
export interface CollapsiblePanelProps {
  /** Remembers open/folded per device under this id. */
  id: string
  title: string
  className: string
  testId: string
  /** Extra styles of the panel box (position, width). */
  style?: React.CSSProperties
  children: ReactNode
}

/**
 * A DOM panel over the view that folds to its title bar (click the title), so that in the emulated
 * headset view it does not cover both eyes' images. Folded by default on small screens.
 */
export function CollapsiblePanel({ id, title, className, testId, style, children }: CollapsiblePanelProps) {
  const [open, setOpen] = useState(() => initiallyOpen({ width: window.innerWidth, height: window.innerHeight }, readStored(id)))
  const toggle = () => {
    setOpen((was) => {
      try {
        localStorage.setItem(storageKey(id), String(!was))
      } catch {
        // not remembered, still toggled
      }
      return !was
    })
  }
  return (
    <div className={`${className} dom-panel${open ? '' : ' dom-panel-folded'}`} data-testid={testId} data-open={open ? 'true' : 'false'} style={style}>
      <button type="button" className="dom-panel-title" aria-expanded={open} onClick={toggle}>
        <span>{title}</span>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span>
      </button>
      {open && children}
    </div>
  )
}
