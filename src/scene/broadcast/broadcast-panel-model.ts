import type { Language } from '../../core/app/options'
import type { CameraSpec } from '../../core/broadcast/camera-rigs'
import type { TransitionKind } from '../../core/broadcast/switcher'
import type { WhipState } from '../../core/broadcast/whip-client'
import type { BroadcastRecorder, RecorderView } from '../../runtime/broadcast/broadcast-recorder'
import type { DanmakuStation } from '../../runtime/broadcast/danmaku-station'
import type { ProgrammePreset } from '../../runtime/broadcast/programme-output'
import type { WhipPublisher } from '../../runtime/broadcast/whip-publisher'

/**
 * What the DOM broadcast panel shows and does (a new object per change, never per frame). The studio
 * (useBroadcastStudio) builds it; the experience that composes the studio hands it to its DOM panel.
 */
export interface BroadcastPanelModel {
  lang: Language
  cameras: readonly CameraSpec[]
  programme: string
  preview: string
  transition: TransitionKind
  preset: ProgrammePreset
  recorder: BroadcastRecorder | null
  recording: RecorderView | null
  /** WHIP live output and its state (the preset is fixed while live). */
  publisher: WhipPublisher | null
  liveState: WhipState
  onTake(id: string): void
  onPreview(id: string): void
  onAuto(): void
  onTransition(kind: TransitionKind): void
  onPreset(preset: ProgrammePreset): void
  /** The danmaku desk of the programme, when it has one. */
  danmaku?: DanmakuStation
}
