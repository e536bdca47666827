import { useLoader, type ThreeEvent } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import type { Group } from 'three'
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js'
import type { Language } from '../../core/app/options'
import type { Bilingual } from '../../core/i18n/strings'
import { TextPanel } from '../../scene/components/text-panel'
import type { XiaoguanOutfit } from './mascot-logic'
import { createXiaoguanRig, type XiaoguanRig } from './xiaoguan-rig'

/** Where the generated model is served (assets/ is mounted at /assets/ by the Vite plugin). */
export const XIAOGUAN_URL = '/assets/xiaoguan/xiaoguan.glb'

/**
 * Loads Xiaoguan (suspends until loaded; a failure reaches the experience's error boundary as an
 * asset error) and makes a rig of its own for this component's lifetime.
 */
export function useXiaoguanRig(outfit: XiaoguanOutfit): XiaoguanRig {
  const gltf = useLoader(GLTFLoader, XIAOGUAN_URL) as unknown as { scene: Group; animations: import('three').AnimationClip[] }
  // The starting outfit only: later changes go through rig.setOutfit.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const rig = useMemo(() => createXiaoguanRig(gltf, outfit), [gltf])
  useEffect(() => () => rig.dispose(), [rig])
  return rig
}

/** Props of the mascot in the scene. */
export interface XiaoguanProps {
  rig: XiaoguanRig
  scale?: number
  rotationY?: number
  onClick?: (event: ThreeEvent<MouseEvent>) => void
  onPointerDown?: (event: ThreeEvent<PointerEvent>) => void
}

/** Puts a rig's holder into the scene; its position is owned by the rig (flights) or the caller. */
export function Xiaoguan({ rig, scale = 1, rotationY = 0, onClick, onPointerDown }: XiaoguanProps) {
  // Scale and heading live on the pivot inside the holder, so flights (holder position) keep them.
  useEffect(() => {
    rig.pivot.scale.setScalar(scale)
    rig.pivot.rotation.y = rotationY
  }, [rig, scale, rotationY])
  return <primitive object={rig.root} onClick={onClick} onPointerDown={onPointerDown} />
}

/**
 * A speech bubble: the line in the visitor's language, large, and in the other language below it.
 */
export function SpeechBubble({ line, lang, position, width = 0.9, rotationY = 0 }: { line: Bilingual; lang: Language; position: [number, number, number]; width?: number; rotationY?: number }) {
  const other: Language = lang === 'zh' ? 'en' : 'zh'
  return (
    <TextPanel
      name="xiaoguan-bubble"
      position={position}
      rotation={[0, rotationY, 0]}
      width={width}
      height={width * 0.42}
      pixelsPerMetre={900}
      align="center"
      background="rgba(255, 251, 240, 0.94)"
      border="#ffc23d"
      lines={[
        { text: line[lang], size: 40, weight: 700, color: '#1b2233', gap: 8 },
        { text: line[other], size: 28, color: '#4a5572' },
      ]}
    />
  )
}

/**
 * Says a line aloud with the Web Speech API when the browser has a voice for the language; without
 * one (or without the API) the bubble's text is all there is, silently and without an error.
 */
export function speakLine(line: Bilingual, lang: Language, pick: (voices: SpeechSynthesisVoice[]) => SpeechSynthesisVoice | null): boolean {
  const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined
  if (!synth) return false
  const voice = pick(synth.getVoices())
  if (!voice) return false
  const utterance = new SpeechSynthesisUtterance(line[lang])
  utterance.voice = voice
  utterance.lang = voice.lang
  utterance.rate = 1.05
  utterance.pitch = 1.4
  synth.cancel()
  synth.speak(utterance)
  return true
}
