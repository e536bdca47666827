import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react'
import type { Language } from '../../core/app/options'
import type { Bilingual } from '../../core/i18n/strings'
import { clipForTap, LINES, nextOutfit, pickVoice, type XiaoguanOutfit } from './mascot-logic'
import { speakLine } from './xiaoguan'
import type { XiaoguanRig } from './xiaoguan-rig'

/** Xiaoguan's voice and gestures: the line it says, and what it does when asked. */
export interface MascotGuide {
  /** The line shown in the bubble (or the phone overlay) and spoken. */
  line: Bilingual
  /** Says a new line. */
  say: Dispatch<SetStateAction<Bilingual>>
  /** The outfit it wears now. */
  outfit: XiaoguanOutfit
  /** The last gesture asked of it ('wave', 'dance'), for diagnostics: a short clip can be over before anyone looks. */
  lastAction: { readonly current: string | null }
  wave(): void
  dance(): void
  /** The next outfit, with a nod. */
  changeOutfit(): void
  /** Xiaoguan itself was tapped: it waves, then dances, in turn. */
  tap(): void
}

/** Xiaoguan's line and gestures; the line is spoken where the browser has a voice for the language. */
export function useMascotGuide(rig: XiaoguanRig, lang: Language): MascotGuide {
  const [line, say] = useState<Bilingual>(LINES.stage)
  const [outfit, setOutfit] = useState<XiaoguanOutfit>(rig.outfit)
  const tapCount = useRef(0)
  const lastAction = useRef<string | null>(null)

  // Spoken lines where the browser has a voice for the language; the bubble always shows the text.
  useEffect(() => {
    speakLine(line, lang, (voices) => pickVoice(voices, lang))
  }, [line, lang])

  const wave = () => {
    lastAction.current = 'wave'
    rig.play('wave')
    say(LINES.wave)
  }
  const dance = () => {
    lastAction.current = 'dance'
    rig.play('dance')
    say(LINES.dance)
  }
  return {
    line,
    say,
    outfit,
    lastAction,
    wave,
    dance,
    changeOutfit() {
      const next = nextOutfit(rig.outfit)
      rig.setOutfit(next)
      rig.play('nod')
      setOutfit(next)
      say(LINES.outfit)
    },
    tap() {
      if (clipForTap(tapCount.current++) === 'wave') wave()
      else dance()
    },
  }
}
