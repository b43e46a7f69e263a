// Called by the walkthrough's curl wrapper: does reply N (body, then the status on the last line)
// match what the README printed under curl command N, or, where it printed nothing, is it a 2xx?
// Exit 0 when it does; otherwise say why on stderr and exit 1.
const fs = require('node:fs');

const [, , file, index, output] = process.argv;
const steps = JSON.parse(fs.readFileSync(file, 'utf8'));
const step = steps[Number(index) - 1];
const cut = output.lastIndexOf('\n');
const body = output.slice(0, cut);
const status = Number(output.slice(cut + 1));
if (!step) {
  console.error(`curl #${index}: the README has only ${steps.length} curl commands`);
  process.exit(1);
}
if (step.expected !== undefined ? new RegExp(step.expected, 's').test(body) : status >= 200 && status < 300) process.exit(0);
console.error(`curl #${index} (${step.command})\n  answered ${status}: ${body}\n  expected ${step.expected ?? 'a 2xx'}`);
process.exit(1);
