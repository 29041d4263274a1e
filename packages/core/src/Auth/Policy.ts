/**
 * Who may do what: a pure function of the caller's role and the action, following the reference
 * (REFERENCE §7.10): anyone reads; any signed-in user adds and edits packages and grids; moderators
 * remove grid features and members and delete; admins manage categories, users and deprecation.
 */
import { ROLE_RANK, type Role } from "../Domain/User.ts"

export const Actions = {
  "package.create": "editor",
  "package.update": "editor",
  "package.refresh": "editor",
  "package.use": "editor",
  "package.delete": "moderator",
  "package.deprecate": "admin",
  "grid.create": "editor",
  "grid.update": "editor",
  "grid.feature.add": "editor",
  "grid.feature.update": "editor",
  "grid.package.add": "editor",
  "grid.element.set": "editor",
  "grid.feature.remove": "moderator",
  "grid.package.remove": "moderator",
  "grid.delete": "moderator",
  "category.create": "admin",
  "category.update": "admin",
  "category.delete": "admin",
  "user.manage": "admin"
} as const satisfies Record<string, Role>

export type Action = keyof typeof Actions

/** Whether `role` (null: anonymous) may perform `action`. Reading is never an action: anyone reads. */
export const can = (role: Role | null, action: Action): boolean =>
  role !== null && ROLE_RANK[role] >= ROLE_RANK[Actions[action]]

/** The HTTP methods a caller may use on a resource whose writes need these actions (for `Allow`). */
export const allowedMethods = (
  role: Role | null,
  writes: Partial<Record<"POST" | "PUT" | "PATCH" | "DELETE", Action>>
): string => {
  const methods = ["GET", "HEAD", "OPTIONS"]
  for (const [method, action] of Object.entries(writes)) if (can(role, action)) methods.push(method)
  const order = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
  return methods.sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(", ")
}
