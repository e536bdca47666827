import type { VRM } from '@pixiv/three-vrm'
import type { VRMAnimation } from '@pixiv/three-vrm-animation'
import { useLoader } from '@react-three/fiber'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { GLTFLoader, type GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js'
import { createAppError } from '../../core/app/app-errors'
import { SHIPPED_ANIMATIONS, VrmaLoader, animationUrl, readUserVrmaFile, type EmoteLoadResult } from '../../scene/avatar/avatar-motion'
import {
  DEFAULT_AVATAR_URL,
  createVrmLoader,
  describeVrm,
  disposeVrm,
  fetchUserVrm,
  prepareVrm,
  readUserVrmFile,
  registerVrm,
  type AvatarLoadResult,
  type LoadedAvatar,
} from '../../scene/avatar/load-vrm'
import type { Lingjing } from '../../scene/lingjing-context'
import { useLinkRequest } from '../../scene/use-link-request'

/** The shipped idle and emotes (assets/animations, CC0). */
const ANIMATION_URLS = SHIPPED_ANIMATIONS.map(animationUrl)

/** What {@link useHostAvatar} gives the experience. */
export interface HostAvatar {
  /** The avatar on stage: the user's own once one loaded, else the default host. */
  avatar: LoadedAvatar
  /** The idle and every emote by name (shipped, then the user's `.vrma` files). */
  animations: ReadonlyMap<string, VRMAnimation>
  /** The emotes the host can play, in hotkey order (Shift+1–9). */
  emoteList: readonly string[]
  /** Loads a dropped or picked file: a `.vrma` as an emote, anything else as a VRM. */
  loadFile(file: File): void
  /** Loads a `.vrma` as one more emote (under its file name). */
  loadEmoteFile(file: File): void
}

/** The bilingual reason of a refused file as one line, the page's language first. */
function detailOf(lj: Lingjing, message: { zh: string; en: string }): string {
  return lj.app.getState().lang === 'zh' ? `${message.zh} / ${message.en}` : `${message.en} / ${message.zh}`
}

/**
 * The host's avatar and animations: the default host and the shipped `.vrma` clips (suspending
 * while they download, progress to the shell), and bring-your-own VRM / `.vrma` from `?avatar=URL`
 * (once the host accepts the link), the file picker or drag and drop. Every file is validated; a bad
 * one is a bilingual app error and leaves what is shown. A replaced user avatar frees its GPU memory.
 */
export function useHostAvatar(lj: Lingjing): HostAvatar {
  // The default host suspends the experience while it downloads, reporting progress to the shell.
  const gltf = useLoader(GLTFLoader, DEFAULT_AVATAR_URL, registerVrm, (event) => {
    if (event.total > 0) lj.app.setState({ loading: { phase: 'assets', progress: 0.1 + 0.75 * (event.loaded / event.total) } })
  }) as GLTF
  const defaultAvatar = useMemo<LoadedAvatar>(() => {
    const vrm = prepareVrm(gltf.userData.vrm as VRM)
    const { name, version } = describeVrm(vrm, 'Lingjing Host')
    return { vrm, name, version, source: 'default' }
  }, [gltf])

  // The idle and emotes load with the host (small files), so a replay's first frame has them.
  const animationGltfs = useLoader(VrmaLoader, ANIMATION_URLS) as GLTF[]
  const [userEmotes, setUserEmotes] = useState<ReadonlyMap<string, VRMAnimation>>(() => new Map())
  const animations = useMemo(() => {
    const map = new Map<string, VRMAnimation>()
    SHIPPED_ANIMATIONS.forEach((name, i) => {
      const animation = (animationGltfs[i].userData.vrmAnimations as VRMAnimation[] | undefined)?.[0]
      if (animation) map.set(name, animation)
    })
    for (const [name, animation] of userEmotes) map.set(name, animation)
    return map
  }, [animationGltfs, userEmotes])
  const emoteList = useMemo(() => [...animations.keys()].filter((n) => n !== 'idle'), [animations])
  const [custom, setCustom] = useState<LoadedAvatar | null>(null)
  const avatar = custom ?? defaultAvatar
  const loader = useMemo(() => createVrmLoader(), [])

  // A replaced user avatar frees its GPU memory; the cached default is kept.
  useEffect(() => {
    if (!custom) return
    return () => disposeVrm(custom.vrm)
  }, [custom])

  const acceptResult = useCallback(
    (result: AvatarLoadResult) => {
      if (result.ok) {
        setCustom(result.avatar)
        return
      }
      lj.app.pushError(createAppError('avatar-invalid', detailOf(lj, result.message)))
    },
    [lj],
  )

  // ?avatar=URL: once the host accepts it (a link must not swap the presenter by itself),
  // validated, then swapped in; a bad file leaves the current avatar.
  const linkedAvatar = useLinkRequest('avatar')
  useEffect(() => {
    const url = linkedAvatar
    if (!url) return
    let cancelled = false
    // Bounded download (size, time); leaving the room aborts it.
    const abort = new AbortController()
    void fetchUserVrm(url, loader, { signal: abort.signal }).then((result) => {
      if (!cancelled) acceptResult(result)
    })
    return () => {
      cancelled = true
      abort.abort()
    }
  }, [acceptResult, loader, linkedAvatar])

  // A user's own .vrma: validated like an avatar, then one more emote (under its file name).
  const acceptEmote = useCallback(
    (result: EmoteLoadResult) => {
      if (result.ok) {
        setUserEmotes((prev) => new Map(prev).set(result.name, result.animation))
        return
      }
      lj.app.pushError(createAppError('emote-invalid', detailOf(lj, result.message)))
    },
    [lj],
  )
  const loadEmoteFile = useCallback((file: File) => void readUserVrmaFile(file).then(acceptEmote), [acceptEmote])
  const loadFile = useCallback(
    (file: File) => {
      if (/\.vrma$/i.test(file.name)) {
        loadEmoteFile(file)
        return
      }
      // Size checked before reading; a read failure is an error the host sees, not silence.
      void readUserVrmFile(file, loader).then(acceptResult)
    },
    [acceptResult, loader, loadEmoteFile],
  )

  // Drag and drop a .vrm (or .vrma) anywhere on the page.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault()
    }
    const drop = (e: DragEvent) => {
      const file = e.dataTransfer?.files[0]
      if (!file) return
      e.preventDefault()
      loadFile(file)
    }
    window.addEventListener('dragover', over)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragover', over)
      window.removeEventListener('drop', drop)
    }
  }, [loadFile])

  return { avatar, animations, emoteList, loadFile, loadEmoteFile }
}
