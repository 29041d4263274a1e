/** `packgrid user …` and `packgrid token …`: accounts and API tokens, for operators. */
import { Effect, Schema } from "effect"
import { Role } from "@packgrid/core/Domain/User"
import { formatTimestamp } from "@packgrid/core/Domain/Timestamp"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import { Users } from "@packgrid/core/Store/Users"
import { UsageError, withStore } from "../cli.ts"

const role = (value: string | undefined): Role => {
  if (value === undefined) return "editor"
  if (!Schema.is(Role)(value)) throw new UsageError(`--role must be editor, moderator or admin, not "${value}"`)
  return value
}

const readStdin = async (): Promise<string> => {
  const chunks: Array<Buffer> = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "")
}

const withUsers = <A, E>(url: string, f: (users: Users) => Effect.Effect<A, E>) =>
  withStore(url, Effect.zipRight(prepare(), Effect.flatMap(Users, f)))

export const userCommand = async (
  url: string,
  args: ReadonlyArray<string>,
  flags: { role?: string | undefined; email?: string | undefined; passwordStdin?: boolean | undefined },
  out: (line: string) => void
) => {
  const [sub, name, extra] = args
  switch (sub) {
    case "add": {
      if (name === undefined)
        throw new UsageError(
          "usage: packgrid user add USERNAME [--role editor|moderator|admin] [--email E] [--password-stdin]"
        )
      const password = flags.passwordStdin === true ? await readStdin() : undefined
      const user = await withUsers(url, (u) =>
        u.create({
          username: name,
          role: role(flags.role),
          email: flags.email ?? null,
          ...(password === undefined ? {} : { password })
        })
      )
      return out(
        `added ${user.username} (${user.role})${password === undefined ? "; no password: API tokens only" : ""}`
      )
    }
    case "role": {
      if (name === undefined || extra === undefined) throw new UsageError("usage: packgrid user role USERNAME ROLE")
      const user = await withUsers(url, (u) => u.setRole(name, role(extra)))
      return out(`${user.username} is now ${user.role}`)
    }
    case "list": {
      const users = await withUsers(url, (u) => u.list)
      for (const u of users) out(`${u.username}\t${u.role}\t${u.is_active ? "active" : "inactive"}`)
      return
    }
    default:
      throw new UsageError("usage: packgrid user add|role|list …")
  }
}

export const tokenCommand = async (
  url: string,
  args: ReadonlyArray<string>,
  flags: { name?: string | undefined },
  out: (line: string) => void
) => {
  const [sub, target] = args
  switch (sub) {
    case "create": {
      if (target === undefined) throw new UsageError("usage: packgrid token create USERNAME [--name NAME]")
      const { key, token } = await withUsers(url, (u) => u.createToken(target, flags.name ?? "cli"))
      out(`token ${token.id} for ${target}: ${key}`)
      return out("Keep it now: only its hash is stored. Use it as: Authorization: Token <key>")
    }
    case "list": {
      if (target === undefined) throw new UsageError("usage: packgrid token list USERNAME")
      const tokens = await withUsers(url, (u) => u.tokens(target))
      for (const t of tokens) {
        const state = t.revoked === null ? "active" : `revoked ${formatTimestamp(t.revoked, "UTC")}`
        out(
          `${t.id}\t${t.prefix}…\t${t.name}\t${state}\tlast used ${t.last_used === null ? "never" : formatTimestamp(t.last_used, "UTC")}`
        )
      }
      return
    }
    case "revoke": {
      if (target === undefined || !/^\d+$/.test(target)) throw new UsageError("usage: packgrid token revoke TOKEN_ID")
      await withUsers(url, (u) => u.revokeToken(Number(target)))
      return out(`token ${target} revoked`)
    }
    default:
      throw new UsageError("usage: packgrid token create|list|revoke …")
  }
}
