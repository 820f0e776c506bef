// The generated 1 000-scenario suite: the shipped scenarios' everyday shapes (approve at both
// stages, a vault transfer, an over-limit and an unknown-address REJECT, config changes),
// repeated with distinct names over ten files, as a real suite of that size would be spread.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SHAPES = [
  (n) => `- name: small transfer ${n} is signed\n  request:\n    type: tx\n    stage: signing\n  expect:\n    action: APPROVE\n`,
  (n) => `- name: small transfer ${n} is approved at the approval stage\n  request:\n    type: tx\n    stage: approval\n  expect:\n    action: APPROVE\n`,
  (n) => `- name: vault transfer ${n} is approved\n  request:\n    type: tx\n    destType: VAULT\n    payload:\n      asset: ETH\n      amountStr: "2.5"\n  expect:\n    action: APPROVE\n`,
  (n) => `- name: transfer ${n} to an unknown address is rejected\n  request:\n    type: tx\n    stage: signing\n    destType: ONE_TIME_ADDRESS\n    payload:\n      destAddress: "0x000000000000000000000000000000000000dEaD"\n      destinations.0.dstAddress: "0x000000000000000000000000000000000000dEaD"\n      destinations.0.displayDstAddress: "0x000000000000000000000000000000000000dEaD"\n  expect:\n    action: REJECT\n`,
  (n) => `- name: config change ${n} is approved\n  request:\n    type: config\n    configType: ADD_USER\n  expect:\n    action: APPROVE\n`,
];

/** Write `count` scenarios into `files` YAML files under `dir`; returns `dir`. */
export function writeSuite(dir, count = 1000, files = 10) {
  mkdirSync(dir, { recursive: true });
  const perFile = Math.ceil(count / files);
  for (let f = 0; f < files; f++) {
    let text = '';
    for (let i = f * perFile; i < Math.min(count, (f + 1) * perFile); i++) text += SHAPES[i % SHAPES.length](i + 1);
    writeFileSync(join(dir, `generated-${String(f + 1).padStart(2, '0')}.yaml`), text);
  }
  return dir;
}
