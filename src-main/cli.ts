/**
 * The `rnn-lab` command. Each command lives in src-main/cli/; all of them reach the core through the
 * contract, in this process (`serve` additionally binds it to HTTP + WebSocket).
 */
import { exitCodeFor, UsageError } from './cli/args'
import { datasetCommand, datasetsCommand, importCommand, rmDatasetCommand } from './cli/dataset-commands'
import { doctorCommand } from './cli/doctor-command'
import { serveCommand } from './cli/serve-command'
import { trainCommand } from './cli/train-command'
import { predictCommand, sampleCommand } from './cli/model-commands'
import { compareCommand, exportCommand, importRunCommand, rerunCommand, runsCommand, showCommand, sweepCommand } from './cli/run-commands'
import { defaultDataDir } from './services/data-dir'
import { APP_VERSION } from './services/version'

const HELP = `rnn-lab ${APP_VERSION} — experiment workbench for recurrent neural networks

Usage:
  rnn-lab serve [--port N] [--data-dir D] [--workers N]
      Serve the app to a browser on 127.0.0.1 (prints a URL with an access token).
  rnn-lab doctor [--json]
      Versions, data folder, and each training backend: used or skipped, and why.
  rnn-lab import <file> [--name N] [--kind csv|text] [--date-column C] [--date-format F]
                 [--missing drop|ffill|interpolate] [--encoding E] [--vocabulary char|word] [--json]
      Import a CSV time series or a text; exit 2 when the file is refused (the message says where).
  rnn-lab datasets [--json] | dataset <id> [--json] | rm-dataset <id> [--with-runs]
  rnn-lab train --dataset <id> --config <file.json> [--name N] [--json]
      Train to completion (JSON lines with --json); exit 2 on an invalid config, 130 on Ctrl-C.
  rnn-lab train --from <runId> [--set model.layers[0].units=64]… [--dataset <id>] [--name N] [--json]
      A new run from a run's dataset and config, edited by --set path=value (JSON when it parses).
      A config is a forecast ({"task": "forecast", "window": …}) or a language model ({"task": "text", …}).
  rnn-lab predict <runId> [--steps k] [--json]
      Forecast k steps beyond the data with the run's saved model.
  rnn-lab sample <runId> [--prime TEXT] [--temperature T] [--top-k K] [--length N] [--json]
      Generate text with a language-model run.
  rnn-lab runs [--dataset D] [--tag T] [--status S] [--sort METRIC] [--json]
      List runs; --sort takes a metric (test.rmse, -bestValLoss, config.training.learningRate).
  rnn-lab show <runId> [--json] | compare <runId...> [--json]
  rnn-lab sweep --dataset <id> --config base.json --grid grid.json [--workers N] [--json]
      Grid ({"units": [16, 32], "lr": [0.001, 0.01]}), random search or seed repeats.
  rnn-lab rerun <runId> | export <runId> --out DIR | import-run DIR
  rnn-lab --help | --version

Every command takes --data-dir D. The data folder defaults to the desktop app's
(${defaultDataDir()}); RNN_LAB_DATA_DIR overrides it.
`

type Command = (argv: string[]) => Promise<number | void>

const COMMANDS: Record<string, Command> = {
  serve: async (argv) => {
    await serveCommand(argv)
    return -1 // keeps running until a signal
  },
  doctor: doctorCommand,
  import: importCommand,
  datasets: datasetsCommand,
  dataset: datasetCommand,
  'rm-dataset': rmDatasetCommand,
  train: trainCommand,
  predict: predictCommand,
  sample: sampleCommand,
  runs: runsCommand,
  show: showCommand,
  compare: compareCommand,
  rerun: rerunCommand,
  export: exportCommand,
  'import-run': importRunCommand,
  sweep: sweepCommand
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(HELP)
      return 0
    }
    if (command === '--version' || command === '-v') {
      console.log(APP_VERSION)
      return 0
    }
    const run = COMMANDS[command]
    if (!run) throw new UsageError(`Unknown command "${command}". Run \`rnn-lab --help\`.`)
    return (await run(rest)) ?? 0
  } catch (err) {
    console.error(`rnn-lab: ${(err as Error).message}`)
    return exitCodeFor(err)
  }
}

main(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exit(code)
})
