import { IConstruct } from 'constructs';

/** A prop value the construct cannot accept. The message names the prop and what is allowed. */
export class PropError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropError';
  }
}

/**
 * Runs a construct's set-up and puts the construct's path in front of any `PropError` it throws,
 * so that with several instances in a stack the message alone says which one is wrong.
 */
export function withConstructPath<T>(scope: IConstruct, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof PropError)) throw error;
    const located = new Error(`${scope.constructor.name} '${scope.node.path}': ${error.message}`);
    located.name = 'ValidationError';
    throw located;
  }
}
