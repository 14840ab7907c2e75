/**
 * Transfer progress on stderr: a live bar (bytes, rate, ETA) on a terminal, and a few plain
 * lines (`pushing x.tar.gz: 50% ...`) when stderr is a file or a pipe, where a redrawn bar would
 * be noise in a log.
 */
import cliProgress from 'cli-progress';
import { formatBytes } from './output.js';

export interface TransferProgress {
  /** Total bytes moved so far. */
  update(transferred: number): void;
  /** The transfer ended well: the bar shows 100% and stops. */
  finish(): void;
  /** The transfer failed: the bar stops where it was. */
  abort(): void;
}

export interface ProgressOptions {
  /** `pushing` or `pulling`. */
  verb: string;
  /** What moves, e.g. the archive's file name. */
  label: string;
  /** Expected bytes, when known. */
  total: number | undefined;
  stream?: NodeJS.WriteStream;
  /** False: report nothing (e.g. `-o json` into a pipe). */
  enabled?: boolean;
  now?: () => number;
}

const SILENT: TransferProgress = { update() {}, finish() {}, abort() {} };
// Plain lines: one per 25% step at most, so a log holds five lines per transfer, not hundreds.
const PLAIN_STEP = 25;

export function createTransferProgress(options: ProgressOptions): TransferProgress {
  if (options.enabled === false) return SILENT;
  const stream = options.stream ?? process.stderr;
  return stream.isTTY ? barProgress(options, stream) : plainProgress(options, stream);
}

function rateOf(bytes: number, startedAt: number, now: number): number {
  const seconds = (now - startedAt) / 1000;
  return seconds > 0 ? bytes / seconds : 0;
}

function barProgress(options: ProgressOptions, stream: NodeJS.WriteStream): TransferProgress {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const total = options.total && options.total > 0 ? options.total : 0;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${options.verb} ${options.label} [{bar}] {percentage}% | {done} of {size} | {rate} | ETA {eta_formatted}`,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let last = 0;
  const payload = (bytes: number) => ({
    done: formatBytes(bytes),
    size: total ? formatBytes(total) : '?',
    rate: `${formatBytes(rateOf(bytes, startedAt, now()))}/s`,
  });
  bar.start(total || 1, 0, payload(0));
  let stopped = false;
  return {
    update(transferred) {
      last = transferred;
      if (!stopped) bar.update(total ? Math.min(transferred, total) : 0, payload(transferred));
    },
    finish() {
      if (stopped) return;
      stopped = true;
      bar.update(total || 1, payload(total || last));
      bar.stop();
    },
    abort() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

function plainProgress(options: ProgressOptions, stream: NodeJS.WritableStream): TransferProgress {
  const now = options.now ?? Date.now;
  const startedAt = now();
  let lastStep = 0;
  let last = 0;
  let done = false;
  const line = (transferred: number, percent: number | undefined) => {
    const of = options.total ? ` of ${formatBytes(options.total)}` : '';
    const rate = `${formatBytes(rateOf(transferred, startedAt, now()))}/s`;
    const head = percent === undefined ? '' : ` ${percent}%`;
    stream.write(`${options.verb} ${options.label}:${head} (${formatBytes(transferred)}${of}, ${rate})\n`);
  };
  return {
    update(transferred) {
      last = transferred;
      if (done || !options.total) return;
      const percent = Math.min(100, Math.floor((transferred / options.total) * 100));
      const step = Math.floor(percent / PLAIN_STEP) * PLAIN_STEP;
      if (step > lastStep && step < 100) {
        lastStep = step;
        line(transferred, step);
      }
    },
    finish() {
      if (done) return;
      done = true;
      line(options.total || last, options.total ? 100 : undefined);
    },
    abort() {
      done = true;
    },
  };
}
