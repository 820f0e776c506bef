import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join, posix, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, TargetStartError } from '../errors.js';
import { writeKit } from '../keys/kit.js';
import { importOptional } from '../lib/optional-import.js';
import { validateBaseUrl } from '../protocol/endpoints.js';
import type { SecurityOptionNumber } from '../protocol/options.js';
import { buildTlsOptions } from '../tls/trust.js';
import { freePort, kitAndMaterial, kitEnvironment, LineRing, LOG_LINES, outputOf } from './command.js';
import type { TargetMaterial } from './material.js';
import { startedTarget, type StartedTarget } from './started.js';
import { waitUntilReady } from './wait.js';

type Testcontainers = typeof import('testcontainers');

/** Your handler's Docker image, run by cosigner-sim with testcontainers (`--image my-handler:dev --port 8443`). */
export interface ImageTargetSpec {
  kind: 'image';
  /** `name[:tag]`, local or pullable. */
  image: string;
  /** The port the handler listens on inside the container (bridge networking maps it to a free host port). */
  containerPort: number;
  option: SecurityOptionNumber;
  /** Where the kit is mounted (read-only) inside the container. Default `/kit`. */
  mountKeys?: string;
  /** Extra variables for the container, on top of the kit's. */
  env?: Record<string, string>;
  /** `bridge` (default): containerPort mapped to a free host port. `host`: the host's network, the port given in PORT. */
  network?: 'bridge' | 'host';
  /** The path the handler serves under (`/cb`); default none. */
  basePath?: string;
  /** How long the container may take to accept a TLS connection. Default 30 s. */
  readyTimeoutMs?: number;
}

const DEFAULT_READY_TIMEOUT_MS = 30_000;
const DEFAULT_MOUNT = '/kit';
/** How long the runtime may take to answer the first ping: a missing engine must not look like a hang. */
const RUNTIME_PING_MS = 5_000;
/** docker stop's grace before SIGKILL, as for a started command [issue 10: "SIGTERM, SIGKILL after 5 s"]. */
const STOP_TIMEOUT_MS = 5_000;

/** What image.ts asks testcontainers for, as plain data (a unit test holds bridge and host apart without an engine). */
export interface ContainerPlan {
  image: string;
  networkMode?: 'host';
  /** Container ports to publish on free host ports (bridge only). */
  exposedPorts: number[];
  bindMounts: { source: string; target: string; mode: 'ro' }[];
  environment: Record<string, string>;
  /** The port the URL uses on 127.0.0.1: fixed for host networking, read from the mapping for bridge. */
  hostPort?: number;
}

/**
 * The container's configuration: the kit folder mounted read-only at `mountKeys`, the variables
 * pointing at the mount (the paths as the handler sees them [issue 10 "The variables"]), and the
 * network. Bridge publishes containerPort and PORT is that port; host networking publishes
 * nothing (there is nothing to map) and PORT is the free host port `hostPort`.
 *
 * @example
 * containerPlan({ kind: 'image', image: 'h:1', containerPort: 8443, option: 4 }, '/tmp/kit').exposedPorts // [8443]
 */
export function containerPlan(spec: ImageTargetSpec, kitDir: string, hostPort?: number): ContainerPlan {
  const mount = spec.mountKeys ?? DEFAULT_MOUNT;
  const host = (spec.network ?? 'bridge') === 'host';
  if (host && hostPort === undefined) throw new InvalidArgumentError('containerPlan: host networking needs the host port the container is to bind');
  const port = host ? hostPort! : spec.containerPort;
  const kitVars = kitEnvironment(kitDir, spec.option, String(port));
  // The handler sees the kit at the mount, not at the host folder: every path variable is rewritten
  // (the _PEM ones hold text and stay). Paths inside a Linux container are POSIX whatever the host is.
  const inMount = (path: string) => posix.join(mount, ...relative(kitDir, path).split(/[\\/]/));
  const environment: Record<string, string> = { ...spec.env };
  for (const [name, value] of Object.entries(kitVars)) {
    if (name === 'COSIGNER_SIM_COSIGNER_PUBLIC_KEYS') continue; // a list of paths: below
    environment[name] = name === 'COSIGNER_SIM_KIT' ? mount : name.endsWith('_PEM') || !value.startsWith(kitDir) ? value : inMount(value);
  }
  // Every Co-signer's public key, each at the mount, ':'-separated as on Linux.
  environment.COSIGNER_SIM_COSIGNER_PUBLIC_KEYS = kitVars.COSIGNER_SIM_COSIGNER_PUBLIC_KEYS!.split(delimiter).map(inMount).join(':');
  return {
    image: spec.image,
    ...(host ? { networkMode: 'host' as const, hostPort: port } : {}),
    exposedPorts: host ? [] : [spec.containerPort],
    bindMounts: [{ source: kitDir, target: mount, mode: 'ro' }],
    environment,
  };
}

/** The part of testcontainers' GenericContainer the plan uses (a fake stands in for it in unit tests). */
export interface ContainerBuilder<Self> {
  withNetworkMode(mode: string): Self;
  withExposedPorts(...ports: number[]): Self;
  withBindMounts(mounts: { source: string; target: string; mode: 'ro' }[]): Self;
  withEnvironment(env: Record<string, string>): Self;
}

/** Configure a builder from the plan: testcontainers' calls, in one place. */
export function applyPlan<B extends ContainerBuilder<B>>(builder: B, plan: ContainerPlan): B {
  let b = builder.withBindMounts(plan.bindMounts).withEnvironment(plan.environment);
  if (plan.networkMode !== undefined) b = b.withNetworkMode(plan.networkMode);
  if (plan.exposedPorts.length > 0) b = b.withExposedPorts(...plan.exposedPorts);
  return b;
}

/** Where a Docker-compatible engine is looked for when DOCKER_HOST is not set (testcontainers' own order). */
function defaultSockets(): string[] {
  const home = process.env.HOME ?? '~';
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  return [
    '/var/run/docker.sock',
    ...(process.env.XDG_RUNTIME_DIR ? [join(process.env.XDG_RUNTIME_DIR, 'docker.sock')] : []),
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    ...(uid !== undefined ? [`/run/user/${uid}/docker.sock`] : []),
  ];
}

/** GET /_ping on a unix socket or a plain tcp:// address: the engine's own liveness call. */
function ping(where: { socketPath: string } | { host: string; port: number }, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ ...where, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? undefined : `answered /_ping with HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ENOENT' ? 'no such socket' : e.code === 'EACCES' ? 'permission denied (is your user in the docker group?)' : e.code === 'ECONNREFUSED' ? 'connection refused' : e.message));
    req.end();
  });
}

function noRuntime(tried: string[]): TargetStartError {
  return new TargetStartError(`--image needs a Docker-compatible container engine, and none is reachable. Tried:\n${tried.map((t) => `  - ${t}`).join('\n')}`, {
    field: 'image',
    hint: 'start Docker (or Podman, Colima, Rancher Desktop) and try again; if it listens elsewhere, set DOCKER_HOST (DOCKER_HOST=unix:///run/user/1000/docker.sock, or tcp://host:2375); or start the container yourself (docker run -p 8443:8443 ...) and run against it with --url https://127.0.0.1:8443',
  });
}

/**
 * Detect a container runtime before anything starts, with a plain message when there is none
 * (testcontainers' own, "Could not find a working container runtime strategy", says neither what
 * was tried nor what to do). A DOCKER_HOST that is set is the only one tried: the user chose it,
 * and falling back to another engine would run the image somewhere they did not mean.
 */
export async function detectRuntime(tc: Pick<Testcontainers, 'getContainerRuntimeClient'>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) {
    // testcontainers would fall back to /var/run/docker.sock when DOCKER_HOST fails: ping it first.
    // A tcp:// host with TLS (DOCKER_TLS_VERIFY) is left to testcontainers, which reads the certificates.
    const tcp = /^tcp:\/\/([^:/]+|\[[^\]]+\]):(\d+)\/?$/.exec(dockerHost);
    const where = dockerHost.startsWith('unix://') ? { socketPath: dockerHost.slice('unix://'.length) } : tcp && !env.DOCKER_TLS_VERIFY ? { host: tcp[1]!.replace(/^\[|\]$/g, ''), port: Number(tcp[2]) } : undefined;
    if (where !== undefined) {
      const problem = await ping(where, RUNTIME_PING_MS);
      if (problem !== undefined) throw noRuntime([`DOCKER_HOST=${dockerHost}: ${problem}`]);
      return;
    }
  } else {
    const sockets = defaultSockets();
    if (!sockets.some((s) => existsSync(s)) && !existsSync(join(env.HOME ?? '~', '.testcontainers.properties'))) {
      throw noRuntime(['DOCKER_HOST: not set', ...sockets.map((s) => `${s}: no such socket`), '~/.testcontainers.properties: none']);
    }
  }
  // tcp:// hosts, sockets that exist, a testcontainers.properties: testcontainers' own detection
  // (it reads TLS settings too), bounded so that an engine that never answers is not a hang.
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      tc.getContainerRuntimeClient(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${RUNTIME_PING_MS / 1000} s`)), RUNTIME_PING_MS);
      }),
    ]);
  } catch (e) {
    const where = dockerHost ? [`DOCKER_HOST=${dockerHost}`] : ['DOCKER_HOST: not set', ...defaultSockets().filter((s) => existsSync(s)).map((s) => `${s}: exists`)];
    throw noRuntime([...where.slice(0, -1), `${where.at(-1)}: ${(e as Error).message}`]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Containers started and not yet removed. If cosigner-sim ends without close() (an uncaught error,
 * process.exit, a signal nobody handles), they would outlive it: remove them on the way out. Only
 * synchronous work runs in 'exit', so the docker CLI removes them (when it is installed; Ryuk, when
 * enabled, is testcontainers' own net for the rest).
 */
const live = new Set<string>();
let hooked = false;
function removeLiveSync(): void {
  for (const id of live) spawnSync('docker', ['rm', '-f', id], { stdio: 'ignore', timeout: 10_000 });
  live.clear();
}
function track(id: string): void {
  live.add(id);
  if (hooked) return;
  hooked = true;
  process.once('exit', removeLiveSync);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    // When someone else handles the signal (the CLI finishes the run, then closes its targets),
    // leave it to them; alone, remove the containers and die of the signal as Node would have.
    process.on(sig, function onSignal() {
      if (process.listenerCount(sig) > 1) return;
      removeLiveSync();
      process.off(sig, onSignal);
      process.kill(process.pid, sig);
    });
  }
}

/** A copy of the kit the container's user can read (any uid): test keys only, never production ones. */
async function mountableKit(kit: Parameters<typeof writeKit>[0]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cosigner-sim-image-kit-'));
  writeKit(kit, dir);
  const open = (d: string) => {
    chmodSync(d, 0o755);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) open(join(d, e.name));
      else chmodSync(join(d, e.name), 0o644);
    }
  };
  open(dir);
  return dir;
}

/**
 * Run your handler's image with testcontainers: the kit copied to a fresh folder readable by the
 * container's user and mounted read-only at `mountKeys`, the COSIGNER_SIM_* variables at the
 * mount paths, PORT set, and either containerPort mapped to a free host port (bridge, the
 * default) or the host's network with PORT a free host port. Waits until a TLS handshake with the
 * URL reaches certificate verification. A container that exits first is a TargetStartError (exit
 * 2) with its exit code and last 50 log lines; so is an engine that is not reachable (checked
 * before anything starts). close() stops and removes the container and the kit copy.
 *
 * @example
 * await using target = await startImageTarget({ kind: 'image', image: 'my-handler:dev', containerPort: 8443, option: 4 }, {});
 */
export async function startImageTarget(spec: ImageTargetSpec, material: TargetMaterial): Promise<StartedTarget> {
  const { option } = spec;
  if (typeof spec.image !== 'string' || spec.image.trim() === '') {
    throw new InvalidArgumentError('startTarget: an image target needs an image name', { field: 'image', hint: 'e.g. --image my-handler:dev --port 8443' });
  }
  if (!Number.isInteger(spec.containerPort) || spec.containerPort < 1 || spec.containerPort > 65535) {
    throw new InvalidArgumentError(`startTarget: an image target needs the port the handler listens on in the container (1-65535), got ${JSON.stringify(spec.containerPort)}`, { field: 'port', hint: 'e.g. --image my-handler:dev --port 8443' });
  }
  const mount = spec.mountKeys ?? DEFAULT_MOUNT;
  if (!mount.startsWith('/')) throw new InvalidArgumentError(`startTarget: --mount-keys must be an absolute path inside the container, got ${JSON.stringify(mount)}`, { field: 'mountKeys', hint: 'e.g. --mount-keys /run/secrets/cosigner-sim' });

  const tc = await importOptional<Testcontainers>('testcontainers', 'the image target (--image)');
  await detectRuntime(tc);
  const { kit, resolved } = await kitAndMaterial(option, material);
  const host = spec.network === 'host';
  const kitDir = await mountableKit(kit);
  const removeKit = () => rmSync(kitDir, { recursive: true, force: true });
  const plan = containerPlan(spec, kitDir, host ? await freePort() : undefined);
  const what = `the image ${spec.image}`;

  let id: string | undefined;
  // The container's id as soon as it exists, so a start that fails later still removes it.
  class Tracked extends tc.GenericContainer {
    protected override async containerCreated(containerId: string): Promise<void> {
      id = containerId;
      track(containerId);
    }
  }
  const ring = new LineRing(LOG_LINES);
  const runtime = await tc.getContainerRuntimeClient();
  const removeContainer = async () => {
    if (id === undefined) return;
    const c = runtime.container.getById(id);
    await runtime.container.stop(c, { timeout: STOP_TIMEOUT_MS }).catch(() => {});
    await runtime.container.remove(c, { removeVolumes: true }).catch(() => {});
    live.delete(id);
  };
  // No testcontainers wait strategy: readiness is ours (a TLS handshake, below), and its default
  // one runs a shell inside the container, which a minimal image has not got.
  const noWait = { waitUntilReady: async () => {}, withStartupTimeout() { return this; }, isStartupTimeoutSet: () => true, getStartupTimeout: () => 0 };
  let started: Awaited<ReturnType<InstanceType<Testcontainers['GenericContainer']>['start']>>;
  try {
    started = await applyPlan(new Tracked(spec.image), plan)
      .withWaitStrategy(noWait)
      .withLogConsumer((stream: Readable) => stream.on('data', (chunk: string | Buffer) => ring.feed(stream, chunk.toString())))
      .start();
  } catch (e) {
    const lines = ring.snapshot();
    await removeContainer();
    removeKit();
    throw new TargetStartError(`${what} could not be started: ${(e as Error).message}${lines.length > 0 ? outputOf(lines) : ''}`, {
      field: 'image',
      cause: e,
      hint: `check that the image exists (docker image ls ${spec.image.split(':')[0]}) or can be pulled${host ? '' : ', and that the engine has a bridge network (or use --network host)'}`,
    });
  }

  const port = plan.hostPort ?? started.getMappedPort(spec.containerPort);
  const base = validateBaseUrl(`https://127.0.0.1:${port}${spec.basePath ?? ''}`, option);
  const url = new URL(base.url);
  let stopping = false;
  const exited = new AbortController();
  const dockerode = runtime.container.getById(started.getId());
  // wait() answers when the container stops: before it is ready, that is a start that failed.
  void dockerode
    .wait()
    .then(async (r: { StatusCode?: number }) => {
      if (stopping) return;
      await new Promise((done) => setTimeout(done, 200)); // the last log lines arrive just after
      exited.abort(
        new TargetStartError(`${what} exited with code ${r.StatusCode ?? '?'} before ${url.origin} accepted a TLS connection${outputOf(ring.snapshot())}`, {
          field: 'image',
          hint: `run it by hand to see why it stops (docker run --rm ${spec.image}); it gets the kit in COSIGNER_SIM_* variables (paths under ${mount}) and its port in PORT (see README#your-handler-as-a-docker-image---image)`,
        }),
      );
    })
    .catch(() => {});

  const stop = async () => {
    stopping = true;
    await removeContainer();
    removeKit();
  };
  try {
    await waitUntilReady({ url: base.url, tls: buildTlsOptions(option, resolved.trust), timeoutMs: spec.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS, signal: exited.signal, what, logs: () => ring.snapshot() });
  } catch (e) {
    await stop();
    throw e;
  }
  return startedTarget({ url: base.url, option, material: resolved, logs: () => ring.snapshot(), stop });
}
