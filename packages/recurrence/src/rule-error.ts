/** A rule that cannot be accepted; `part` names the RRULE part (or option) at fault. */
export class RuleError extends Error {
  constructor(
    readonly part: string,
    message: string,
  ) {
    super(`${part}: ${message}`);
    this.name = 'RuleError';
  }
}
