import type { MouseEvent } from "react"
import type { PackageV4 } from "../api.ts"
import { formatDate, formatNumber, MISSING } from "../format.ts"
import { hashForSlug } from "../route.ts"
import { httpUrl } from "../url.ts"
import { Sparkline } from "./Sparkline.tsx"

interface PackageTableProps {
  readonly packages: ReadonlyArray<PackageV4>
  readonly selectedSlug: string | null
  readonly onSelect: (slug: string) => void
  readonly busy?: boolean
}

/** One row per package; a click anywhere on a row (or its Details link) opens the package. */
export function PackageTable({ packages, selectedSlug, onSelect, busy = false }: PackageTableProps) {
  return (
    <table className="packages" aria-busy={busy}>
      <caption className="visually-hidden">Django packages, with GitHub activity and PyPI release</caption>
      <thead>
        <tr>
          <th scope="col">Package</th>
          <th scope="col" className="num">
            Stars
          </th>
          <th scope="col" className="num">
            Forks
          </th>
          <th scope="col">Last updated</th>
          <th scope="col">PyPI</th>
          <th scope="col">Commits, 52 weeks</th>
          <th scope="col">
            <span className="visually-hidden">Details</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {packages.map((pkg) => (
          <PackageRow key={pkg.id} pkg={pkg} selected={pkg.slug === selectedSlug} onSelect={onSelect} />
        ))}
      </tbody>
    </table>
  )
}

interface PackageRowProps {
  readonly pkg: PackageV4
  readonly selected: boolean
  readonly onSelect: (slug: string) => void
}

function PackageRow({ pkg, selected, onSelect }: PackageRowProps) {
  const repo = httpUrl(pkg.repo_url)
  // Links handle their own clicks: the repo link leaves, the Details link sets the hash itself.
  const onClick = (event: MouseEvent<HTMLTableRowElement>) => {
    if (event.target instanceof Element && event.target.closest("a") !== null) return
    onSelect(pkg.slug)
  }
  return (
    <tr className={selected ? "selected" : undefined} aria-current={selected ? "true" : undefined} onClick={onClick}>
      <th scope="row">
        {repo === null ? (
          <span className="title">{pkg.title}</span>
        ) : (
          <a className="title" href={repo} target="_blank" rel="noreferrer">
            {pkg.title}
          </a>
        )}
        {pkg.repo_description ? <span className="summary">{pkg.repo_description}</span> : null}
      </th>
      <td className="num">{formatNumber(pkg.repo_watchers)}</td>
      <td className="num">{formatNumber(pkg.repo_forks)}</td>
      <td>
        {pkg.last_updated === null ? MISSING : <time dateTime={pkg.last_updated}>{formatDate(pkg.last_updated)}</time>}
      </td>
      <td className="version">{pkg.pypi_version || MISSING}</td>
      <td>
        <Sparkline values={pkg.commits_over_52} />
      </td>
      <td>
        <a className="details-link" href={hashForSlug(pkg.slug)} aria-label={`Details for ${pkg.title}`}>
          Details
        </a>
      </td>
    </tr>
  )
}
