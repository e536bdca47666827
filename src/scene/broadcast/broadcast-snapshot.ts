/**
 * `snapshot().broadcast`: the programme, the recording, the live output and the danmaku desk of a
 * mounted broadcast studio, declared in the diagnostics' typed section map so tests and the
 * benchmark read it without casts.
 */
import type { TransitionKind } from '../../core/broadcast/switcher'
import type { WhipState } from '../../core/broadcast/whip-client'
import type { BroadcastRecorder } from '../../runtime/broadcast/broadcast-recorder'
import type { DanmakuStation } from '../../runtime/broadcast/danmaku-station'
import { PROGRAMME_LEVELS } from '../../runtime/broadcast/programme-output'
import type { Programme } from '../../runtime/broadcast/programme'
import type { WhipPublisher } from '../../runtime/broadcast/whip-publisher'
import type { MonitorStatus } from '../../core/broadcast/monitor-path'

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** Present while a broadcast studio is mounted (livestream, Tianhe's crew camera...). */
    broadcast?: BroadcastSnapshot
  }
}

/** `snapshot().broadcast.live`: the WHIP output (the fields after `resource` only once a publisher exists). */
export interface LiveSnapshot {
  state: WhipState
  endpoint: string | null
  resource: string | null
  bitrateKbps: number
  framesEncoded?: number
  audio?: 'microphone' | 'silent' | null
  reconnects: number
  attempt?: number
  /** Time to the next attempt while reconnecting, ms. */
  retryInMs?: number | null
  /** `reason: detail`, without secrets. */
  lastError: string | null
}

/** `snapshot().broadcast.live` (the endpoint never carries the token: that goes in a header). */
export function liveSnapshot(publisher: WhipPublisher | null): LiveSnapshot {
  const v = publisher?.view
  if (!v) return { state: 'off', endpoint: null, resource: null, bitrateKbps: 0, reconnects: 0, lastError: null }
  return {
    state: v.state,
    endpoint: v.endpoint,
    resource: v.resource,
    bitrateKbps: v.bitrateKbps,
    framesEncoded: v.framesEncoded,
    audio: v.audio,
    reconnects: v.reconnects,
    attempt: v.attempt,
    retryInMs: v.retryAtMs === null ? null : Math.max(0, Math.round(v.retryAtMs - performance.now())),
    lastError: v.lastError ? `${v.lastError.reason}: ${v.lastError.detail}` : null,
  }
}

/** `snapshot().broadcast`, as built by {@link broadcastSnapshot} (plain data: it goes through JSON). */
export type BroadcastSnapshot = ReturnType<typeof broadcastSnapshot>

/** The broadcast section of a studio (the recorder and publisher are null until created). */
export function broadcastSnapshot(p: Programme, recorder: BroadcastRecorder | null, publisher: WhipPublisher | null, danmaku: DanmakuStation, monitor: MonitorStatus) {
  const level = PROGRAMME_LEVELS[p.level]
  const r = recorder?.view ?? null
  const transition: { kind: TransitionKind; from: string; to: string; progress: number } | null = p.switcher.transition
  return {
    camera: p.switcher.programme,
    preview: p.switcher.preview,
    transition,
    takes: p.switcher.takes,
    cameras: p.cameras.map((c) => c.id),
    programme: {
      preset: p.preset,
      level: p.level,
      width: p.output.output.width,
      height: p.output.output.height,
      fps: level.fps,
      canvas: { width: p.output.canvas.width, height: p.output.canvas.height },
      rendered: p.output.stats.rendered,
      captured: p.output.stats.framesCaptured,
      readbacksSkipped: p.output.stats.readbacksSkipped,
      contextLost: p.output.stats.contextLost,
      contextLosses: p.output.stats.contextLosses,
      jobsQueued: p.counters.jobsQueued,
      jobsLate: p.counters.jobsLate,
      previewsRendered: p.counters.previewsRendered,
      lastRenderMs: Math.round(p.counters.lastRenderMs * 100) / 100,
      // Totals for the benchmark, which divides their differences over a run.
      cost: { renderMsTotal: p.counters.renderMsTotal, jobsRun: p.counters.jobsRun, previewMsTotal: p.counters.previewMsTotal, captureMsTotal: p.counters.captureMsTotal, captures: p.counters.captures, captureSteps: p.counters.captureSteps },
    },
    recording: {
      state: r?.state ?? 'idle',
      bytes: r?.bytes ?? 0,
      storedBytes: r?.storedBytes ?? 0,
      mimeType: r?.mimeType ?? null,
      elapsedMs: Math.round(r?.elapsedMs ?? 0),
      withAudio: r?.withAudio ?? false,
      storage: r?.storage ?? 'unknown',
      store: r?.storeKind ?? null,
      persisted: r?.persisted ?? null,
      takeId: r?.takeId ?? null,
      takes: (r?.takes ?? []).map((t) => ({ id: t.id, bytes: t.bytes, chunks: t.chunks, durationMs: Math.round(t.durationMs), state: t.state, recovered: t.recovered === true, empty: t.empty === true, mimeType: t.mimeType })),
    },
    live: liveSnapshot(publisher),
    danmaku: danmaku.snapshot(),
    // Which path the studio's programme monitor takes (WebXR quad layer or texture) and what it costs.
    monitor: { path: monitor.decision.path, reason: monitor.decision.reason, error: monitor.decision.error, screen: monitor.screen, screenDraws: monitor.screenDraws, layerDraws: monitor.layerDraws, layerRedraws: monitor.layerRedraws, layerCopyMs: monitor.layerCopyMs },
  }
}
