/**
 * What the image kind asks of testcontainers, without an engine: the container's configuration for
 * bridge and host networking (the engine in CI runs with --bridge=none, so bridge mode is held
 * here, through the builder), the variables at the mount paths, and the plain message for a
 * runtime that is not reachable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedKit } from '../../test/support/shared-kit.js';
import { isCsimError } from '../errors.js';
import { writeKit } from '../keys/kit.js';
import { startTarget } from './index.js';
import { applyPlan, containerPlan, detectRuntime, type ContainerBuilder, type ImageTargetSpec } from './image.js';

let tmp: string;
let kitDir: string;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'csim-image-unit-'));
  kitDir = join(tmp, 'kit');
  writeKit(await sharedKit(), kitDir);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const spec: ImageTargetSpec = { kind: 'image', image: 'my-handler:dev', containerPort: 8443, option: 4, env: { LOG_LEVEL: 'debug', PORT: 'overridden by the kit' } };

/** Records each builder call, the way GenericContainer's fluent methods are chained. */
class FakeBuilder implements ContainerBuilder<FakeBuilder> {
  readonly calls: [string, unknown[]][] = [];
  withNetworkMode(...a: unknown[]) { this.calls.push(['withNetworkMode', a]); return this; }
  withExposedPorts(...a: unknown[]) { this.calls.push(['withExposedPorts', a]); return this; }
  withBindMounts(...a: unknown[]) { this.calls.push(['withBindMounts', a]); return this; }
  withEnvironment(...a: unknown[]) { this.calls.push(['withEnvironment', a]); return this; }
}

describe('containerPlan and applyPlan: bridge vs host', () => {
  it('bridge (the default): --port is published on a free host port and PORT is the container port; no network mode', () => {
    const plan = containerPlan(spec, kitDir);
    expect(plan.networkMode).toBeUndefined();
    expect(plan.exposedPorts).toEqual([8443]);
    expect(plan.hostPort).toBeUndefined();
    expect(plan.environment.PORT).toBe('8443');
    const b = applyPlan(new FakeBuilder(), plan);
    expect(b.calls.map(([m]) => m)).toEqual(['withBindMounts', 'withEnvironment', 'withExposedPorts']);
    expect(b.calls.find(([m]) => m === 'withExposedPorts')![1]).toEqual([8443]);
  });

  it('host: --network host, nothing published, PORT is the host port the URL uses', () => {
    const plan = containerPlan({ ...spec, network: 'host' }, kitDir, 40123);
    expect(plan.networkMode).toBe('host');
    expect(plan.exposedPorts).toEqual([]);
    expect(plan.hostPort).toBe(40123);
    expect(plan.environment.PORT).toBe('40123');
    const b = applyPlan(new FakeBuilder(), plan);
    expect(b.calls.map(([m]) => m)).toEqual(['withBindMounts', 'withEnvironment', 'withNetworkMode']);
    expect(b.calls.find(([m]) => m === 'withNetworkMode')![1]).toEqual(['host']);
    expect(() => containerPlan({ ...spec, network: 'host' }, kitDir)).toThrow(/host port/);
  });

  it('the kit is mounted read-only at --mount-keys and every path variable points there; the _PEM ones hold the text; --env is kept, the kit wins', () => {
    const plan = containerPlan({ ...spec, mountKeys: '/run/secrets/csim' }, kitDir);
    expect(plan.bindMounts).toEqual([{ source: kitDir, target: '/run/secrets/csim', mode: 'ro' }]);
    const env = plan.environment;
    expect(env.COSIGNER_SIM_KIT).toBe('/run/secrets/csim');
    expect(env.COSIGNER_SIM_OPTION).toBe('4');
    expect(env.LOG_LEVEL).toBe('debug');
    // Option 4 is pinned: the pinned certificate and key.
    expect(env.COSIGNER_SIM_TLS_CERT).toBe('/run/secrets/csim/pinned-cert.pem');
    // Every Co-signer of the kit (two), each at the mount.
    expect(env.COSIGNER_SIM_COSIGNER_PUBLIC_KEYS).toBe(`${env.COSIGNER_SIM_COSIGNER_PUBLIC_KEY}:/run/secrets/csim/cosigner-2-public.pem`);
    const paths = Object.entries(env).filter(([k]) => k.startsWith('COSIGNER_SIM_') && !k.endsWith('_PEM') && k !== 'COSIGNER_SIM_OPTION');
    expect(paths.length).toBeGreaterThanOrEqual(7);
    for (const [k, v] of paths) expect(v, k).toMatch(/^\/run\/secrets\/csim(\/|$)/);
    expect(env.COSIGNER_SIM_TLS_CERT_PEM).toContain('-----BEGIN CERTIFICATE-----');
    expect(JSON.stringify(env)).not.toContain(kitDir);
  });
});

describe('no container runtime', () => {
  const missing = { DOCKER_HOST: 'unix:///nonexistent.sock' };
  const getContainerRuntimeClient = () => Promise.reject(new Error('Could not find a working container runtime strategy'));

  it('a DOCKER_HOST socket that does not exist: TargetStartError naming what was tried and how to go on, not testcontainers\u2019 text', async () => {
    const e = await detectRuntime({ getContainerRuntimeClient } as never, missing).then(() => undefined, (x: unknown) => x);
    expect(isCsimError(e) && e.code).toBe('CSIM_TARGET_START');
    const err = e as Error & { hint?: string };
    expect(err.message).toContain('DOCKER_HOST=unix:///nonexistent.sock: no such socket');
    expect(err.message).not.toContain('container runtime strategy');
    expect(err.hint).toMatch(/set DOCKER_HOST/);
    expect(err.hint).toMatch(/--url https:\/\/127\.0\.0\.1:8443/);
  });

  it('a tcp:// DOCKER_HOST where nothing listens: the same message, connection refused', async () => {
    const e = (await detectRuntime({ getContainerRuntimeClient } as never, { DOCKER_HOST: 'tcp://127.0.0.1:1' }).then(() => undefined, (x: unknown) => x)) as Error;
    expect(e.message).toContain('DOCKER_HOST=tcp://127.0.0.1:1: connection refused');
  });

  it('testcontainers\u2019 own detection failing (no DOCKER_HOST, a socket that exists): the same plain message, with its reason kept short', async () => {
    const e = (await detectRuntime({ getContainerRuntimeClient } as never, { HOME: tmp }).then(() => undefined, (x: unknown) => x)) as Error;
    // /var/run/docker.sock may or may not exist here: either way the message lists what was tried.
    expect(e.message).toMatch(/none is reachable\. Tried:\n {2}- DOCKER_HOST: not set/);
  });

  it('startTarget({ kind: "image" }) checks before it starts anything (DOCKER_HOST in the process environment)', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = missing.DOCKER_HOST;
    try {
      await expect(startTarget({ ...spec }, { kit: await sharedKit() })).rejects.toMatchObject({ code: 'CSIM_TARGET_START', message: expect.stringContaining('nonexistent.sock: no such socket') });
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  it('a bad spec is refused before the runtime is asked (port, mount path)', async () => {
    await expect(startTarget({ ...spec, containerPort: 0 }, {})).rejects.toMatchObject({ code: 'CSIM_INVALID_ARGUMENT', field: 'port' });
    await expect(startTarget({ ...spec, mountKeys: 'kit' }, {})).rejects.toMatchObject({ code: 'CSIM_INVALID_ARGUMENT', field: 'mountKeys' });
  });
});
