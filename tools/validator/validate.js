// Validates one .glb/.gltf with the Khronos glTF validator and prints its report as JSON on stdout.
// Usage: node validate.js FILE. Exit code 0 when the report was produced, whatever it says.
'use strict';
const fs = require('fs');
const path = require('path');
const validator = require('gltf-validator');

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node validate.js FILE.glb|FILE.gltf\n');
  process.exit(2);
}
const dir = path.dirname(file);
validator.validateBytes(new Uint8Array(fs.readFileSync(file)), {
  uri: path.basename(file),
  maxIssues: 200,
  externalResourceFunction: (uri) => new Promise((resolve, reject) => {
    fs.readFile(path.resolve(dir, decodeURIComponent(uri)), (err, data) => err ? reject(err.toString()) : resolve(new Uint8Array(data)));
  }),
}).then((report) => {
  process.stdout.write(JSON.stringify(report));
}).catch((error) => {
  process.stderr.write('validation failed: ' + error + '\n');
  process.exit(1);
});
