import { useRef } from 'react'
import type { Language } from '../../core/app/options'
import type { ExpressionPreset } from '../../core/avatar'
import type { Bilingual } from '../../core/i18n/strings'
import { TextPanelAtlas, type AtlasPanel } from '../../scene/components/text-panel-atlas'
import type { MicrophoneStatus } from '../../runtime/avatar/microphone'
import { CollapsiblePanel, useDomPanelRoot } from '../../scene/dom/dom-panel'
import { BACKDROPS, BACKDROP_LABEL, type Backdrop } from './studio'

/** What both control surfaces (DOM and in-world) show and do. */
export interface StudioControlsModel {
  lang: Language
  backdrop: Backdrop
  mic: MicrophoneStatus
  /** Calibration status line (countdown, result or refusal), or null. */
  calibration: Bilingual | null
  calibrated: boolean
  avatarName: string
  view: 'audience' | 'monitor'
  /** The virtual mirror beside the stage is shown. */
  mirror: boolean
  onMic(): void
  onCalibrate(): void
  onBackdrop(backdrop: Backdrop): void
  onExpression(preset: ExpressionPreset): void
  onFile(file: File): void
  onView(): void
  onMirror(): void
}

const MIC_LABEL: Record<MicrophoneStatus, Bilingual> = {
  off: { zh: '开启麦克风', en: 'Mic on' },
  starting: { zh: '正在开启…', en: 'Starting…' },
  on: { zh: '麦克风已开启', en: 'Mic is on' },
  denied: { zh: '麦克风被拒绝（重试）', en: 'Mic refused (retry)' },
  unavailable: { zh: '没有麦克风（重试）', en: 'No microphone (retry)' },
}

const EXPRESSION_LABEL: Record<ExpressionPreset, Bilingual> = {
  happy: { zh: '开心', en: 'Happy' },
  angry: { zh: '生气', en: 'Angry' },
  sad: { zh: '难过', en: 'Sad' },
  relaxed: { zh: '放松', en: 'Relaxed' },
  surprised: { zh: '惊讶', en: 'Surprised' },
  neutral: { zh: '平静', en: 'Neutral' },
}
const KEY_ORDER: ExpressionPreset[] = ['happy', 'angry', 'sad', 'relaxed', 'surprised', 'neutral']

const T = {
  title: { zh: '直播间控制', en: 'Studio controls' },
  calibrate: { zh: 'T 字姿势校准', en: 'T-pose calibration' },
  calibrated: { zh: '（已校准）', en: '(calibrated)' },
  avatar: { zh: '虚拟形象', en: 'Avatar' },
  load: { zh: '载入 VRM 文件（或拖入窗口）', en: 'Load a VRM file (or drop it here)' },
  backdrop: { zh: '背景', en: 'Backdrop' },
  expressions: { zh: '表情（键 1–6）', en: 'Expressions (keys 1–6)' },
  view: { zh: '切换视角', en: 'Switch view' },
  mirrorOn: { zh: '显示镜子', en: 'Show the mirror' },
  mirrorOff: { zh: '收起镜子', en: 'Hide the mirror' },
  buttons: {
    zh: 'A 开心 · B 惊讶 · X 难过 · Y 放松 · 按下摇杆 平静',
    en: 'A happy · B surprised · X sad · Y relaxed · stick click neutral',
  },
} satisfies Record<string, Bilingual>

const buttonStyle: React.CSSProperties = {
  display: 'block',
  width: '100%',
  margin: '0.25rem 0',
  padding: '0.4rem 0.6rem',
  borderRadius: 8,
  border: '1px solid #4fc3ff66',
  background: '#14203acc',
  color: '#e8f1ff',
  font: 'inherit',
  textAlign: 'left',
  cursor: 'pointer',
}

/** The DOM panel (flat screens and the emulator): same actions as the in-world panel. */
function DomPanel({ model }: { model: StudioControlsModel }) {
  const { lang } = model
  const file = useRef<HTMLInputElement>(null)
  return (
    <CollapsiblePanel
      id="studio"
      title={T.title[lang]}
      className="studio-panel"
      testId="livestream-controls"
      style={{
        position: 'absolute',
        left: '1rem',
        top: '9rem',
        width: '15.5rem',
        padding: '0.6rem 0.75rem',
        borderRadius: 12,
        background: '#0b1020d9',
        border: '1px solid #4fc3ff44',
        color: '#e8f1ff',
        font: '13px system-ui, sans-serif',
        // Above IWER's emulator canvas container (z-index 999): operable during an emulated session.
        zIndex: 1001,
      }}
    >
      <p style={{ margin: '0.3rem 0', opacity: 0.8 }}>
        {T.avatar[lang]}: {model.avatarName}
      </p>
      <button type="button" style={buttonStyle} onClick={model.onMic}>
        {MIC_LABEL[model.mic][lang]}
      </button>
      <button type="button" style={buttonStyle} onClick={model.onCalibrate}>
        {T.calibrate[lang]} {model.calibrated ? T.calibrated[lang] : ''}
      </button>
      {model.calibration && <p style={{ margin: '0.2rem 0', color: '#ffd68a' }}>{model.calibration[lang]}</p>}
      <button type="button" style={buttonStyle} onClick={() => file.current?.click()}>
        {T.load[lang]}
      </button>
      <input
        ref={file}
        type="file"
        accept=".vrm,.glb,model/gltf-binary"
        aria-label={T.load[lang]}
        style={{ display: 'none' }}
        onChange={(e) => {
          const f = e.currentTarget.files?.[0]
          if (f) model.onFile(f)
          e.currentTarget.value = ''
        }}
      />
      <button type="button" style={buttonStyle} onClick={model.onView}>
        {T.view[lang]}
      </button>
      <button type="button" style={buttonStyle} aria-pressed={model.mirror} onClick={model.onMirror}>
        {(model.mirror ? T.mirrorOff : T.mirrorOn)[lang]}
      </button>
      <div style={{ marginTop: '0.4rem' }}>{T.backdrop[lang]}</div>
      <div style={{ display: 'flex', gap: '0.3rem' }}>
        {BACKDROPS.map((b) => (
          <button
            key={b}
            type="button"
            aria-pressed={model.backdrop === b}
            style={{ ...buttonStyle, textAlign: 'center', background: model.backdrop === b ? '#ff5fa2aa' : buttonStyle.background }}
            onClick={() => model.onBackdrop(b)}
          >
            {BACKDROP_LABEL[b][lang]}
          </button>
        ))}
      </div>
      <div style={{ marginTop: '0.4rem' }}>{T.expressions[lang]}</div>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: '0.25rem' }}>
        {KEY_ORDER.map((p, i) => (
          <button key={p} type="button" style={{ ...buttonStyle, margin: 0, textAlign: 'center', padding: '0.3rem' }} onClick={() => model.onExpression(p)}>
            {i + 1} {EXPRESSION_LABEL[p][lang]}
          </button>
        ))}
      </div>
    </CollapsiblePanel>
  )
}

/** Mounts the DOM studio panel next to the canvas; re-rendered on events, never per frame. */
export function useDomStudioControls(model: StudioControlsModel): void {
  useDomPanelRoot('livestream-controls', <DomPanel model={model} />)
}

/**
 * The in-world panel within arm's reach of the wearer (right-hand side), with the same actions.
 * Its seven panels are one atlas: one texture and one draw call (TextPanelAtlas).
 */
export function InWorldStudioControls({ model, position, rotationY }: { model: StudioControlsModel; position: [number, number, number]; rotationY: number }) {
  const { lang } = model
  const w = 0.5
  const panels: AtlasPanel[] = [
    {
      name: 'studio-controls-title',
      position: [0, 0.36, 0],
      width: w,
      height: 0.13,
      background: 'rgba(11,16,32,0.9)',
      lines: [
        { text: T.title[lang], size: 40, weight: 700 },
        { text: T.buttons[lang], size: 18, color: '#9cc9ee' },
      ],
    },
    { name: 'studio-mic', position: [0, 0.22, 0], width: w, height: 0.09, background: 'rgba(20,32,58,0.92)', border: '#4fc3ff', lines: [{ text: MIC_LABEL[model.mic][lang], size: 36 }], onClick: model.onMic },
    {
      name: 'studio-calibrate',
      position: [0, 0.1, 0],
      width: w,
      height: 0.11,
      background: 'rgba(20,32,58,0.92)',
      border: '#4fc3ff',
      lines: [
        { text: `${T.calibrate[lang]} ${model.calibrated ? T.calibrated[lang] : ''}`, size: 34 },
        ...(model.calibration ? [{ text: model.calibration[lang], size: 18, color: '#ffd68a' }] : []),
      ],
      onClick: model.onCalibrate,
    },
    ...BACKDROPS.map(
      (b, i): AtlasPanel => ({
        name: `studio-backdrop-${b}`,
        position: [(i - 1) * 0.17, -0.02, 0],
        width: 0.16,
        height: 0.08,
        background: model.backdrop === b ? 'rgba(255,95,162,0.9)' : 'rgba(20,32,58,0.92)',
        border: '#4fc3ff',
        align: 'center',
        lines: [{ text: BACKDROP_LABEL[b][lang], size: 30 }],
        onClick: () => model.onBackdrop(b),
      }),
    ),
    {
      name: 'studio-mirror-toggle',
      position: [0, -0.13, 0],
      width: w,
      height: 0.08,
      background: model.mirror ? 'rgba(255,95,162,0.9)' : 'rgba(20,32,58,0.92)',
      border: '#4fc3ff',
      align: 'center',
      lines: [{ text: (model.mirror ? T.mirrorOff : T.mirrorOn)[lang], size: 30 }],
      onClick: model.onMirror,
    },
  ]
  return (
    <group position={position} rotation={[0, rotationY, 0]}>
      <TextPanelAtlas name="studio-controls" panels={panels} />
    </group>
  )
}
