/**
 * The session cannot continue: task-api refused the refresh token (expired session, logout,
 * password change, reuse detected, deleted account), or the live stream ended with `signed_out`. The user has to sign in again; retrying will not help, unlike a network
 * error or a 5xx during refresh, which surface as they are.
 */
export class SignedOutError extends Error {
  override readonly name = 'SignedOutError';

  constructor(
    /**
     * The refresh answer's status (401, or 403 when the cookie form was refused); 401 when the
     * stream said the session ended.
     */
    readonly status: number,
    message = `signed out: the refresh was refused (${status})`,
  ) {
    super(message);
  }
}
