// How the shell and its bench print an error: one line, no stack frames of the framework's own.

/** `PaymentDeclined: insufficient_funds`: a remote error by its type and value, any other by name and message. */
export function oneLineError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const remote = error as Error & { excType?: string; value?: string };
  if (typeof remote.excType === 'string') return `${remote.excType}: ${remote.value ?? ''}`.trim();
  const name = error.constructor?.name && error.constructor.name !== 'Error' ? error.constructor.name : error.name;
  return `${name}: ${error.message.split('\n')[0]}`;
}
