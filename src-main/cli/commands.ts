/**
 * Every `rnn-lab` subcommand with its usage text: the one list that `rnn-lab --help`, `rnn-lab <command>
 * --help` and `rnn-lab help <command>` are made from. A new command is registered here, with its help.
 */
type Run = (argv: string[]) => Promise<number | void>

/** Loads a command's module only when it runs, so `--help` answers at once without loading tfjs. */
function lazy<M>(load: () => Promise<M>, pick: (m: M) => Run): Run {
  return async (argv) => pick(await load())(argv)
}

export interface CliCommand {
  name: string
  /** The synopsis line(s), as `rnn-lab <name> …`. */
  synopsis: string
  /** What it does, for the overview and the command's own help. */
  summary: string
  /** Its options, one per line, for `rnn-lab <name> --help`. */
  options?: string
  /** Exit code; -1 keeps the process running (serve). */
  run(argv: string[]): Promise<number | void>
}

const DATA_DIR = "--data-dir D     the data folder (default: the desktop app's; RNN_LAB_DATA_DIR overrides)"
const JSON_OUT = '--json           machine-readable output'
const QUEUE =
  '--queue URL      send the runs to the remote workers of this queue (redis://[user:password@]host:port[/db])\n' +
  '--gpu            with --queue: only to workers that have a GPU'

export const COMMANDS: CliCommand[] = [
  {
    name: 'serve',
    synopsis: 'rnn-lab serve [--port N] [--data-dir D] [--workers N] [--new-token] [--queue URL]',
    summary:
      'Serve the app to a browser on 127.0.0.1 (prints a URL with an access token). Runs until Ctrl-C.\n' +
      'The token is kept in <data dir>/serve-token: the same link works after a restart (until --new-token).',
    options:
      '--port N         port on 127.0.0.1 (default: a free one)\n--workers N      training worker threads (default: cores − 1, or the saved setting)\n' +
      '--new-token      a new access token (the old links and open pages stop working)\n' +
      `--queue URL      the queue of remote workers for this session (beats the one saved in Settings)\n${DATA_DIR}`,
    run: lazy(
      () => import('./serve-command'),
      (m) => async (argv) => {
        await m.serveCommand(argv)
        return -1
      }
    )
  },
  {
    name: 'doctor',
    synopsis: 'rnn-lab doctor [--repair] [--json]',
    summary:
      "Versions, data folder, the database's integrity check, and each training backend: used or skipped, and why.\n" +
      '--repair moves a damaged database aside so that a new one is created.',
    options: `--repair         move a damaged database aside (never done without this flag)\n${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./doctor-command'),
      (m) => m.doctorCommand
    )
  },
  {
    name: 'import',
    synopsis:
      'rnn-lab import <file> [--name N] [--kind csv|text] [--date-column C] [--date-format F]\n' +
      '               [--missing drop|ffill|interpolate] [--encoding E] [--vocabulary char|word] [--lowercase] [--json]',
    summary: 'Import a CSV time series or a text; exit 2 when the file is refused (the message says where).',
    options: `--kind csv|text  default: text for .txt/.text/.md, else csv\n--missing S      missing values: drop, ffill or interpolate (CSV)\n${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./dataset-commands'),
      (m) => m.importCommand
    )
  },
  {
    name: 'datasets',
    synopsis: 'rnn-lab datasets [--json]',
    summary: 'List the datasets.',
    options: `${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./dataset-commands'),
      (m) => m.datasetsCommand
    )
  },
  {
    name: 'dataset',
    synopsis: 'rnn-lab dataset <id> [--json]',
    summary: 'One dataset: columns, rows, content hash.',
    options: `${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./dataset-commands'),
      (m) => m.datasetCommand
    )
  },
  {
    name: 'rm-dataset',
    synopsis: 'rnn-lab rm-dataset <id> [--with-runs]',
    summary: 'Delete a dataset. Its runs keep their records and models but can no longer be re-run; --with-runs deletes them too.',
    options: `  --with-runs    also delete the runs that use the dataset (refused while one trains)\n${DATA_DIR}`,
    run: lazy(
      () => import('./dataset-commands'),
      (m) => m.rmDatasetCommand
    )
  },
  {
    name: 'train',
    synopsis:
      'rnn-lab train --dataset <id> --config <file.json> [--set path=value]… [--name N] [--workers N] [--queue URL [--gpu]] [--json]\n' +
      '       rnn-lab train --from <runId> [--set model.layers[0].units=64]… [--dataset <id>] [--name N] [--queue URL [--gpu]] [--json]',
    summary:
      'Train to completion (JSON lines with --json); exit 2 on an invalid config, 130 on Ctrl-C.\n' +
      '--from starts from a run\'s dataset and config (named "<run> (copy)"); --set path=value edits a field\n' +
      '(the value is JSON when it parses, else a string; only fields the config has; the result is validated).\n' +
      'A config is a forecast ({"task": "forecast", "window": …}) or a language model ({"task": "text", …}).',
    options: `${QUEUE}\n${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./train-command'),
      (m) => m.trainCommand
    )
  },
  {
    name: 'resume',
    synopsis: 'rnn-lab resume <runId> [--json]',
    summary: 'Continue an interrupted run from its last checkpoint, into the same run record (exit codes as train).',
    options: `${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./resume-command'),
      (m) => m.resumeCommand
    )
  },
  {
    name: 'predict',
    synopsis: 'rnn-lab predict <runId> [--steps k] [--checkpoint best|final] [--json]',
    summary: "Forecast k steps beyond the data with the run's saved model.",
    options: `${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./model-commands'),
      (m) => m.predictCommand
    )
  },
  {
    name: 'sample',
    synopsis:
      'rnn-lab sample <runId> [--prime TEXT] [--temperature T] [--top-k K] [--length N] [--seed S] [--checkpoint best|final] [--json]',
    summary: 'Generate text with a language-model run.',
    options: `${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./model-commands'),
      (m) => m.sampleCommand
    )
  },
  {
    name: 'runs',
    synopsis: 'rnn-lab runs [--dataset D] [--tag T] [--status S] [--sweep S] [--worker HOST|ID] [--sort METRIC] [--limit N] [--json]',
    summary: 'List runs; --sort takes a metric (test.rmse, -bestValLoss, config.training.learningRate).',
    options: `--worker HOST|ID runs trained on this worker machine (host name or worker id)\n${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./run-commands'),
      (m) => m.runsCommand
    )
  },
  {
    name: 'show',
    synopsis: 'rnn-lab show <runId> [--json]',
    summary: 'One run: status, dataset, backend, config.',
    options: `${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./run-commands'),
      (m) => m.showCommand
    )
  },
  {
    name: 'compare',
    synopsis: 'rnn-lab compare <runId...> [--json]',
    summary: 'Runs side by side: metrics and the config fields that differ.',
    options: `${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./run-commands'),
      (m) => m.compareCommand
    )
  },
  {
    name: 'sweep',
    synopsis: 'rnn-lab sweep --dataset <id> --config base.json --grid grid.json [--name N] [--workers N] [--queue URL [--gpu]] [--json]',
    summary: 'Grid ({"units": [16, 32], "lr": [0.001, 0.01]}), random search or seed repeats; waits for every trial.',
    options: `${QUEUE}\n${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./run-commands'),
      (m) => m.sweepCommand
    )
  },
  {
    name: 'rerun',
    synopsis: 'rnn-lab rerun <runId> [--queue URL [--gpu]] [--json]',
    summary: "A new run from a run's stored config and dataset; waits for it.",
    options: `${QUEUE}\n${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./run-commands'),
      (m) => m.rerunCommand
    )
  },
  {
    name: 'rm-run',
    synopsis: 'rnn-lab rm-run <runId...> [--json]',
    summary: 'Delete runs with their saved models (a queued or running run must be cancelled first).',
    options: `${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./run-commands'),
      (m) => m.rmRunCommand
    )
  },
  {
    name: 'export',
    synopsis: 'rnn-lab export <runId> --out DIR [--json]',
    summary: 'Write a run bundle (run.json, predictions.csv, models) to DIR.',
    options: `${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./run-commands'),
      (m) => m.exportCommand
    )
  },
  {
    name: 'import-run',
    synopsis: 'rnn-lab import-run DIR [--json]',
    summary: 'Import a run bundle written by export (another installation’s, say).',
    options: `${JSON_OUT}\n${DATA_DIR}`,
    run: lazy(
      () => import('./run-commands'),
      (m) => m.importRunCommand
    )
  },
  {
    name: 'worker',
    synopsis:
      'rnn-lab worker --queue redis://[user:password@]host:port[/db] [--workers N] [--gpu] [--backend wasm|cpu|tensorflow]\n' +
      '               [--cache-dir D] [--name ID] [--lock-ms MS]',
    summary:
      'Train runs that other machines send to the queue (train, sweep, rerun and serve take --queue URL). Runs until Ctrl-C;\n' +
      'a run still training then moves to another worker.',
    options:
      '--queue URL      the queue (BullMQ on Redis) to take runs from\n' +
      '--workers N      training threads on this machine (default 1)\n' +
      '--gpu            also take runs that ask for a GPU (this machine has one)\n' +
      '--backend B      the training backend: wasm, cpu or tensorflow (default: the best available)\n' +
      '--cache-dir D    where datasets fetched from the queue are kept (by content hash)\n' +
      "--name ID        this worker's id in the queue (letters, digits, . _ -)\n" +
      "--lock-ms MS     lock duration: a lost worker's run moves to another worker after about this long (default 30000)",
    run: lazy(
      () => import('./worker-command'),
      (m) => async (argv) => {
        await m.workerCommand(argv)
        return -1
      }
    )
  }
]

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name)
}

/** `rnn-lab <name> --help`. */
export function commandHelp(c: CliCommand): string {
  const indent = (text: string) => text.replace(/^/gm, '  ')
  return `Usage: ${c.synopsis}\n\n${indent(c.summary)}\n${c.options ? `\nOptions:\n${indent(c.options)}\n` : ''}`
}
