/**
 * The `rnn-lab` command line: finds the subcommand, answers `--help` for it or for the whole tool, and
 * turns errors into one line and an exit code. Every command reaches the core through the contract
 * (src-main/cli/local-core.ts), in this process; `serve` additionally binds it to HTTP + WebSocket.
 */
import { defaultDataDir } from '../services/data-dir'
import { APP_VERSION } from '../services/version'
import { exitCodeFor, UsageError } from './args'
import { COMMANDS, commandHelp, findCommand } from './commands'

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help'

function overview(): string {
  const lines = COMMANDS.map((c) => `  ${c.synopsis.replace(/\n/g, '\n  ')}\n      ${c.summary.replace(/\n/g, '\n      ')}`)
  return (
    `rnn-lab ${APP_VERSION} — experiment workbench for recurrent neural networks\n\nUsage:\n${lines.join('\n')}\n` +
    `  rnn-lab <command> --help | rnn-lab --help | --version\n\n` +
    `Every command takes --data-dir D. The data folder defaults to the desktop app's\n(${defaultDataDir()}); RNN_LAB_DATA_DIR overrides it.\n`
  )
}

/** Runs one command line; resolves to the exit code (-1: keep running, as `serve` does). */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  try {
    if (name === undefined || isHelp(name)) return printHelp(rest[0])
    if (name === '--version' || name === '-v') {
      console.log(APP_VERSION)
      return 0
    }
    const command = findCommand(name)
    if (!command) throw new UsageError(`Unknown command "${name}". Run \`rnn-lab --help\`.`)
    if (rest.includes('--help') || rest.includes('-h')) return printHelp(name)
    return (await command.run(rest)) ?? 0
  } catch (err) {
    console.error(`rnn-lab: ${(err as Error).message}`)
    return exitCodeFor(err)
  }
}

/** The overview, or one command's help (`rnn-lab help train`). */
function printHelp(name: string | undefined): number {
  if (name === undefined) {
    process.stdout.write(overview())
    return 0
  }
  const command = findCommand(name)
  if (!command) throw new UsageError(`Unknown command "${name}". Run \`rnn-lab --help\`.`)
  process.stdout.write(commandHelp(command))
  return 0
}
