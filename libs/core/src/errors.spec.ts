import { describe, expect, it } from 'vitest';
import { EdgefitError, InvalidModelError, UserInputError, errorLine, isUserInputError } from './errors.js';

describe('error hierarchy', () => {
  it('classifies user errors and keeps codes', () => {
    const e = new InvalidModelError('bad.onnx: empty file');
    expect(e).toBeInstanceOf(UserInputError);
    expect(e).toBeInstanceOf(EdgefitError);
    expect(e.code).toBe('INVALID_MODEL');
    expect(e.name).toBe('InvalidModelError');
    expect(isUserInputError(e)).toBe(true);
    expect(isUserInputError(new Error('x'))).toBe(false);
  });

  it('errorLine keeps only the first line', () => {
    expect(errorLine(new Error('first\nsecond'))).toBe('first');
    expect(errorLine('plain')).toBe('plain');
  });
});
