/** What scoring reads from a release's trove classifiers. */

export interface DeclaredVersion {
  readonly major: number
  /** null for a major-only classifier such as `Framework :: Django :: 5`. */
  readonly minor: number | null
}

export interface ClassifierFacts {
  /** Any `Framework :: Django…`, `Framework :: Django CMS…` or `Framework :: Wagtail…` classifier. */
  readonly django: boolean
  readonly djangoVersions: ReadonlyArray<DeclaredVersion>
  /** The N of each `Programming Language :: Python :: 3.N`. */
  readonly python3Minors: ReadonlyArray<number>
  /** Any Python 3 classifier, versioned or not. */
  readonly python3: boolean
  /** Any Python 2 classifier. */
  readonly python2: boolean
  /** The number of the first `Development Status :: N - …` classifier, as the reference reads it. */
  readonly developmentStatus: number | null
  /** Any `License :: OSI Approved :: …` classifier. */
  readonly osiLicense: boolean
}

const DJANGO_VERSION = /^Framework :: Django :: (\d+)(?:\.(\d+))?$/
const PYTHON = /^Programming Language :: Python :: (\d+)(?:\.(\d+))?(?: :: Only)?$/
const STATUS = /^Development Status :: ([1-7]) - /

export const readClassifiers = (classifiers: ReadonlyArray<string>): ClassifierFacts => {
  let django = false,
    python3 = false,
    python2 = false,
    osiLicense = false
  let developmentStatus: number | null = null
  const djangoVersions: Array<DeclaredVersion> = []
  const python3Minors: Array<number> = []
  for (const raw of classifiers) {
    const c = raw.trim()
    if (/^Framework :: (Django|Django CMS|Wagtail)( ::|$)/.test(c)) django = true
    const dj = DJANGO_VERSION.exec(c)
    if (dj !== null) djangoVersions.push({ major: Number(dj[1]), minor: dj[2] === undefined ? null : Number(dj[2]) })
    const py = PYTHON.exec(c)
    if (py !== null) {
      if (py[1] === "3") {
        python3 = true
        if (py[2] !== undefined) python3Minors.push(Number(py[2]))
      } else if (py[1] === "2") python2 = true
    }
    if (developmentStatus === null && c.startsWith("Development Status")) {
      const s = STATUS.exec(c)
      if (s !== null) developmentStatus = Number(s[1])
    }
    if (c.startsWith("License :: OSI Approved")) osiLicense = true
  }
  return { django, djangoVersions, python3Minors, python3, python2, developmentStatus, osiLicense }
}
