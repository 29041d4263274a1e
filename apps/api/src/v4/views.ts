/** The names and descriptions DRF shows for each v4 view (browsable API, OPTIONS). */
import type { View } from "../http/respond.ts"

const view = (name: string, description: string): View => ({ name, description })

// The reference's viewset docstrings, stale boilerplate included: clients and people see these words.
const PACKAGES = "API endpoint that allows packages to be viewed or edited."
const GRIDS = "API endpoint that allows grids to be viewed or edited."
const CATEGORIES = "API endpoint that allows categories to be viewed or edited."

export const Views = {
  root: view("Api Root", "The default basic root view for DefaultRouter"),
  packageList: view("Package List", PACKAGES),
  packageInstance: view("Package Instance", PACKAGES),
  gridList: view("Grid List", GRIDS),
  gridInstance: view("Grid Instance", GRIDS),
  categoryList: view("Category List", CATEGORIES),
  categoryInstance: view("Category Instance", CATEGORIES),
  packageRefresh: view(
    "Package Refresh",
    "Fetches one package's PyPI and repository facts now and answers the package; a few times per user per ten minutes."
  ),
  search: view("Search V3 List", "Search packages and grids by title, slug and description."),
  searchAdvanced: view(
    "Search",
    "Search packages and grids with filters (category, grid, python3, django, include_deprecated, include_archived) and sorts (relevance, score, stars, last_commit, last_release, name); each package carries its explainable score."
  )
} as const
