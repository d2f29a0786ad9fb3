/** The `rnn-lab` executable's entry (built to out/main/cli.js): runs the command line and exits with its code. */
import { runCli } from './cli/main'

runCli(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exit(code)
})
