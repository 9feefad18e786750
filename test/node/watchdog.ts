/**
 * Runs a Node check in a child process and fails the run, naming the case, when a case does not
 * finish in time. The check itself cannot time out a hung case: Dawn compiles pipelines on the calling
 * thread, so a shader compiler that never returns blocks its event loop and every timer in it.
 *
 * Usage: node watchdog.cjs <seconds per case> <script.cjs> [script arguments...]. The script reports
 * each case it starts with process.send({started: label}); its output passes through unchanged.
 */
import {fork} from 'node:child_process';

const [secondsArg, script, ...args] = process.argv.slice(2);
const seconds = Number(secondsArg);
if (!(seconds > 0) || script == null) {
  console.error('usage: watchdog <seconds per case> <script> [arguments...]');
  process.exit(2);
}

const child = fork(script, args, {stdio: 'inherit'});
let current = '(before the first case)';
let timer: ReturnType<typeof setTimeout> | undefined;
const arm = (): void => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    console.log(`FAIL ${current}: did not finish within ${seconds} s (watchdog); stopping the run`);
    console.log('0 passed, 1 failed');
    child.kill('SIGKILL');
    process.exit(1);
  }, seconds * 1000);
};
child.on('message', (message: {started?: string}) => {
  if (typeof message.started === 'string') {
    current = message.started;
    arm();
  }
});
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  process.exit(code ?? (signal != null ? 1 : 0));
});
arm();
