import { BroadcastStudio, useBroadcastStudio, type BroadcastStudioOptions, type BroadcastStudioProps } from '../../scene/broadcast/broadcast-studio'
import { useDomBroadcastPanel } from './panels/broadcast-panel'

/** Props of {@link LivestreamBroadcast}: the studio's options and where its monitor and console stand. */
export type LivestreamBroadcastProps = BroadcastStudioOptions & Omit<BroadcastStudioProps, 'studio'>

/**
 * The livestream room's broadcast: the studio in the world and, composed here beside it, the DOM
 * broadcast panel (switcher, recording, live, danmaku) the studio's state drives.
 */
export function LivestreamBroadcast({ monitor, console, ...options }: LivestreamBroadcastProps) {
  const studio = useBroadcastStudio(options)
  useDomBroadcastPanel(studio.panel)
  return <BroadcastStudio studio={studio} monitor={monitor} console={console} />
}
