import { Command } from 'commander';
import { registerInspectCommand } from './commands/inspect-command.js';
import { registerTrainCommand } from './commands/train-command.js';
import { registerEvalCommand } from './commands/eval-command.js';
import { registerBenchCommand } from './commands/bench-command.js';
import { registerCompressCommand } from './commands/compress-command.js';
import { registerDevicesCommand } from './commands/devices-command.js';
import { registerPredictCommand } from './commands/predict-command.js';
import { registerSearchCommand } from './commands/search-command.js';
import { registerProfileDeviceCommand } from './commands/profile-device-command.js';

export function buildProgram(): Command {
  const program = new Command('edgefit')
    .description('hardware-aware AutoML search for deep-learning model compression')
    .version('0.1.0')
    .showHelpAfterError(false)
    .exitOverride()
    // Usage errors are one line on stderr (the contract), without help text.
    .configureOutput({
      writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `edgefit: ${s.split('\n')[0]}\n` : s),
    });
  for (const register of [
    registerTrainCommand,
    registerInspectCommand,
    registerEvalCommand,
    registerBenchCommand,
    registerCompressCommand,
    registerDevicesCommand,
    registerPredictCommand,
    registerSearchCommand,
    registerProfileDeviceCommand,
  ]) {
    register(program);
  }
  program.commands.forEach((c) => c.exitOverride().configureOutput(program.configureOutput()));
  return program;
}
