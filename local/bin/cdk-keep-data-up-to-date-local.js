#!/usr/bin/env node
// Compiled JavaScript only: nothing is compiled when the command starts.
require('../lib/command/cli.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
