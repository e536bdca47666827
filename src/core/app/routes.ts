/** The four places a visitor can be in. */
export type ExperienceId = 'hub' | 'livestream' | 'tianhe' | 'mascot'

/** Everything the shell needs to know about one route. */
export interface RouteInfo {
  experience: ExperienceId
  path: string
  /** Immersive modes offered on this route, in the order the buttons show them. */
  modes: readonly XRSessionMode[]
}

/** The route table: one entry per experience; every path also works as a deep link. */
export const ROUTES: readonly RouteInfo[] = [
  { experience: 'hub', path: '/', modes: ['immersive-vr'] },
  { experience: 'livestream', path: '/livestream', modes: ['immersive-vr'] },
  { experience: 'tianhe', path: '/tianhe', modes: ['immersive-vr'] },
  // The mascot is a phone/passthrough experience first; VR shows it in a virtual room.
  { experience: 'mascot', path: '/mascot', modes: ['immersive-ar', 'immersive-vr'] },
]

/**
 * Resolves a location pathname to its route. Trailing slashes and `index.html` (static hosts)
 * are tolerated; an unknown path returns null so the shell can say so instead of showing nothing.
 */
export function matchRoute(pathname: string): RouteInfo | null {
  let path = pathname.replace(/\/index\.html$/, '/').replace(/\/+$/, '')
  if (path === '') path = '/'
  return ROUTES.find((route) => route.path === path) ?? null
}
