import { UserInputError } from '@edgefit/core';
import type { Pass } from './pass.js';

/** The one explicit registry of passes: unknown or duplicate names are errors. */
export class PassRegistry {
  private readonly passes = new Map<string, Pass>();

  register(pass: Pass): this {
    if (this.passes.has(pass.name)) throw new Error(`pass '${pass.name}' is registered twice`);
    this.passes.set(pass.name, pass);
    return this;
  }

  get(name: string): Pass {
    const pass = this.passes.get(name);
    if (!pass) throw new UserInputError(`unknown pass '${name}'; known passes: ${this.names().join(', ') || '(none)'}`);
    return pass;
  }

  has(name: string): boolean {
    return this.passes.has(name);
  }

  names(): string[] {
    return [...this.passes.keys()];
  }

  all(): Pass[] {
    return [...this.passes.values()];
  }
}
