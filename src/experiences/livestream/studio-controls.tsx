import { useRef } from 'react'
import type { Language } from '../../core/app/options'
import { EXPRESSION_BUTTONS, EXPRESSION_HOTKEYS, PROP_LABEL, expressionLabel, type ExpressionBindings, type ExpressionButton, type PropId } from '../../core/avatar'
import type { Bilingual } from '../../core/i18n/strings'
import { TextPanelAtlas, type AtlasPanel } from '../../scene/components/text-panel-atlas'
import type { MicrophoneStatus } from '../../runtime/avatar/microphone'
import { CollapsiblePanel, useDomPanelRoot } from '../../scene/dom/dom-panel'
import { BACKDROPS, BACKDROP_LABEL, type Backdrop } from './studio'
import { PALETTE_CELL, PALETTE_EMOTES_MAX, PALETTE_MAX, emoteCellIndex, PALETTE_OFFSET, paletteCellCentre } from './expression-palette-layout'

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
  /** This visitor sits in the shared room's audience: the host's controls are not theirs. */
  audience: boolean
  onMic(): void
  onCalibrate(): void
  onBackdrop(backdrop: Backdrop): void
  /** The loaded model's expressions the host can pick (presets and custom). */
  expressions: readonly string[]
  /** Which hotkey and controller button picks which expression (remembered per model). */
  bindings: ExpressionBindings | null
  onExpression(name: string): void
  /** Rebinds a hotkey (0 = key 1 … 8 = key 9) or a controller button to an expression, or unbinds it. */
  onBind(slot: ExpressionSlot, name: string | null): void
  /** Emotes the host can play (shipped and their own .vrma), in Shift+1–9 order. */
  emotes: readonly string[]
  /** Emotes the audience may trigger with `!name` in the danmaku. */
  allowedEmotes: ReadonlySet<string>
  onEmote(name: string): void
  onAllowEmote(name: string, allowed: boolean): void
  onEmoteFile(file: File): void
  onFile(file: File): void
  onView(): void
  /** What the host's eyes follow: the on-air camera or the audience. */
  gaze: 'camera' | 'audience'
  onGaze(): void
  onMirror(): void
  /** The studio props the host can hold. */
  props: readonly PropId[]
  /** Puts a prop in the host's right hand (null: empties it). */
  onHandProp(id: PropId | null): void
}

const MIC_LABEL: Record<MicrophoneStatus, Bilingual> = {
  off: { zh: '开启麦克风', en: 'Mic on' },
  starting: { zh: '正在开启…', en: 'Starting…' },
  on: { zh: '麦克风已开启', en: 'Mic is on' },
  denied: { zh: '麦克风被拒绝（重试）', en: 'Mic refused (retry)' },
  unavailable: { zh: '没有麦克风（重试）', en: 'No microphone (retry)' },
}

/** A bindable input: a hotkey by index (0 = key 1) or a controller button. */
export type ExpressionSlot = { kind: 'key'; index: number } | { kind: 'button'; button: ExpressionButton }

const BUTTON_LABEL: Record<ExpressionButton, Bilingual> = {
  a: { zh: 'A 键', en: 'A button' },
  b: { zh: 'B 键', en: 'B button' },
  x: { zh: 'X 键', en: 'X button' },
  y: { zh: 'Y 键', en: 'Y button' },
  stick: { zh: '按下摇杆', en: 'Stick click' },
}
const BUTTON_SHORT: Record<ExpressionButton, Bilingual> = {
  a: { zh: 'A', en: 'A' },
  b: { zh: 'B', en: 'B' },
  x: { zh: 'X', en: 'X' },
  y: { zh: 'Y', en: 'Y' },
  stick: { zh: '按下摇杆', en: 'stick click' },
}

const EMOTE_LABEL: Record<string, Bilingual> = {
  wave: { zh: '挥手', en: 'Wave' },
  bow: { zh: '鞠躬', en: 'Bow' },
  clap: { zh: '鼓掌', en: 'Clap' },
  cheer: { zh: '欢呼', en: 'Cheer' },
  thinking: { zh: '思考', en: 'Thinking' },
}

/** A shipped emote in both languages; a user's by its (cleaned) file name. */
function emoteLabel(name: string): Bilingual {
  return EMOTE_LABEL[name] ?? { zh: name, en: name }
}

/** The hotkey (1–9) bound to an expression, or null. */
function hotkeyOf(bindings: ExpressionBindings | null, name: string): number | null {
  const i = bindings ? bindings.keys.indexOf(name) : -1
  return i >= 0 ? i + 1 : null
}

/** "A happy · B surprised · …" for the controller buttons as bound now. */
function buttonsLine(bindings: ExpressionBindings | null, lang: Language): string {
  if (!bindings) return ''
  const parts: string[] = []
  for (const b of EXPRESSION_BUTTONS) {
    const name = bindings.buttons[b]
    if (name) parts.push(`${BUTTON_SHORT[b][lang]} ${expressionLabel(name)[lang]}`)
  }
  return parts.join(' · ')
}


const T = {
  title: { zh: '直播间控制', en: 'Studio controls' },
  audienceTitle: { zh: '观众席', en: 'In the audience' },
  audienceNote: {
    zh: '主播在台上，你在观众席：你看到的是主播的动作和表情。在下方聊天框发言，弹幕会出现在节目中。',
    en: 'The host is on stage and you are in the audience: you see their moves and face. Comments in the chat box go on air as danmaku.',
  },
  calibrate: { zh: 'T 字姿势校准', en: 'T-pose calibration' },
  calibrated: { zh: '（已校准）', en: '(calibrated)' },
  avatar: { zh: '虚拟形象', en: 'Avatar' },
  load: { zh: '载入 VRM 文件（或拖入窗口）', en: 'Load a VRM file (or drop it here)' },
  backdrop: { zh: '背景', en: 'Backdrop' },
  expressions: { zh: '表情（键 1–9）', en: 'Expressions (keys 1–9)' },
  bindings: { zh: '按键绑定（按模型保存）', en: 'Bindings (saved per model)' },
  key: { zh: '键', en: 'Key' },
  unbound: { zh: '（无）', en: '(none)' },
  palette: { zh: '表情', en: 'Expressions' },
  emotes: { zh: '动作（Shift+1–9）', en: 'Emotes (Shift+1–9)' },
  paletteEmotes: { zh: '动作', en: 'Emotes' },
  loadEmote: { zh: '载入 VRM 动作（.vrma，或拖入窗口）', en: 'Load a VRM Animation (.vrma, or drop it here)' },
  audience: { zh: '观众弹幕可触发（!名称，限速）', en: 'Audience may trigger (!name in danmaku, rate-limited)' },
  view: { zh: '切换视角', en: 'Switch view' },
  gazeCamera: { zh: '眼睛看：直播机位（切换到观众）', en: 'Eyes on: the on-air camera (switch to the audience)' },
  gazeAudience: { zh: '眼睛看：观众（切换到直播机位）', en: 'Eyes on: the audience (switch to the on-air camera)' },
  mirrorOn: { zh: '显示镜子', en: 'Show the mirror' },
  mirrorOff: { zh: '收起镜子', en: 'Hide the mirror' },
  handProp: { zh: '右手道具（VR 中用握持键拿起/放回）', en: 'Hand prop (in VR: squeeze to take / put back)' },
  noProp: { zh: '无', en: 'none' },
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
  if (model.audience) return <AudiencePanel lang={lang} />
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
      <button type="button" style={buttonStyle} aria-pressed={model.gaze === 'audience'} onClick={model.onGaze}>
        {(model.gaze === 'camera' ? T.gazeCamera : T.gazeAudience)[lang]}
      </button>
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
      <div data-testid="expression-list" style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: '0.25rem' }}>
        {model.expressions.map((name) => {
          const key = hotkeyOf(model.bindings, name)
          return (
            <button
              key={name}
              type="button"
              data-expression={name}
              style={{ ...buttonStyle, margin: 0, textAlign: 'center', padding: '0.3rem', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
              onClick={() => model.onExpression(name)}
            >
              {key ?? ''} {expressionLabel(name)[lang]}
            </button>
          )
        })}
      </div>
      <div style={{ marginTop: '0.4rem' }}>{T.handProp[lang]}</div>
      <div data-testid="prop-list" style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0.25rem' }}>
        {[...model.props, null].map((id) => (
          <button
            key={id ?? 'none'}
            type="button"
            data-prop={id ?? 'none'}
            style={{ ...buttonStyle, margin: 0, textAlign: 'center', padding: '0.3rem' }}
            onClick={() => model.onHandProp(id)}
          >
            {(id ? PROP_LABEL[id] : T.noProp)[lang]}
          </button>
        ))}
      </div>
      {model.bindings && <BindingEditor model={model} bindings={model.bindings} />}
      <EmoteSection model={model} />
    </CollapsiblePanel>
  )
}

/** Emote buttons, the `.vrma` picker and which emotes the audience may call for. */
function EmoteSection({ model }: { model: StudioControlsModel }) {
  const { lang } = model
  const file = useRef<HTMLInputElement>(null)
  return (
    <>
      <div style={{ marginTop: '0.4rem' }}>{T.emotes[lang]}</div>
      <div data-testid="emote-list" style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: '0.25rem' }}>
        {model.emotes.map((name, i) => (
          <button
            key={name}
            type="button"
            data-emote={name}
            style={{ ...buttonStyle, margin: 0, textAlign: 'center', padding: '0.3rem', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
            onClick={() => model.onEmote(name)}
          >
            {i < 9 ? i + 1 : ''} {emoteLabel(name)[lang]}
          </button>
        ))}
      </div>
      <button type="button" style={buttonStyle} onClick={() => file.current?.click()}>
        {T.loadEmote[lang]}
      </button>
      <input
        ref={file}
        type="file"
        accept=".vrma,model/gltf-binary"
        aria-label={T.loadEmote[lang]}
        style={{ display: 'none' }}
        onChange={(e) => {
          const f = e.currentTarget.files?.[0]
          if (f) model.onEmoteFile(f)
          e.currentTarget.value = ''
        }}
      />
      <details>
        <summary style={{ cursor: 'pointer' }}>{T.audience[lang]}</summary>
        {model.emotes.map((name) => (
          <label key={name} style={{ display: 'block' }}>
            <input type="checkbox" checked={model.allowedEmotes.has(name)} onChange={(e) => model.onAllowEmote(name, e.currentTarget.checked)} /> !{name}
          </label>
        ))}
      </details>
    </>
  )
}

/** Hotkeys 1–9 and the controller buttons, each with a choice of the model's expressions. */
function BindingEditor({ model, bindings }: { model: StudioControlsModel; bindings: ExpressionBindings }) {
  const { lang } = model
  const rows: { slot: ExpressionSlot; label: string; value: string | null }[] = []
  for (let i = 0; i < EXPRESSION_HOTKEYS; i++) rows.push({ slot: { kind: 'key', index: i }, label: `${T.key[lang]} ${i + 1}`, value: bindings.keys[i] })
  for (const b of EXPRESSION_BUTTONS) rows.push({ slot: { kind: 'button', button: b }, label: BUTTON_LABEL[b][lang], value: bindings.buttons[b] })
  return (
    <details style={{ marginTop: '0.4rem' }}>
      <summary style={{ cursor: 'pointer' }}>{T.bindings[lang]}</summary>
      <div style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '0.2rem 0.4rem', marginTop: '0.3rem', alignItems: 'center' }}>
        {rows.map(({ slot, label, value }) => (
          <label key={label} style={{ display: 'contents' }}>
            <span>{label}</span>
            <select
              aria-label={label}
              value={value ?? ''}
              style={{ font: 'inherit', background: '#14203a', color: '#e8f1ff', border: '1px solid #4fc3ff66', borderRadius: 6 }}
              onChange={(e) => model.onBind(slot, e.currentTarget.value || null)}
            >
              <option value="">{T.unbound[lang]}</option>
              {model.expressions.map((name) => (
                <option key={name} value={name}>
                  {expressionLabel(name)[lang]}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
    </details>
  )
}

/** What an audience member sees in place of the host's controls: where they are and how to take part. */
function AudiencePanel({ lang }: { lang: Language }) {
  return (
    <CollapsiblePanel
      id="studio-audience"
      title={T.audienceTitle[lang]}
      className="studio-panel"
      testId="livestream-audience"
      style={{ position: 'absolute', left: '1rem', top: '9rem', width: '15.5rem', padding: '0.6rem 0.75rem', borderRadius: 12, background: '#0b1020d9', border: '1px solid #4fc3ff44', color: '#e8f1ff', font: '13px system-ui, sans-serif', zIndex: 1001 }}
    >
      <p style={{ margin: '0.3rem 0', opacity: 0.85 }}>{T.audienceNote[lang]}</p>
    </CollapsiblePanel>
  )
}

/** Mounts the DOM studio panel next to the canvas (the audience panel for an audience member); re-rendered on events, never per frame. */
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
        { text: buttonsLine(model.bindings, lang), size: 18, color: '#9cc9ee' },
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
      <group position={PALETTE_OFFSET}>
        {/* Finer than the controls: the cells are small and custom names can be long. */}
        <TextPanelAtlas name="expression-palette" panels={paletteCells(model)} pixelsPerMetre={1024} />
      </group>
    </group>
  )
}


/**
 * The in-world expression palette: the model's expressions (up to {@link PALETTE_MAX}) as
 * buttons with their hotkey, one atlas (one texture, one draw call) repainted only when the
 * model or a binding changes.
 */
function paletteCells(model: StudioControlsModel): AtlasPanel[] {
  const { lang } = model
  const cells: AtlasPanel[] = [
    {
      name: 'expression-palette-title',
      position: [0, 0.36, 0],
      width: 0.5,
      height: 0.07,
      background: 'rgba(11,16,32,0.9)',
      align: 'center',
      lines: [{ text: T.palette[lang], size: 30, weight: 700 }],
    },
  ]
  model.expressions.slice(0, PALETTE_MAX).forEach((name, i) => {
    const key = hotkeyOf(model.bindings, name)
    cells.push({
      name: `expression-palette-${i}`,
      position: paletteCellCentre(i),
      width: PALETTE_CELL.width,
      height: PALETTE_CELL.height,
      background: 'rgba(20,32,58,0.92)',
      border: '#ff5fa2',
      align: 'center',
      lines: [{ text: `${key ?? ''} ${expressionLabel(name)[lang]}`.trim(), size: 30 }],
      onClick: () => model.onExpression(name),
    })
  })
  const firstEmote = emoteCellIndex(model.expressions.length, 0)
  cells.push({
    name: 'expression-palette-emotes',
    position: [0, paletteCellCentre(firstEmote - 3)[1], 0],
    width: 0.5,
    height: PALETTE_CELL.height,
    background: 'rgba(11,16,32,0.9)',
    align: 'center',
    lines: [{ text: T.paletteEmotes[lang], size: 30, weight: 700 }],
  })
  model.emotes.slice(0, PALETTE_EMOTES_MAX).forEach((name, i) => {
    cells.push({
      name: `emote-palette-${i}`,
      position: paletteCellCentre(firstEmote + i),
      width: PALETTE_CELL.width,
      height: PALETTE_CELL.height,
      background: 'rgba(20,32,58,0.92)',
      border: '#4fc3ff',
      align: 'center',
      lines: [{ text: emoteLabel(name)[lang], size: 30 }],
      onClick: () => model.onEmote(name),
    })
  })
  return cells
}
