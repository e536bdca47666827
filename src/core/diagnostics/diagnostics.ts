import type { DisplaySummary, FrameSummary, GovernorExplanation, GpuTimerSummary, JobQueueStats } from '../frame'
import type { Bilingual } from '../i18n/strings'

/**
 * `snapshot().frame` as the frame driver reports it: the frame metrics' summary plus the budget,
 * display, GPU, governor and job-queue state, the phase order and the systems disabled by errors.
 */
export interface FrameSnapshot extends FrameSummary {
  budgetOverrideMs: number | null
  /** Why `?frameBudgetMs` was refused, or null. */
  budgetError: Bilingual | null
  refreshHz: number
  display: DisplaySummary
  gpu: GpuTimerSummary
  /** The governor's quality measure, 0..1. */
  quality: number
  /** Views drawn per frame (2 in a stereo headset session). */
  views: number
  governor: GovernorExplanation
  jobs: JobQueueStats
  order: string[]
  systemErrors: readonly string[]
  /** Draws skipped by `?drawEvery` in a deterministic replay. */
  drawsSkipped: number
}

/** One named part of the diagnostics snapshot, computed on demand (never per frame). */
export type SnapshotSection = () => unknown

/**
 * The typed map of snapshot sections: a section's owner declares its shape here, by module
 * augmentation where the owner sits above the core, e.g.
 * `declare module '../../core/diagnostics/diagnostics' { interface SnapshotSections { broadcast?: BroadcastSnapshot } }`.
 * `setSection(name, …)` must then return that shape, and `snapshot().name` has it, without a cast.
 * Optional (`?`) for a section present only while its owner is mounted.
 */
export interface SnapshotSections {
  experience: string
  xr: { presenting: boolean; mode: XRSessionMode | null; frameRate: number | null; emulated?: boolean; device?: string | null }
  /** Only `frames: 0` until the frame driver runs, then all of {@link FrameSnapshot}. */
  frame: Pick<FrameSnapshot, 'frames'> & Partial<FrameSnapshot>
}

/** What a section named `K` returns: its declared shape, or anything for a section not declared yet. */
export type SectionValue<K extends string> = K extends keyof SnapshotSections ? NonNullable<SnapshotSections[K]> : unknown

/** `window.lingjing.snapshot()`: the declared sections typed, the others `unknown` until declared. */
export type DiagnosticsSnapshot = SnapshotSections & {
  errors: string[]
  [section: string]: unknown
}

/** Collects sections from the systems that own them and the errors the user was shown. */
export interface Diagnostics {
  /** Adds or replaces a section (of its declared shape, see SnapshotSections); returns a function that removes it again. */
  setSection<K extends string>(name: K, section: () => SectionValue<K>): () => void
  /** Remembers an error message (bounded; oldest dropped first). */
  reportError(message: string): void
  /** A JSON-serialisable copy of the current state. */
  snapshot(): DiagnosticsSnapshot
}

/** Creates the diagnostics registry; `maxErrors` bounds memory on a long session. */
export function createDiagnostics(maxErrors = 50): Diagnostics {
  const sections = new Map<string, SnapshotSection>()
  const errors: string[] = []
  return {
    setSection(name, section) {
      sections.set(name, section)
      return () => {
        if (sections.get(name) === section) sections.delete(name)
      }
    },
    reportError(message) {
      errors.push(message)
      if (errors.length > maxErrors) errors.shift()
    },
    snapshot() {
      const out: Record<string, unknown> = {
        experience: 'hub',
        xr: { presenting: false, mode: null, frameRate: null },
        frame: { frames: 0 },
      }
      for (const [name, section] of sections) {
        try {
          out[name] = section()
        } catch (error) {
          out[name] = { error: error instanceof Error ? error.message : String(error) }
        }
      }
      out.errors = [...errors]
      // Round-trip through JSON so callers (tests, page.evaluate) get plain data only.
      return JSON.parse(JSON.stringify(out)) as DiagnosticsSnapshot
    },
  }
}
