#!/usr/bin/env node
// Loads a Scratch 3 project (an .sb3 archive or a project.json) into scratch-vm without a
// renderer, clicks the green flag, runs it for a number of frames and prints what the
// scripts left behind as one JSON line on stdout:
//   {"ok":true,"targets":[{"name":"Stage","isStage":true,"variables":{"name":value},
//     "lists":{"name":[items]}}, ...],"saved":<project.json as the VM saves it>?}
// Usage: node run.js <file> [--frames N] [--save]
// On a load failure it prints {"ok":false,"error":"..."} and exits with status 2.
'use strict';

const fs = require('fs');

function parseArgs(argv) {
    const args = {file: null, frames: 60, save: false};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '--frames') args.frames = Number(argv[++i]);
        else if (arg === '--save') args.save = true;
        else args.file = arg;
    }
    if (!args.file || !Number.isFinite(args.frames)) {
        process.stderr.write('usage: node run.js <file.sb3|project.json> [--frames N] [--save]\n');
        process.exit(64);
    }
    return args;
}

function snapshot(vm) {
    return vm.runtime.targets
        .filter(target => target.isOriginal)
        .map(target => {
            const variables = {};
            const lists = {};
            for (const variable of Object.values(target.variables)) {
                if (variable.type === 'list') lists[variable.name] = variable.value;
                else if (variable.type === '') variables[variable.name] = variable.value;
            }
            return {name: target.getName(), isStage: target.isStage, variables, lists};
        });
}

async function main() {
    const args = parseArgs(process.argv.slice(2));
    // Keep the VM's own logging off stdout, which carries the JSON answer.
    const log = console.log;
    console.log = (...parts) => process.stderr.write(parts.join(' ') + '\n');
    console.info = console.log;
    console.warn = console.log;
    // Extensions such as translate read the browser's language (Node < 21 has no navigator).
    if (typeof globalThis.navigator === 'undefined') {
        globalThis.navigator = {language: 'en', userAgent: 'node'};
    }
    const VirtualMachine = require('scratch-vm');
    const vm = new VirtualMachine();
    const bytes = fs.readFileSync(args.file);
    const input = bytes[0] === 0x50 && bytes[1] === 0x4b ? bytes : bytes.toString('utf8');
    try {
        await vm.loadProject(input);
    } catch (err) {
        log(JSON.stringify({ok: false, error: String(err && err.message || err)}));
        process.exit(2);
    }
    // Step the sequencer by hand (no timers): one step is one 30 fps frame, on a virtual
    // clock so that waits and glides take the same number of frames however fast or busy the
    // machine is. The clock moves 1/30 s at each frame and 0.05 ms at each reading, so the
    // sequencer's time budget within a frame (and warp mode's) still runs out.
    const frameTime = 1000 / 30;
    let now = 0;
    Date.now = () => (now += 0.05);
    vm.runtime.currentStepTime = frameTime;
    vm.greenFlag();
    for (let frame = 0; frame < args.frames; frame++) {
        now = Math.max(now, (frame + 1) * frameTime);
        vm.runtime._step();
    }
    const out = {ok: true, frames: args.frames, targets: snapshot(vm)};
    if (args.save) out.saved = JSON.parse(vm.toJSON());
    log(JSON.stringify(out));
    process.exit(0);
}

main().catch(err => {
    process.stderr.write(String(err && err.stack || err) + '\n');
    process.exit(1);
});
