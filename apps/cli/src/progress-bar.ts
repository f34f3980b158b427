import { SingleBar, Presets } from 'cli-progress';

/** Training progress on stderr (stdout stays clean for --json). */
export function trainingProgressBar(label: string): { update: (p: { epoch: number; epochs: number; step: number; steps: number; loss: number; valMetric?: number }) => void; stop: () => void } {
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: `${label} |{bar}| epoch {epoch}/{epochs} step {value}/{total} loss {loss} val {val} eta {eta_formatted}`,
      hideCursor: false,
      etaBuffer: 50,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    Presets.shades_classic,
  );
  let started = false;
  let lastEpoch = -1;
  return {
    update(p) {
      const payload = { epoch: p.epoch, epochs: p.epochs, loss: p.loss.toFixed(4), val: p.valMetric === undefined ? '-' : p.valMetric.toFixed(4) };
      if (!started) {
        bar.start(p.steps, p.step, payload);
        started = true;
      } else if (p.epoch !== lastEpoch) {
        bar.setTotal(p.steps);
      }
      lastEpoch = p.epoch;
      bar.update(p.step, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
