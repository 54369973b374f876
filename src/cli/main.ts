import { Command, CommanderError, Option } from 'commander'
import { isLabError, LabError } from '../shared/lab-error'
import { BACKEND_NAMES } from '../shared/backend'
import { APP_VERSION } from '../lab/app-version'
import type { StyleFlags } from './commands/export-figure'
import { EXPORT_FIGURE_HELP, EXPORT_FIGURES, EXPORT_FORMATS, FOURIER_VIEWS, HEATMAP_SCALES } from '../shared/figures/export/export-request'
import { FONT_FAMILIES, LEGEND_POSITIONS, TICK_FORMATS } from '../shared/figures/export/figure-style'
import { CLOCK_X_AXES } from '../shared/figures/clock-plot'
import { addClusterCommands, slurmOptions } from './cluster-commands'
import { collect } from './collect-option'
import { addLibraryCareCommands } from './library-care-commands'
import { damagedLibraryLine, isDamaged } from '../lab/store/library-damage'

// A command's module loads only when that command runs: the figure-export stack alone (ECharts)
// takes over a second to load, and `grokking-lab runs` should not wait for it.
const commands = {
  analyze: () => import('./commands/analyze'),
  bench: () => import('./commands/bench'),
  checkRecover: () => import('./commands/check-recover'),
  exportFigure: () => import('./commands/export-figure'),
  importExport: () => import('./commands/import-export'),
  info: () => import('./commands/info'),
  library: () => import('./commands/library'),
  progress: () => import('./commands/progress'),
  series: () => import('./commands/series'),
  serve: () => import('./commands/serve'),
  sweep: () => import('./commands/sweep'),
  train: () => import('./commands/train'),
}


function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('grokking-lab')
    .description('Train small models on modular arithmetic, keep every run in a local library, and measure grokking.')
    .version(APP_VERSION)
    .exitOverride()
    .showHelpAfterError()
  const db = () => new Option('--db <path>', 'run library file (default: GROKKING_LAB_DB or the app user-data folder)')
  const json = () => new Option('--json', 'print one JSON document on stdout')
  const backend = () => new Option('--backend <name>', 'tfjs backend').choices(['auto', ...BACKEND_NAMES])

  program
    .command('train')
    .description('train a new run from a preset or a JSON config file')
    .option('--preset <name>', "a named config ('grokking-lab presets' lists them)")
    .option('--config <file>', 'a JSON file of config keys')
    .option('--set <key=value>', 'override one config key (repeatable), e.g. --set wd=0.1', collect)
    .option('--steps <n>', 'number of training steps (same as --set steps=N)')
    .addOption(backend().default('auto'))
    .option('--name <name>', 'a name for the run (default: the preset name)')
    .option('--tag <tag>', 'tag the run (repeatable)', collect)
    .addOption(db())
    .addOption(json())
    .action(async (opts) => setExit(await (await commands.train()).trainCommand(opts)))

  program
    .command('resume')
    .argument('<run>', 'run id')
    .description("continue an interrupted or cancelled run from its last checkpoint (weights and optimizer state)")
    .addOption(backend())
    .addOption(db())
    .addOption(json())
    .action(async (run, opts) => setExit(await (await commands.train()).resumeCommand(run, opts)))

  program.command('presets').description('list the preset configs and what each should show').addOption(json()).action(async (opts) => setExit(await (await commands.info()).presetsCommand(opts)))
  program.command('runs').description('list the runs in the library').addOption(db()).addOption(json()).action(async (opts) => setExit(await (await commands.library()).runsCommand(opts)))
  program
    .command('show')
    .argument('<run>', 'run id')
    .description('show one run: config, final metrics, clocks, stored series and snapshots')
    .addOption(db())
    .addOption(json())
    .action(async (run, opts) => setExit(await (await commands.library()).showCommand(run, opts)))
  program
    .command('delete')
    .argument('<run>', 'run id')
    .description('delete a run with its metrics, snapshots and checkpoint')
    .addOption(db())
    .addOption(json())
    .action(async (run, opts) => setExit(await (await commands.library()).deleteCommand(run, opts)))
  program
    .command('import')
    .argument('<file>', 'a .safetensors checkpoint (TransformerLens names for transformer-1l; E, W_in, b_in, W_out, b_out for embed-mlp)')
    .description("make an 'imported' run from weights trained elsewhere, evaluated on all pairs")
    .requiredOption('--model <name>', 'the model the weights are for: embed-mlp or transformer-1l')
    .requiredOption('--p <n>', 'the modulus p')
    .option('--op <op>', 'the operation the model computes (default add)')
    .option('--frac <f>', 'train fraction of the split analyses use (default 0.3 for transformer-1l, 0.4 for embed-mlp)')
    .option('--seed <n>', 'seed of that split (default 0)')
    .option('--name <name>', 'a name for the run (default: the file name)')
    // One forward pass: wasm is plenty, and skips probing GPUs (and their driver warnings).
    .addOption(backend().default('wasm'))
    .addOption(db())
    .addOption(json())
    .action(async (file, opts) => setExit(await (await commands.importExport()).importCommand(file, opts)))
  program
    .command('export-weights')
    .argument('<run>', 'run id')
    .description('write a weight snapshot of a run as a .safetensors file (the format import reads)')
    .requiredOption('--out <file>', 'the .safetensors file to write')
    .option('--step <n>', 'the snapshot step (default: the last snapshot)')
    .addOption(db())
    .addOption(json())
    .action(async (run, opts) => setExit(await (await commands.importExport()).exportWeightsCommand(run, opts)))
  program
    .command('backends')
    .description('list the tfjs backends, whether each loads here, and which one auto picks')
    .addOption(json())
    .action(async (opts) => setExit(await (await commands.info()).backendsCommand(opts)))
  program
    .command('series')
    .argument('<runs...>', 'run ids')
    .description('metric curves of runs on a time axis: step, log step, or the slow clock λ·η·t')
    .option('--metric <name>', 'a metric to print (repeatable; default train_acc and test_acc)', collect)
    .option('--time-axis <axis>', 'step, log or lambda-t (default step)')
    .option('--every <k>', 'keep every k-th point')
    .addOption(db())
    .addOption(json())
    .action(async (runs, opts) => setExit(await (await commands.series()).seriesCommand(runs, opts)))
  const sweep = program
    .command('sweep')
    .description('train a grid of configs × seeds as one sweep, from a queue; resumable; prints the sweep report')
    .option('--preset <name>', 'the base config')
    .option('--config <file>', 'a JSON file of config keys as the base config')
    .option('--set <key=value>', 'override one base config key (repeatable)', collect)
    .option('--steps <n>', 'training steps of every run')
    .option('--grid <key=v1,v2,…>', 'a swept key and its values (repeatable: the grid is their product)', collect)
    .option('--seeds <n>', 'seeds per grid point, from the base seed up (default 1)')
    .option('--concurrency <n>', 'worker processes at once (default 1)')
    .option('--batch <k>', 'runs of one shape trained together as one batch per worker (embed-MLP, transformer-1L; default: up to 8, spread so every worker gets some; 1 = off)')
    .option('--resume <sweep>', 'continue a sweep that was stopped or killed')
    .option('--name <name>', 'a name for the sweep')
    .addOption(backend().default('auto'))
    .addOption(db())
    .addOption(json())
  for (const option of slurmOptions()) sweep.addOption(option)
  sweep.action(async (opts) => setExit(await (await commands.sweep()).sweepCommand(opts)))
  program.command('sweeps').description('list the sweeps in the library').addOption(db()).addOption(json()).action(async (opts) => setExit(await (await commands.sweep()).sweepsCommand(opts)))
  program
    .command('sweep-report')
    .argument('<sweep>', 'sweep id')
    .description("clocks and phase of each run of a sweep, and each clock's scaling fit against the swept keys")
    .addOption(db())
    .addOption(json())
    .action(async (sweep, opts) => setExit(await (await commands.sweep()).sweepReportCommand(sweep, opts)))
  program
    .command('analyze')
    .argument('<run>', 'run id')
    .description('clocks, final measurements, Fourier and spectral summaries of a run at a snapshot (default: the last)')
    .option('--step <n>', 'analyse the weights of this snapshot step')
    .option('--epsilon <ε>', 'T_fit threshold on the train loss (default 0.01)')
    .option('--accuracy <a>', 'T_mem / T_gen accuracy threshold (default 0.99)')
    .option('--delta <δ>', 'T_struct relative band around the final structural energy (default 0.05)')
    .option('--churn <c>', 'T_freeze threshold on the ReLU pattern churn (default 0.01)')
    .addOption(db())
    .addOption(json())
    .action(async (run, opts) => setExit(await (await commands.analyze()).analyzeCommand(run, opts)))
  program
    .command('progress')
    .argument('<run>', 'run id (a modular embed-MLP or transformer-1L run, op add or sub)')
    .description("Nanda et al.'s progress measures at every snapshot: restricted and excluded loss, sum of squared weights (stored as series)")
    .addOption(backend().default('wasm'))
    .addOption(db())
    .addOption(json())
    .action(async (run, opts) => setExit(await (await commands.progress()).progressCommand(run, opts)))
  program
    .command('serve')
    .description('serve the app and its typed API to a browser on this machine (docs/http-api.md); prints the URL with its token')
    .option('--port <n>', 'port to listen on (default 5170; 0 picks a free one)')
    .option('--host <address>', 'address to bind (default 127.0.0.1; another makes the lab reachable from other machines)')
    .option('--open', 'open the URL in the default browser')
    .addOption(db())
    .action(async (opts) => setExit(await (await commands.serve()).serveCommand(opts)))
  const styleFlags = (c: Command) =>
    c
      .option('--width <length>', 'figure width: 85mm, 8.5cm, 3.35in or 240pt (style default: one column, 85 mm)')
      .option('--height <length>', 'figure height (style default 60 mm)')
      .option('--dpi <n>', 'PNG resolution (default 300)')
      .addOption(new Option('--font <family>', 'font family, embedded in PDF and PNG').choices([...FONT_FAMILIES]))
      .option('--font-size <pt>', 'font size in points (default 8)')
      .option('--line-width <pt>', 'curve width in points (default 1)')
      .option('--title <text>', "the figure's title ('' leaves it out)")
      .option('--x-label <text>', 'x axis label, e.g. λ·η·t')
      .option('--y-label <text>', 'y axis label, e.g. ‖θ‖')
      .addOption(new Option('--legend <where>', 'legend position').choices([...LEGEND_POSITIONS]))
      .addOption(new Option('--ticks <format>', 'tick label format').choices([...TICK_FORMATS]))
      .option('--grid', 'draw grid lines')
      .option('--no-grid', 'no grid lines')
      .option('--log-x', 'log x axis')
      .option('--linear-x', 'linear x axis')
      .addOption(new Option('--background <fill>', 'page background').choices(['white', 'transparent']))
  styleFlags(
    program
      .command('export')
      .argument('[runs]', 'run ids, comma-separated (sweep and phase figures take --sweep instead)')
      .description('export a figure as SVG, PDF, PNG, pgfplots or its exact data, headless (docs/export.md)')
      .addOption(new Option('--figure <name>', Object.entries(EXPORT_FIGURE_HELP).map(([k, v]) => `${k}: ${v}`).join('; ')).choices([...EXPORT_FIGURES]).makeOptionMandatory())
      .addOption(new Option('--format <format>', 'file format (default: from --out)').choices([...EXPORT_FORMATS]))
      .option('--out <file>', 'the file to write (pgfplots: its data go to FILE-data/ beside it)')
      .option('--bundle <dir>', 'write the figure, its data, its JSON and provenance.json (configs, seeds, engine, version, the command) into DIR')
      .option('--style <name>', 'a built-in or saved style (grokking-lab styles lists them; default one-column)')
      .option('--sweep <id>', 'the sweep of a sweep or phase figure')
      .option('--metrics <names>', 'curves and clocks: stored metrics, comma-separated (train_X and test_X share a chart); collapse: param_norm or test_loss')
      .addOption(new Option('--x <axis>', 'time axis of curves and clocks (transition and distance: step or log-step)').choices([...CLOCK_X_AXES]))
      .option('--log-y', 'log y for curves and clocks (accuracies stay linear)')
      .option('--epsilon <ε>', 'clock threshold on the train loss (T_fit)')
      .option('--accuracy <a>', 'clock accuracy threshold (T_mem, T_gen)')
      .option('--delta <δ>', 'clock band on the structural energy (T_struct)')
      .option('--tensor <name>', 'heatmap: the tensor (default the first)')
      .option('--step <n>', 'heatmap, fourier, neurons and circles: the snapshot step (default the last); concentration: the step marked')
      .option('--sort', 'heatmap: sort lines by dominant frequency')
      .addOption(new Option('--view <view>', 'fourier, fourier-time and concentration: the token view').choices([...FOURIER_VIEWS]))
      .addOption(new Option('--scale <scale>', "heatmap: colour scale over every snapshot (shared, the page's default) or this step's").choices([...HEATMAP_SCALES]))
      .option('--frequency <k>', "circles: the frequency whose cos/sin plane is drawn (default the view's first)")
      .option('--clock <name>', 'sweep: the clock of the fit, e.g. T_gen')
      .option('--key <name>', 'sweep: the swept key of the fit, e.g. wd')
      .option('--fixed <key=value>', 'sweep: a value the fit holds fixed (repeatable), e.g. lr=0.001', collect)
      .addOption(db())
      .addOption(json()),
  ).action(async (runs, opts) => setExit(await (await commands.exportFigure()).exportCommand(runs, opts)))
  styleFlags(
    program
      .command('style')
      .argument('<action>', 'save')
      .argument('<name>', 'the style name (letters, digits, - and _)')
      .description('save a named figure style from a built-in or saved one and the flags given')
      .option('--from <style>', 'the style to start from (default one-column)')
      .addOption(db()),
  ).action(async (action: string, name: string, opts: StyleFlags & { from?: string; db?: string }) => {
    if (action !== 'save') throw new LabError(`style ${action}: the only action is save (grokking-lab styles lists them)`)
    setExit(await (await commands.exportFigure()).styleSaveCommand(name, opts))
  })
  program.command('styles').description('list the figure styles, built-in and saved').addOption(db()).addOption(json()).action(async (opts) => setExit(await (await commands.exportFigure()).stylesCommand(opts)))
  program
    .command('check')
    .description("check the library: SQLite's integrity check, orphan rows, runs marked running without a live worker (exit 1 when damaged)")
    .addOption(db())
    .addOption(json())
    .action(async (opts) => setExit(await (await commands.checkRecover()).checkCommand(opts)))
  program
    .command('recover')
    .description('salvage every readable run of a damaged library into a new one, and say what was saved and what was lost')
    .requiredOption('--out <file>', 'the new library to write (must not exist)')
    .addOption(db())
    .addOption(json())
    .action(async (opts) => setExit(await (await commands.checkRecover()).recoverCommand(opts)))
  program
    .command('bench')
    .description('time training steps per backend and model beside the PyTorch reference, and the run library')
    .option('--backend <name>', 'only this backend (repeatable; slow backends run only when named)', collect)
    .option('--model <name>', 'only this model: embed-mlp or transformer-1l (repeatable)', collect)
    .option('--windows <n>', 'timed windows per measurement (default 5)')
    .option('--torch-device <device>', 'PyTorch device for the reference (cpu, cuda)')
    .option('--torch-threads <n>', 'PyTorch CPU threads')
    .option('--ui', "time the app in Chromium instead: the library view over 10,000 runs, and the page's longest task during a live run")
    .addOption(json())
    .action(async (opts) => setExit(await (await commands.bench()).benchCommand(opts)))
  addClusterCommands(program, setExit, { db, json })
  addLibraryCareCommands(program, setExit, { db, json })
  return program
}

/** Runs the CLI on `argv` (process.argv form); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0
  const program = buildProgram((c) => (code = c))
  try {
    await program.parseAsync(argv)
    return code
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2
    }
    if (isLabError(e)) {
      console.error(`grokking-lab: ${e.message}`)
      return 2
    }
    // A damaged page can surface in any query: say what it means and the way out.
    if (isDamaged(e)) {
      console.error(`grokking-lab: ${damagedLibraryLine(e, argv)}`)
      return 2
    }
    console.error(`grokking-lab: ${(e as Error)?.message ?? e}`)
    if (process.env.GROKKING_LAB_DEBUG) console.error((e as Error)?.stack)
    return 1
  }
}
