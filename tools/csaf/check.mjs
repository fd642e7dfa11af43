// Validates CSAF 2.0 files with BSI's csaf-validator-lib (the validator behind Secvisogram and
// the BSI CSAF validator service), presets basic and extended; exit 1 if any is invalid.
// node tools/csaf/check.mjs FILE...
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js'
import * as basic from '@secvisogram/csaf-validator-lib/basic.js'
import * as extended from '@secvisogram/csaf-validator-lib/extended.js'
import { readFileSync } from 'node:fs'
let failed = false
for (const file of process.argv.slice(2)) {
  const doc = JSON.parse(readFileSync(file, 'utf8'))
  for (const [name, preset] of [['basic', basic], ['extended', extended]]) {
    const r = await validateStrict(Object.values(preset), doc)
    const errors = r.tests.flatMap(t => t.errors.map(e => `${t.name} ${e.instancePath}: ${e.message}`))
    if (!r.isValid) { failed = true }
    console.log(`${file} ${name}: ${r.isValid ? 'valid' : 'INVALID'}${errors.length ? '\n  ' + errors.join('\n  ') : ''}`)
  }
}
process.exit(failed ? 1 : 0)
