import { buildProgram } from './cli-program.js';
import { reportError } from './cli-errors.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err);
}
