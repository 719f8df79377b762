/**
 * A problem with what the user gave the local runner (a path, a construct, a fixture), reported
 * as its message alone: the command prints it without a stack trace and exits 2.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
