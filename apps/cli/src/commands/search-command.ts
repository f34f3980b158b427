import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import type { SearchProgress, SearchResult } from '@edgefit/search';
import { emitResult, log, table } from '../cli-output.js';
import { floatOption, intOption } from '../cli-options.js';

interface SearchFlags {
  trials?: number;
  sampler?: string;
  seed?: number;
  out?: string;
  db: string;
  resume?: boolean;
  study?: string;
  cacheDir: string;
  wallTime?: number;
  progress: boolean;
  json?: boolean;
}

// The search engine (and through it the passes, tfjs and onnxruntime) is imported when the command runs,
// so registering it costs the other commands nothing. The names are checked again by createSampler.
const SAMPLER_NAMES = ['random', 'grid', 'sobol', 'nsga2', 'motpe'] as const;
const DEFAULT_DB_PATH = '.edgefit/edgefit.db';

function samplerOption(value: string): string {
  const v = value === 'tpe' ? 'motpe' : value;
  if (!(SAMPLER_NAMES as readonly string[]).includes(v)) throw new InvalidArgumentError(`--sampler must be one of ${SAMPLER_NAMES.join(', ')}, got '${value}'`);
  return v;
}

const fmtMs = (ms: number | undefined): string => {
  if (ms === undefined || !Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/** Trials, best value per objective, hypervolume and ETA on stderr (stdout stays clean for --json). */
function searchProgressBar(enabled: boolean, formatMetric: (name: string, v: number | undefined) => string): { update: (p: SearchProgress) => void; stop: () => void } {
  if (!enabled) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: 'search |{bar}| {value}/{total} trials ({failed} failed) | best {best} | HV {hv} | ETA {etaText}',
      hideCursor: false,
      noTTYOutput: true,
      notTTYSchedule: 5_000,
      barsize: 24,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const best = Object.entries(p.best)
        .map(([k, v]) => `${k.replace(/@.*/, '')} ${formatMetric(k, v)}`)
        .join(', ') || '-';
      const payload = { failed: p.failed, best, hv: p.hypervolume.toPrecision(4), etaText: fmtMs(p.etaMs) };
      const total = p.total ?? Math.max(p.finished + 1, 1);
      if (!started) {
        bar.start(total, p.finished, payload);
        started = true;
      }
      bar.setTotal(total);
      bar.update(p.finished, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function frontTable(r: SearchResult, formatMetric: (name: string, v: number | undefined) => string): string {
  const objs = r.study.objectives.map((o) => o.name);
  const headers = ['trial', ...objs, 'testAccuracy', 'passes', 'model'];
  const rows = r.front.map((f) => [
    `${f.trial}${r.knee?.trial === f.trial ? ' *' : ''}`,
    ...objs.map((o) => formatMetric(o, f.metrics[o])),
    formatMetric('testAccuracy', f.metrics.testAccuracy),
    f.passes.join('+') || 'none',
    f.artifact,
  ]);
  if (r.baseline) rows.unshift(['base', ...objs.map((o) => formatMetric(o, r.baseline![o])), formatMetric('testAccuracy', r.baseline.testAccuracy), 'uncompressed', '']);
  return table(headers, rows);
}

export function registerSearchCommand(program: Command): void {
  program
    .command('search <experiment>')
    .description('search compression configs of an experiment file (YAML/JSON); prints the Pareto front, saves its models and an HTML report')
    .option('--trials <n>', 'trials in total (overrides budget.trials; resumed trials count)', intOption('--trials', 1, 1_000_000))
    .option('--sampler <name>', `sampler: ${SAMPLER_NAMES.join(', ')} (overrides the file)`, samplerOption)
    .option('--seed <n>', 'seed of the sampler, calibration draws and validation subset (overrides the file)', intOption('--seed', 0, 2 ** 31 - 1))
    .option('--wall-time <minutes>', 'stop asking for trials after this many minutes (overrides budget.wallTimeMinutes)', floatOption('--wall-time', 0.01, 100_000))
    .option('--out <dir>', 'folder for front/trial-<n>.onnx and report.html (default .edgefit/runs/<study>)')
    .option('--db <path>', 'SQLite database of studies', DEFAULT_DB_PATH)
    .option('--resume', 'continue the stored study of this experiment, sampler and seed')
    .option('--study <id>', 'study id to create or resume')
    .option('--cache-dir <dir>', 'content-addressed cache of compressed models', '.edgefit/cache')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print one JSON object on stdout')
    .action(async (file: string, flags: SearchFlags) => {
      const { formatMetric, loadExperiment, runExperiment } = await import('@edgefit/search');
      const { SqliteStudyStorage } = await import('@edgefit/store');
      const exp = loadExperiment(file);
      const sampler = flags.sampler ?? exp.sampler;
      const seed = flags.seed ?? exp.seed;
      const outDir = flags.out ?? join('.edgefit', 'runs', `${exp.name}-${sampler}-seed${seed}`);
      const storage = new SqliteStudyStorage(flags.db);
      const bar = searchProgressBar(flags.progress !== false, formatMetric);
      let result: SearchResult;
      try {
        log(`search ${exp.name}: ${exp.objectives.map((o) => `${o.direction} ${o.name}`).join(', ')}; sampler ${sampler}, seed ${seed}`);
        result = await runExperiment(exp, {
          storage,
          sampler,
          seed,
          outDir,
          cacheDir: flags.cacheDir,
          ...(flags.trials !== undefined ? { trials: flags.trials } : {}),
          ...(flags.wallTime !== undefined ? { wallTimeMs: flags.wallTime * 60_000 } : {}),
          ...(flags.resume ? { resume: true } : {}),
          ...(flags.study ? { studyId: flags.study } : {}),
          log: (m) => log(m),
          onProgress: (p) => bar.update(p),
        });
      } finally {
        bar.stop();
        storage.close();
      }
      const { trialRecords: _records, hypervolumeHistory: _history, ...rest } = result;
      const json = {
        ...rest,
        db: flags.db,
        front: result.front.map((f) => ({ trial: f.trial, config: f.config, metrics: f.metrics, artifact: f.artifact, passes: f.passes, ...(f.beatsBaseline !== undefined ? { beatsBaseline: f.beatsBaseline } : {}) })),
        knee: result.knee ? { trial: result.knee.trial, config: result.knee.config, metrics: result.knee.metrics, artifact: result.knee.artifact } : null,
      };
      emitResult(flags, json, () => {
        const lines = [
          `study ${result.study.id}: ${result.trials} trials (${result.completed} complete, ${result.failed} failed${result.pruned ? `, ${result.pruned} pruned` : ''}) in ${result.seconds.toFixed(1)} s; hypervolume ${result.hypervolume.toPrecision(6)}`,
          '',
          result.front.length ? frontTable(result, formatMetric) : 'no feasible trial: the front is empty (loosen the constraints or raise the budget)',
          '',
          result.baseline ? `${result.front.filter((f) => f.beatsBaseline).length} front model(s) beat the uncompressed one (no worse on every minimized objective, better on one, within 1 point of its accuracy)` : '',
          result.knee ? `recommended (knee point): trial ${result.knee.trial} → ${result.knee.artifact}` : '',
          result.report ? `report: ${result.report}` : '',
        ];
        return lines.filter((l, i) => l !== '' || i === 1 || i === 3).join('\n');
      });
    });
}
