import { createPublicKey } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { generateKit } from '../../keys/generate.js';
import { writeKit } from '../../keys/kit.js';
import { assertRsa2048, parsePrivateKey, readMaterialFile } from '../../keys/parse.js';
import { KIT_FILES, cosignerKitFiles, type KeyPairMaterial, type Kit } from '../../keys/types.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../../protocol/options.js';
import { colorsFor, type CliIO, type Colors } from '../io.js';
import type { InitCliOptions } from '../options.js';
import { INIT_LAYOUT, OPTION_WORDS, configFile, gitignoreBlock, starterScenarios } from '../init/templates.js';

/** One file init means to write: its path as shown (relative to the working folder) and its text. */
interface Planned {
  shown: string;
  abs: string;
  text: string;
}

/** The user's handler key, checked as the Co-signer will check it: a private RSA-2048 key [protocol.md §2.1, §2.7]. */
function readHandlerKey(path: string, cwd: string): KeyPairMaterial {
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  const privateKeyPem = readMaterialFile(abs, '--handler-key file');
  const privateKey = parsePrivateKey(privateKeyPem, { label: path });
  const publicKey = createPublicKey(privateKey);
  assertRsa2048(publicKey, { label: path });
  return { privateKey, publicKey, privateKeyPem, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** True when cosigner-sim is installed in the folder or its package.json lists it: then the schema paths lead somewhere. */
function isLocalDependency(dir: string): boolean {
  if (existsSync(join(dir, 'node_modules', 'cosigner-sim'))) return true;
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) return false;
  try {
    const json = JSON.parse(readFileSync(pkg, 'utf8')) as Record<string, unknown>;
    return ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].some((k) => {
      const deps = json[k];
      return typeof deps === 'object' && deps !== null && 'cosigner-sim' in deps;
    });
  } catch {
    // An unreadable package.json only costs the editor hint, not the init.
    return false;
  }
}

/** `dir/rel` as the user would name it, relative to the working folder. */
function shownPath(dir: string, rel: string): string {
  return dir === '.' || dir === './' ? rel : join(dir, rel);
}

/**
 * `cosigner-sim init [dir] --option N`: write a working kit (keys/), cosigner-sim.config.yaml,
 * starter scenarios and a .gitignore, then print what the real Co-signer and the handler need for
 * that option. `--keys-only` writes just the kit. Refuses to overwrite a file without `--force`
 * (UsageError naming it, exit 2) before it writes anything; the .gitignore is appended to, never
 * replaced.
 *
 * @example
 * await initCommand({ dir: 'handler-tests', option: 4, keysOnly: false, hosts: [], force: false }, processIO()); // 0
 */
export async function initCommand(o: InitCliOptions, io: CliIO): Promise<number> {
  const root = resolve(io.cwd, o.dir);
  const kitDir = join(root, INIT_LAYOUT.kit);
  const handler = o.handlerKey !== undefined ? readHandlerKey(o.handlerKey, io.cwd) : undefined;
  const local = isLocalDependency(root);

  // Co-signer 2's pair too: a generated kit has two Co-signers (keys/generate.ts DEFAULT_KIT_COSIGNERS).
  const kitNames = [...Object.values(KIT_FILES), ...Object.values(cosignerKitFiles(2))];
  const planned: Planned[] = kitNames.map((name) => ({ shown: shownPath(o.dir, join(INIT_LAYOUT.kit, name)), abs: join(kitDir, name), text: '' }));
  if (!o.keysOnly) {
    const option = o.option!;
    planned.push({ shown: shownPath(o.dir, INIT_LAYOUT.config), abs: join(root, INIT_LAYOUT.config), text: configFile(option, local) });
    for (const [name, text] of Object.entries(starterScenarios(local))) {
      planned.push({ shown: shownPath(o.dir, join(INIT_LAYOUT.scenarios, name)), abs: join(root, INIT_LAYOUT.scenarios, name), text });
    }
  }
  // Every file is checked before any is written, so a refusal leaves the folder as it was.
  if (!o.force) {
    const taken = planned.find((p) => existsSync(p.abs));
    if (taken) {
      throw new UsageError(`${taken.shown} already exists: init never overwrites a file`, {
        file: taken.shown,
        hint: `pass --force to overwrite it${o.keysOnly ? '' : ' (and the other files init writes)'}, or init into another folder: cosigner-sim init <dir>`,
      });
    }
  }

  const generated = await generateKit({ hosts: o.hosts });
  const kit: Kit = handler ? { ...generated, handler } : generated;
  writeKit(kit, kitDir);
  let gitignore: 'created' | 'appended' | 'kept' | undefined;
  if (!o.keysOnly) {
    for (const p of planned.slice(kitNames.length)) {
      mkdirSync(resolve(p.abs, '..'), { recursive: true });
      writeFileSync(p.abs, p.text);
    }
    gitignore = writeGitignore(join(root, INIT_LAYOUT.gitignore));
  }

  const c = colorsFor(io.stdout, io.env, true);
  io.stdout.write(o.keysOnly ? keysOnlyReport(o, c) : guide(o, o.option!, gitignore!, handler !== undefined, c));
  return 0;
}

/** Create the .gitignore, or add our lines to the user's (never replace it: it holds their rules too). */
function writeGitignore(path: string): 'created' | 'appended' | 'kept' {
  const block = gitignoreBlock();
  if (!existsSync(path)) {
    writeFileSync(path, block);
    return 'created';
  }
  const current = readFileSync(path, 'utf8');
  const lines = block.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  if (lines.every((l) => have.has(l))) return 'kept';
  appendFileSync(path, `${current === '' || current.endsWith('\n') ? '' : '\n'}\n${block}`);
  return 'appended';
}

const k = (name: string): string => `${INIT_LAYOUT.kit}/${name}`;

/** One line of a two-column list: what, then why, aligned. */
const row = (what: string, why: string): string => `  ${what.padEnd(44)} ${why}`;

/** The loud part: a production handler that trusts the kit's Co-signer key accepts forgeries. */
function testKeyWarning(c: Colors): string {
  const bar = c.red(c.bold('!'.repeat(96)));
  return [
    bar,
    c.red(c.bold(`!!  ${k(KIT_FILES.cosignerPrivateKey)} and ${k(KIT_FILES.cosignerPublicKey)} are a TEST Co-signer key, for tests only.`)),
    c.red(c.bold('!!  A production handler that trusts it accepts forged requests from anyone who has this folder')),
    c.red(c.bold('!!  (or your repository). In production the handler trusts the REAL Co-signer public key:')),
    c.red(c.bold('!!  ./cosigner print-public-key on the Co-signer host (./fireblocks/cosigner on Nitro) [protocol.md §2.8].')),
    bar,
    '',
  ].join('\n');
}

/** `--keys-only`: what was written, and what stays out of git. */
function keysOnlyReport(o: InitCliOptions, c: Colors): string {
  const dir = shownPath(o.dir, INIT_LAYOUT.kit);
  return [
    `${c.green('wrote')} the kit to ${dir}/ (every file --kit reads; private keys mode 0600)`,
    `  use it: cosigner-sim run --kit ${dir} --option <1-5>`,
    `  keep ${dir}/*-private.pem and ${dir}/*-key.pem out of git (init without --keys-only writes a .gitignore that does)`,
    '',
    testKeyWarning(c),
  ].join('\n');
}

/** The documented commands for the handler key [protocol.md §2.1], and plain OpenSSL for certificates (the docs give none). */
function opensslSection(option: SecurityOptionNumber, hosts: readonly string[]): string[] {
  const spec = SECURITY_OPTIONS[option];
  const host = hosts[0] ?? 'handler.example.com';
  const san = hosts.length > 0 ? hosts.map((h) => (isIP(h) !== 0 ? `IP:${h}` : `DNS:${h}`)).join(',') : `DNS:${host}`;
  const out = ['', 'Making your own keys instead:'];
  if (spec.messageLayer === 'jwt') {
    out.push(
      '  The handler key, as the Fireblocks documentation makes it (RSA-2048 is the only size accepted) [protocol.md §2.1]:',
      '    openssl genrsa -out callback_private.pem 2048',
      '    openssl rsa -in callback_private.pem -outform PEM -pubout -out callback_public.pem',
      `  then: cosigner-sim init --option ${option} --handler-key callback_private.pem --force`,
    );
  }
  if (spec.tls === 'pinned') {
    out.push(
      '  The certificate to pin (the Fireblocks documentation gives no command for it; with OpenSSL 1.1.1 or newer):',
      `    openssl req -x509 -newkey rsa:2048 -nodes -keyout pinned-key.pem -out pinned-cert.pem -days 365 -subj "/CN=${host}" -addext "subjectAltName=${san}"`,
    );
  } else if (spec.tls === 'root-ca') {
    out.push(
      '  A Root CA and the handler certificate under it (the Fireblocks documentation gives no command for these; with OpenSSL 3):',
      '    openssl req -x509 -newkey rsa:2048 -nodes -keyout root-ca-key.pem -out root-ca.pem -days 3650 -subj "/CN=My Callback Handler Root CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"',
      `    openssl req -newkey rsa:2048 -nodes -keyout leaf-key.pem -out leaf.csr -subj "/CN=${host}" -addext "subjectAltName=${san}" -addext "extendedKeyUsage=serverAuth"`,
      '    openssl x509 -req -in leaf.csr -CA root-ca.pem -CAkey root-ca-key.pem -CAcreateserial -copy_extensions copy -days 365 -out leaf-cert.pem',
    );
  } else {
    out.push('  The TLS certificate: get one from a publicly trusted CA for the handler\'s host name (the real Co-signer trusts only those) [protocol.md §2.1].');
  }
  return out;
}

/** After a full init: what was written, what the handler loads, what the real Co-signer gets, how to make your own keys. */
function guide(o: InitCliOptions, option: SecurityOptionNumber, gitignore: 'created' | 'appended' | 'kept', ownHandlerKey: boolean, c: Colors): string {
  const spec = SECURITY_OPTIONS[option];
  const jwt = spec.messageLayer === 'jwt';
  const p = (rel: string) => shownPath(o.dir, rel);
  const names = ['localhost', '127.0.0.1', ...o.hosts].join(', ');
  const lines = [
    `${c.green('wrote')} a kit for option ${option} (${spec.label}: ${OPTION_WORDS[option]}):`,
    row(`${p(INIT_LAYOUT.kit)}/`, `every key and certificate${ownHandlerKey ? ' (the handler key is yours, from --handler-key)' : ''}; certificates cover ${names}`),
    row(p(INIT_LAYOUT.config), `option: ${option}, kit: ${INIT_LAYOUT.kit}${option === 1 ? `, ca: ${k(KIT_FILES.rootCaCert)}` : ''}; url: is a comment until your handler runs`),
    row(`${p(INIT_LAYOUT.scenarios)}/`, `starter scenarios every correct handler passes, policy examples commented out`),
    row(p(INIT_LAYOUT.gitignore), `${gitignore === 'created' ? 'keeps the private keys out of git' : gitignore === 'appended' ? 'yours, with lines added that keep the private keys out of git' : 'yours, which already keeps the private keys out of git'}`),
    '',
    `${c.bold('Try it now:')} ${o.dir === '.' ? '' : `cd ${o.dir} && `}cosigner-sim run     (the embedded reference handler answers, with this kit)`,
    '',
    c.bold('Your handler must load (for this test setup):'),
  ];
  if (jwt) {
    lines.push(
      row(k(KIT_FILES.cosignerPublicKey), `verify every request JWT (RS256) with it; refuse (401) what does not verify`),
      row(k(cosignerKitFiles(2).publicKey), `trust it too: a second Co-signer (high availability) signs with its own key (send --cosigner 2)`),
      row(k(KIT_FILES.handlerPrivateKey), `sign every response JWT (RS256) with it`),
    );
  }
  if (spec.tls === 'pinned') lines.push(row(`${k(KIT_FILES.pinnedCert)} + ${k(KIT_FILES.pinnedKey)}`, `serve TLS with them: the Co-signer pins exactly this certificate`));
  else lines.push(row(`${k(KIT_FILES.leafCert)} + ${k(KIT_FILES.leafKey)}`, `serve TLS with them (signed by ${k(KIT_FILES.rootCaCert)})`));
  lines.push(`  and serve ${jwt ? 'POST /v2/tx_sign_request and /v2/config_change_sign_request' : 'POST /tx_sign_request and /config_change_sign_request (no /v2)'} [protocol.md §1]`);
  lines.push(`  then set url: in ${INIT_LAYOUT.config} (the base URL, without ${jwt ? '/v2 or ' : ''}the endpoint name) and run cosigner-sim run again.`);

  lines.push('', c.bold('Give the real Co-signer (./cosigner add-user, the Console or the Cosigners API) [protocol.md §2.8]:'));
  if (jwt) lines.push(row(k(KIT_FILES.handlerPublicKey), `the handler public key: the Co-signer verifies your responses with it`));
  if (spec.tls === 'pinned') lines.push(row(k(KIT_FILES.pinnedCert), `the certificate to pin: the exact one your handler serves${option === 2 ? ' (given a certificate, the Console uses option 2)' : ''}`));
  if (spec.tls === 'root-ca') lines.push(row(k(KIT_FILES.rootCaCert), `the Root CA your handler's certificate chains to (never ${k(KIT_FILES.rootCaKey)})`));
  if (spec.tls === 'public-ca') {
    lines.push(
      '  nothing for TLS: in production the handler needs a certificate from a publicly trusted CA',
      `  (${k(KIT_FILES.leafCert)} is signed by the kit's test Root CA, which only cosigner-sim trusts, through ca: in the config)`,
    );
  }
  if (option >= 3) lines.push(`  Option ${option} needs Co-signer 2025.12.11 or newer${option >= 4 ? ', SGX only' : ''}, and is set up locally on the Co-signer host, not in the Console [protocol.md §2].`);
  if (jwt) lines.push('  In production your handler verifies requests with the real Co-signer public key: ./cosigner print-public-key');
  lines.push(...opensslSection(option, o.hosts), '');
  // Said for the JSON options too: the kit holds the key, and the same folder may serve option 4 or 5 later.
  lines.push(testKeyWarning(c));
  return lines.join('\n');
}
