/** Why a call of the public API was refused. */
export type JanApiErrorCode =
  /** An argument did not match its type (the message names the field). */
  | 'INVALID_ARGUMENT'
  /** Another caller registered this id, or the user declined access to threads. */
  | 'CONFLICT'
  | 'NOT_ALLOWED'
  | 'NOT_FOUND';

export class JanApiError extends Error {
  constructor(
    readonly code: JanApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'JanApiError';
  }
}
