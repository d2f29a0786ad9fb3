// A really full disk (a small tmpfs; skipped where this user cannot mount one): a model save leaves
// no temp folder, and `rnn-lab train` ends the run failed with the one STORAGE message, no stack.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { saveModelToDir } from '../../src-main/engine/save-model'
import { useTeardown } from '../helpers/core'
import { cliFolderIn, jsonLines, runCli } from '../helpers/cli-process'
import { smallDisk } from '../helpers/small-disk'

const teardown = useTeardown()
const disk = smallDisk(64)
if (disk) disk.remove()

describe.skipIf(!disk)('a full disk (real tmpfs; needs permission to mount)', () => {
  it('a model save that runs out of space leaves no temp folder and the previous model intact', async () => {
    const d = smallDisk(64)!
    teardown.push(async () => d.remove())
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [4] })] })
    await saveModelToDir(tf, model, join(d.dir, 'best'))
    const big = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [256] })] })
    await expect(saveModelToDir(tf, big, join(d.dir, 'best'))).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(readdirSync(d.dir)).toEqual(['best'])
    expect(readdirSync(join(d.dir, 'best')).sort()).toEqual(['model.json', 'weights.bin'])
  })

  it('rnn-lab train on a disk that fills: one STORAGE message, no stack, exit 1, run failed, no temp folders', async () => {
    const d = smallDisk(16 * 1024)!
    teardown.push(async () => d.remove())
    const f = await cliFolderIn(d.dir, 5000)
    d.resize(d.used() + 400)
    const train = await runCli(['train', '--dataset', f.datasetId, '--config', f.config, '--data-dir', f.dir, '--json'], {
      RNN_LAB_CHECKPOINT_SECONDS: '0'
    })
    expect(train.code).toBe(1)
    expect(train.stderr).not.toMatch(/\n\s+at |SqliteError|Error:/)
    const run = jsonLines(train.stdout).find((l) => l.type === 'run')!
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(/^Could not write to the data folder \(.*\): the disk is full \((SQLITE_FULL|ENOSPC)\)\./)
    const runDir = join(f.dir, 'runs', run.id as string)
    if (existsSync(runDir)) expect(readdirSync(runDir).filter((n) => /\.(tmp|old)-/.test(n))).toEqual([])
  }, 300_000)
})
