// `npm start`: the one command that runs TopSmile on its embedded defaults.
// The sync server (issue 4) and the desktop core with its browser mode (issue 5) are not built
// yet, so this says plainly what exists and what the command will do, instead of pretending.
const lines = [
  'TopSmile Desktop — npm start',
  '',
  'Not runnable yet. When the sync server and desktop issues land, this command will:',
  '  1. start the sync server on its embedded SQLite store (creating the demo clinic on first run',
  '     and printing its login once);',
  '  2. start the desktop core and open the app connected to it, or, where Electron cannot start,',
  '     serve the same app to a browser and print its localhost address;',
  '  3. stop everything cleanly on Ctrl+C.',
  '',
  'What exists today: the clinic domain model, the app API contract and the demo-data generator',
  'in shared/, checked by `npm test`.',
];
console.log(lines.join('\n'));
process.exitCode = 1;
