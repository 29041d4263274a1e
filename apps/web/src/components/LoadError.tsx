interface LoadErrorProps {
  readonly title: string
  readonly error: Error
  readonly onRetry: () => void
}

/** What failed, the API's own message, and a way to try again. */
export function LoadError({ title, error, onRetry }: LoadErrorProps) {
  return (
    <div className="load-error" role="alert">
      <p className="load-error-title">{title}</p>
      <p className="load-error-message">{error.message}</p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  )
}
