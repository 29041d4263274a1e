import { useEffect, useRef } from "react"
import { getPackage, type PackageV4 } from "../api.ts"
import { formatDate, formatNumber, MISSING, plural } from "../format.ts"
import { useRemote } from "../remote.ts"
import { httpUrl } from "../url.ts"
import { LoadError } from "./LoadError.tsx"
import { ScoreExplanation } from "./ScoreExplanation.tsx"
import { Sparkline } from "./Sparkline.tsx"

interface PackageDetailProps {
  readonly slug: string
  readonly onClose: () => void
}

/** The side panel for one package, loaded from `GET /api/v4/packages/{slug}/`; Escape closes it. */
export function PackageDetail({ slug, onClose }: PackageDetailProps) {
  const { remote, retry } = useRemote(`package/${slug}`, (signal) => getPackage(slug, { signal }))
  const heading = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    heading.current?.focus()
  }, [slug])

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose()
    }
    document.addEventListener("keydown", onKeyDown)
    return () => document.removeEventListener("keydown", onKeyDown)
  }, [onClose])

  const title = remote.state === "loaded" ? remote.value.title : slug
  return (
    <aside className="detail" aria-labelledby="detail-title">
      <header className="detail-header">
        <h2 id="detail-title" tabIndex={-1} ref={heading}>
          {title}
        </h2>
        <button type="button" className="close" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      {remote.state === "failed" ? (
        <LoadError title={`Could not load ${slug}`} error={remote.error} onRetry={retry} />
      ) : remote.state === "loading" ? (
        <p className="status" role="status">
          Loading {slug}…
        </p>
      ) : (
        <>
          <PackageDetailView pkg={remote.value} />
          <ScoreExplanation slug={slug} />
        </>
      )}
    </aside>
  )
}

/** Description, facts and links of one package. */
export function PackageDetailView({ pkg }: { readonly pkg: PackageV4 }) {
  const links = [
    { label: "Repository", href: httpUrl(pkg.repo_url) },
    { label: "PyPI", href: httpUrl(pkg.pypi_url) },
    { label: "Documentation", href: httpUrl(pkg.documentation_url) }
  ].filter((link): link is { label: string; href: string } => link.href !== null)

  return (
    <div className="detail-body">
      <p className="description">{pkg.repo_description || "No description."}</p>
      {links.length > 0 ? (
        <ul className="links">
          {links.map((link) => (
            <li key={link.label}>
              <a href={link.href} target="_blank" rel="noreferrer">
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      <dl className="facts">
        <dt>Participants</dt>
        <dd>{plural(pkg.participants.length, "participant")}</dd>
        <dt>Stars</dt>
        <dd>{formatNumber(pkg.repo_watchers)}</dd>
        <dt>Forks</dt>
        <dd>{formatNumber(pkg.repo_forks)}</dd>
        <dt>PyPI version</dt>
        <dd>{pkg.pypi_version || MISSING}</dd>
        <dt>Last updated</dt>
        <dd>{formatDate(pkg.last_updated)}</dd>
        <dt>Last fetched</dt>
        <dd>{formatDate(pkg.last_fetched)}</dd>
        <dt>Listed since</dt>
        <dd>{formatDate(pkg.created)}</dd>
        <dt>Grids</dt>
        <dd>{formatNumber(pkg.grids.length)}</dd>
      </dl>
      <figure className="activity">
        <Sparkline values={pkg.commits_over_52} width={300} height={56} />
        <figcaption>Commits per week over the last year</figcaption>
      </figure>
    </div>
  )
}
