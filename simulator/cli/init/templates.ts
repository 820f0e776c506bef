/**
 * The files `cosigner-sim init` writes besides the kit, as text. Kept in code rather than as
 * files next to the build so that the package ships them with dist/ and nothing else to list.
 *
 * The starter scenarios assert only what every correct handler must do, whatever its policy:
 * each endpoint and stage gets an answer that passes every check (TLS, status, JWT, requestId,
 * a valid action: no IGNORE at the signing stage [protocol.md §0.5 rule 5]), and a forged request
 * is refused. So they pass against the embedded reference handler and against any correct
 * handler; the policy examples stay commented out until the user's handler has that policy.
 */
import { KIT_FILES } from '../../keys/types.js';
import { SECURITY_OPTIONS, type SecurityOptionNumber } from '../../protocol/options.js';

/** Where the config file's end-of-line comments start, so they line up whatever the values. */
const COMMENT_COLUMN = 24;

/** Where init puts things inside the folder. */
export const INIT_LAYOUT = { kit: 'keys', config: 'cosigner-sim.config.yaml', scenarios: 'scenarios', gitignore: '.gitignore' } as const;

/** What each option does, in words, for the config comment and the printed guide. */
export const OPTION_WORDS: Record<SecurityOptionNumber, string> = {
  1: 'JWT both ways, the handler trusted by a publicly trusted CA',
  2: 'plain JSON, the handler trusted by its pinned certificate',
  3: 'plain JSON, the handler trusted by your Root CA',
  4: 'JWT both ways, the handler trusted by its pinned certificate',
  5: 'JWT both ways, the handler trusted by your Root CA',
};

/** The line editors follow to the schema; written only when cosigner-sim is a local dependency (else the path leads nowhere). */
function schemaLine(schema: 'config' | 'scenario', fromSubfolder: boolean, localDependency: boolean): string {
  if (!localDependency) return '';
  return `# yaml-language-server: $schema=${fromSubfolder ? '../' : './'}node_modules/cosigner-sim/schema/${schema}.schema.json\n#\n`;
}

/** cosigner-sim.config.yaml: the shared keys at the top (as the option table places them), no url: yet. */
export function configFile(option: SecurityOptionNumber, localDependency: boolean): string {
  const kit = INIT_LAYOUT.kit;
  const ca =
    option === 1
      ? `
# Test only: the kit's Root CA signed the handler's test certificate (${kit}/${KIT_FILES.leafCert}).
# In production, option 1 needs a certificate from a publicly trusted CA: the real Co-signer
# trusts only those, so drop this line when you point url: at a handler with a public certificate.
ca: ${kit}/${KIT_FILES.rootCaCert}
`
      : '';
  return `${schemaLine('config', false, localDependency)}# Written by \`cosigner-sim init --option ${option}\`. \`cosigner-sim run\`, \`send\` and \`conformance\`
# in this folder read it; flags on the command line win. Paths are relative to this file.

${`option: ${option}`.padEnd(COMMENT_COLUMN)}# ${SECURITY_OPTIONS[option].label}: ${OPTION_WORDS[option]}
${`kit: ${kit}`.padEnd(COMMENT_COLUMN)}# every key and certificate (regenerate: cosigner-sim init --keys-only --force)
${ca}
# Your handler: uncomment and set its base URL, without /v2 or the endpoint name. Without url:
# the embedded reference handler answers, with this kit's keys.
# url: https://localhost:8443

run:
  paths: [${INIT_LAYOUT.scenarios}/]
`;
}

/** The starter scenarios, by file name inside scenarios/. */
export function starterScenarios(localDependency: boolean): Record<string, string> {
  const head = schemaLine('scenario', true, localDependency);
  return {
    'transactions.yaml': `${head}# tx_sign_request at both stages. No action is asserted: whatever your policy decides, the
# answer must pass every check (TLS, HTTP status, body format, JWT signature, requestId, a valid
# action: IGNORE is refused at the signing stage, a rejection reason with REJECT, within 30 s).

- name: a transfer at the signing stage is answered
  tags: [smoke]
  request:
    type: tx
    stage: signing

- name: a transfer at the approval stage is answered
  tags: [smoke]
  request:
    type: tx
    stage: approval

- name: a transaction is answered at approval, then at signing
  steps:
    - name: approval
      request: { type: tx, stage: approval }
    - name: signing
      request: { type: tx, stage: signing }

# Your policy, once your handler has one: uncomment and adapt. Assert the decision with
# expect.action (APPROVE, REJECT, RETRY; IGNORE only at approval) and the reason with
# rejectionReason (a string, or /regex/).
#
# - name: a transfer above my limit is rejected
#   request:
#     type: tx
#     payload:            # deep-merged over a realistic default payload
#       asset: ETH
#       amountStr: "250000"
#   expect:
#     action: REJECT
#     rejectionReason: /limit/i
#
# - name: a small transfer to a vault is signed
#   request:
#     type: tx
#     destType: VAULT
#     payload: { asset: ETH, amountStr: "0.5" }
#   expect:
#     action: APPROVE
#     within: 5s
`,
    'config-changes.yaml': `${head}# config_change_sign_request: always an approval. No action is asserted: any valid decision
# (APPROVE, REJECT, RETRY or IGNORE) passes, as long as every check does.

- name: a whitelisted-wallet change is answered
  tags: [smoke]
  request:
    type: config
    configType: UNMANAGED_WALLET

- name: an added user is answered
  request:
    type: config
    configType: ADD_USER

# Your policy: uncomment and adapt.
#
# - name: adding a user is rejected
#   request:
#     type: config
#     configType: ADD_USER
#   expect:
#     action: REJECT
`,
    'forged-request.yaml': `${head}# A request signed with a key that is not the Co-signer's must be refused: 401 or 403, the two
# answers real handlers give. Only the JWT options (1, 4, 5) sign requests; under 2 and 3 this
# scenario is skipped (authenticity comes from TLS alone). The forger's key is the kit's handler
# key: any private key other than the Co-signer's would do.

name: a request signed with another key is refused
options: [1, 4, 5]
request:
  type: tx
  signWith: ../${INIT_LAYOUT.kit}/${KIT_FILES.handlerPrivateKey}     # relative to this file
expect:
  status: refused
`,
  };
}

/** The lines the .gitignore gets: every private key of the kit. */
export function gitignoreBlock(): string {
  return `# cosigner-sim: the kit's private keys stay out of git (regenerate: cosigner-sim init --keys-only --force)
${INIT_LAYOUT.kit}/*-private.pem
${INIT_LAYOUT.kit}/*-key.pem
`;
}
