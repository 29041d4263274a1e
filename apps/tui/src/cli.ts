/** Shared plumbing of the operator CLI: the store runtime, paths relative to where the user ran pnpm, exits. */
import { Cause, type Effect, Exit, type Layer, ManagedRuntime } from "effect"
import { isAbsolute, resolve } from "node:path"
import * as Store from "@packgrid/core/Store/Store"
import { DEFAULT_DATABASE_URL } from "@packgrid/core/Store/Database"

/** A usage or input problem: printed without a stack, exit code 2. */
export class UsageError extends Error {}

/** `pnpm packgrid` runs from the workspace root; file arguments are relative to where the user typed it. */
export const userPath = (path: string) =>
  isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path)

export const databaseUrl = (flag: string | undefined) =>
  flag ?? process.env.PACKGRID_DATABASE_URL ?? DEFAULT_DATABASE_URL

export type StoreServices = Layer.Layer.Success<ReturnType<typeof Store.layer>>

/** Runs `program` against the store at `url` and disposes the runtime (closing the database) afterwards. */
export const withStore = async <A, E>(url: string, program: Effect.Effect<A, E, StoreServices>): Promise<A> => {
  const runtime = ManagedRuntime.make(Store.layer(url))
  try {
    const exit = await runtime.runPromiseExit(program)
    if (Exit.isSuccess(exit)) return exit.value
    const failure = Cause.failureOption(exit.cause)
    throw failure._tag === "Some" ? toError(failure.value) : new Error(Cause.pretty(exit.cause))
  } finally {
    await runtime.dispose()
  }
}

const toError = (e: unknown): Error =>
  e instanceof Error
    ? Object.assign(new Error(e.message), { tag: (e as { _tag?: string })._tag })
    : new Error(String(e))
