import { describe, expect, it } from "vitest"
import {
  developmentStatus,
  documentationUrl,
  licenseList,
  normalizeLicense,
  supportsPython3
} from "../../src/Refresh/Facts.ts"

const PY3 = "Programming Language :: Python :: 3"

describe("normalizeLicense (the reference's normalize_license)", () => {
  it("says UNKNOWN for a missing licence, trims, and keeps short values", () => {
    expect(normalizeLicense(null)).toBe("UNKNOWN")
    expect(normalizeLicense(undefined)).toBe("UNKNOWN")
    expect(normalizeLicense("  BSD  ")).toBe("BSD")
    expect(normalizeLicense("BSD-3-Clause")).toBe("BSD-3-Clause")
    expect(normalizeLicense("x".repeat(20))).toBe("x".repeat(20))
  })

  it("calls anything longer than 20 characters Custom, unless it is an official License classifier", () => {
    expect(normalizeLicense("x".repeat(21))).toBe("Custom")
    expect(normalizeLicense("Permission is hereby granted, free of charge, to any person…")).toBe("Custom")
    expect(normalizeLicense("License :: OSI Approved :: MIT License")).toBe("License :: OSI Approved :: MIT License")
    expect(normalizeLicense(" License :: OSI Approved :: BSD License ")).toBe("License :: OSI Approved :: BSD License")
    expect(normalizeLicense("License :: OSI Approved :: Made Up Licence")).toBe("Custom")
    // PEP 639 expressions go through the same rule, so a long one becomes Custom, as in the reference.
    expect(normalizeLicense("Apache-2.0 WITH LLVM-exception OR MIT")).toBe("Custom")
  })
})

describe("licenseList", () => {
  it("takes license_expression (PEP 639) first, then license, then the License classifiers' last part", () => {
    const classifiers = ["License :: OSI Approved :: MIT License", "License :: OSI Approved :: Apache Software License"]
    expect(licenseList({ license_expression: "MIT OR Apache-2.0", license: "MIT", classifiers })).toEqual([
      "MIT OR Apache-2.0",
      "MIT License",
      "Apache Software License"
    ])
    expect(licenseList({ license_expression: null, license: "MIT", classifiers })).toEqual([
      "MIT",
      "MIT License",
      "Apache Software License"
    ])
    expect(licenseList({ license: "", classifiers: ["License :: OSI Approved :: MIT License"] })).toEqual([
      "MIT License"
    ])
  })

  it("does not repeat a licence and ignores classifiers that are not licences", () => {
    expect(
      licenseList({
        license: "MIT License",
        classifiers: ["License :: OSI Approved :: MIT License", "Framework :: Django"]
      })
    ).toEqual(["MIT License"])
    expect(licenseList({ classifiers: ["License :: OSI Approved"] })).toEqual(["OSI Approved"])
    expect(licenseList({})).toEqual([])
  })
})

describe("supportsPython3 (§2.4, a tri-state)", () => {
  it("lets Requires-Python decide when it is valid, even against the classifiers", () => {
    expect(supportsPython3([], ">=3.8")).toBe(true)
    expect(supportsPython3([PY3], "<3")).toBe(false)
    expect(supportsPython3([PY3], "==2.7.*")).toBe(false)
    expect(supportsPython3([], ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*")).toBe(true)
    expect(supportsPython3([], ">=3.15")).toBe(false)
    expect(supportsPython3([], ">3.14")).toBe(false)
    expect(supportsPython3([], ">=3.14.0rc1")).toBe(true)
  })

  it("checks only 3.0…3.14 as packaging would: ~=3.6.1 admits none of them", () => {
    // SpecifierSet("~=3.6.1") is >=3.6.1, ==3.6.*: "3.6" (3.6.0) is below and "3.7" outside.
    expect(supportsPython3([PY3], "~=3.6.1")).toBe(false)
    expect(supportsPython3([], "~=3.6")).toBe(true)
    expect(supportsPython3([], "~=2.7")).toBe(false)
  })

  it("falls back to the classifiers when Requires-Python is missing or invalid", () => {
    expect(supportsPython3([PY3], null)).toBe(true)
    expect(supportsPython3(["Programming Language :: Python :: 3.11"], undefined)).toBe(true)
    expect(supportsPython3([PY3], "3.6")).toBe(true)
    expect(supportsPython3([PY3], "=>3.6")).toBe(true)
    expect(supportsPython3([PY3], ">=3.6.*")).toBe(true)
  })

  it("answers null, not false, when nothing says (the reference's long-standing complaint, §9)", () => {
    expect(supportsPython3([], null)).toBeNull()
    expect(supportsPython3(["Programming Language :: Python :: 2.7"], "")).toBeNull()
    expect(supportsPython3([], "not a specifier")).toBeNull()
  })
})

describe("developmentStatus and documentationUrl", () => {
  it("maps the first Development Status classifier to 1–7, else 0", () => {
    expect(developmentStatus(["Development Status :: 3 - Alpha", "Development Status :: 5 - Production/Stable"])).toBe(
      3
    )
    expect(developmentStatus(["Development Status :: 6 - Mature"])).toBe(6)
    expect(developmentStatus(["Development Status :: 5 - Stable"])).toBe(0)
    expect(developmentStatus([])).toBe(0)
  })

  it("prefers the project's Documentation link, then Docs, then the legacy docs_url", () => {
    expect(documentationUrl({ project_urls: { Homepage: "h", Documentation: "d" }, docs_url: "legacy" })).toBe("d")
    expect(documentationUrl({ project_urls: { docs: "lower" } })).toBe("lower")
    expect(documentationUrl({ project_urls: { Homepage: "h" }, docs_url: "legacy" })).toBe("legacy")
    expect(documentationUrl({ project_urls: null, docs_url: null })).toBeNull()
  })
})
