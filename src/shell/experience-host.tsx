import { Component, lazy, Suspense, useEffect, type ReactNode } from 'react'
import { createAppError } from '../core/app/app-errors'
import type { ExperienceId } from '../core/app/routes'
import { useLingjing } from '../scene/lingjing-context'
import type { AppStore } from '../runtime/app/app-store'
import { useAppState } from '../scene/use-app-state'
import { Prepared } from '../scene/prepared'

// Each experience is its own chunk: the hub never downloads the studio or the module.
const EXPERIENCES: Record<ExperienceId, React.LazyExoticComponent<() => ReactNode>> = {
  hub: lazy(() => import('../experiences/hub/hub-experience')),
  livestream: lazy(() => import('../experiences/livestream/livestream-experience')),
  tianhe: lazy(() => import('../experiences/tianhe/tianhe-experience')),
  mascot: lazy(() => import('../experiences/mascot/mascot-experience')),
}

/** Marks the loading phase while a chunk or its assets suspend. */
function LoadingMarker({ app }: { app: AppStore }) {
  useEffect(() => {
    app.setState({ loading: { phase: 'code', progress: 0.1 } })
  }, [app])
  return null
}

interface BoundaryProps {
  app: AppStore
  children: ReactNode
}

/** Catches a failed asset or a crashing scene and shows it, instead of a blank canvas. */
class ExperienceBoundary extends Component<BoundaryProps, { failed: boolean }> {
  override state = { failed: false }
  static getDerivedStateFromError() {
    return { failed: true }
  }
  override componentDidCatch(error: unknown) {
    const message = error instanceof Error ? error.message : String(error)
    // Loader failures (fetch, parse, 404) are asset problems; anything else is a scene crash.
    const assetLike = /fetch|load|404|network|parse|could not/i.test(message)
    this.props.app.pushError(createAppError(assetLike ? 'asset-failed' : 'scene-crashed', message))
    this.props.app.setState({ loading: { phase: 'ready', progress: 1 } })
  }
  override render() {
    return this.state.failed ? null : this.props.children
  }
}

/** Shows the current experience, lazily loaded, precompiled, inside an error boundary. */
export function ExperienceHost() {
  const { app } = useLingjing()
  const experience = useAppState(app, (s) => s.experience)
  const retries = useAppState(app, (s) => s.retries)
  if (!experience) return null
  const Experience = EXPERIENCES[experience]
  return (
    <ExperienceBoundary key={`${experience}:${retries}`} app={app}>
      <Suspense fallback={<LoadingMarker app={app} />}>
        <Prepared key={experience} experience={experience}>
          <Experience />
        </Prepared>
      </Suspense>
    </ExperienceBoundary>
  )
}
