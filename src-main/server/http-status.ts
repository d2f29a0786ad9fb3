/** The HTTP status of a contract error code (the HTTP binding's only mapping; the core knows no HTTP). */
export function httpStatusFor(code: string): number {
  switch (code) {
    case 'VALIDATION':
      return 400
    case 'UNAUTHORIZED':
      return 401
    case 'FORBIDDEN':
      return 403
    case 'NOT_FOUND':
    case 'UNKNOWN_OPERATION':
      return 404
    case 'CONFLICT':
      return 409
    case 'IMPORT':
      return 422
    case 'STORAGE':
      return 507
    case 'NOT_AVAILABLE':
      return 501
    default:
      return 500
  }
}
