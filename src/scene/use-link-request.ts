import { useEffect, useSyncExternalStore } from 'react'
import { createLinkRequests, type LinkRequestKind, type LinkRequests } from '../core/app/link-requests'

let requests: LinkRequests | null = null

/** The page's link requests (`?avatar=`, `?danmaku=`): read once from the address, kept across remounts. */
export function linkRequests(): LinkRequests {
  requests ??= createLinkRequests(window.location.search)
  return requests
}

/**
 * The value of `?kind=` once the host accepted it, else null. Mounting the hook is what asks the
 * host (the shell's confirm panel shows the request): the prompt appears only on a page that would
 * use the option.
 */
export function useLinkRequest(kind: LinkRequestKind): string | null {
  const links = linkRequests()
  useEffect(() => {
    links.want(kind)
  }, [links, kind])
  return useSyncExternalStore(links.subscribe, () => links.accepted(kind))
}
