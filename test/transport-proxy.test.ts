/**
 * `--proxy` / HTTPS_PROXY: the simulator's requests tunnel through an HTTP CONNECT proxy (a tiny
 * one written here, on 127.0.0.1, that counts tunnels), the TLS to the handler runs inside the
 * tunnel and is verified exactly as without a proxy, and NO_PROXY is honoured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKit } from '../simulator/keys/kit.js';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosigner } from '../simulator/client/cosigner.js';
import { bypassesProxy } from '../simulator/client/transport.js';
import type { Kit } from '../simulator/keys/types.js';
import { startTarget, type StartedTarget } from '../simulator/targets/index.js';
import { ROOT } from './cli.global-setup.js';
import { runInProcess } from './fixtures/cli/memory-io.js';
import { sharedKit } from './support/shared-kit.js';

let kit: Kit;
let tmp: string;
let kitDir: string;
let target: StartedTarget;
let proxy: Server;
let proxyUrl: string;
const tunnels: string[] = [];
/** When set, the proxy answers CONNECT with this status instead of opening the tunnel. */
let refuseWith: number | undefined;

beforeAll(async () => {
  kit = await sharedKit();
  tmp = mkdtempSync(join(tmpdir(), 'csim-proxy-'));
  kitDir = writeKit(kit, join(tmp, 'kit')).dir!;
  target = await startTarget({ kind: 'reference', option: 4 }, { kit });
  proxy = createServer((client: Socket) => {
    client.once('data', (head: Buffer) => {
      const m = /^CONNECT ([^ ]+) HTTP\/1\.1\r\n/.exec(head.toString('latin1'));
      if (!m) return void client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      tunnels.push(m[1]!);
      if (refuseWith !== undefined) return void client.end(`HTTP/1.1 ${refuseWith} Forbidden\r\n\r\n`);
      const [host, port] = [m[1]!.slice(0, m[1]!.lastIndexOf(':')), Number(m[1]!.slice(m[1]!.lastIndexOf(':') + 1))];
      const upstream = connect({ host, port }, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await target?.close();
  await new Promise<void>((r) => proxy.close(() => r()));
  rmSync(tmp, { recursive: true, force: true });
});

describe('--proxy: CONNECT tunnels, TLS unchanged', () => {
  it('every request goes through one tunnel to the handler, and the pinned certificate is still checked', async () => {
    tunnels.length = 0;
    const cosigner = createCosigner(target, { seed: 1, proxy: proxyUrl });
    const res = await cosigner.sendTx();
    expect(res.ok, JSON.stringify(res.checks.filter((c) => c.status === 'fail'))).toBe(true);
    expect(res.peerCertificate?.fingerprint256).toBeDefined();
    expect(tunnels).toEqual([new URL(target.url).host]);

    // Through the same tunnel, a handler serving another certificate than the pinned one fails tls.
    const wrong = await startTarget({ kind: 'reference', option: 4, kit: { ...kit, pinned: kit.leaf } }, { kit });
    try {
      const bad = await createCosigner(wrong, { seed: 2, proxy: proxyUrl }).sendTx();
      expect(bad.checks.find((c) => c.id === 'tls')?.status).toBe('fail');
      expect(tunnels).toHaveLength(2);
    } finally {
      await wrong.close();
    }
  });

  it('a proxy that refuses CONNECT fails connect naming the proxy and its answer', async () => {
    tunnels.length = 0;
    refuseWith = 403;
    try {
      const res = await createCosigner(target, { seed: 3, proxy: proxyUrl }).sendTx();
      const connectCheck = res.checks.find((c) => c.id === 'connect');
      expect(connectCheck?.status).toBe('fail');
      expect(connectCheck?.message).toContain(`the proxy ${new URL(proxyUrl).host} answered HTTP 403 to CONNECT ${new URL(target.url).host}`);
    } finally {
      refuseWith = undefined;
    }
  });

  it('the CLI reads HTTPS_PROXY, and NO_PROXY sends directly', async () => {
    tunnels.length = 0;
    const viaEnv = await runInProcess(['send', 'tx', '--option', '2', '--kit', kitDir], { cwd: ROOT, env: { HTTPS_PROXY: proxyUrl } });
    expect(viaEnv.code, viaEnv.stderr + viaEnv.stdout).toBe(0);
    expect(tunnels).toHaveLength(1);
    const direct = await runInProcess(['send', 'tx', '--option', '2', '--kit', kitDir, '--proxy', proxyUrl], { cwd: ROOT, env: { NO_PROXY: 'localhost,127.0.0.1' } });
    expect(direct.code, direct.stderr + direct.stdout).toBe(0);
    expect(tunnels).toHaveLength(1);
    const bad = await runInProcess(['send', 'tx', '--proxy', 'socks5://127.0.0.1:1080'], { cwd: ROOT });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid value for --proxy');
  });

  it('bypassesProxy follows NO_PROXY conventions', () => {
    expect(bypassesProxy('127.0.0.1', 443, '127.0.0.1')).toBe(true);
    expect(bypassesProxy('api.internal', 443, '.internal')).toBe(true);
    expect(bypassesProxy('api.internal', 443, '*.internal')).toBe(true);
    expect(bypassesProxy('internal', 443, '.internal')).toBe(true);
    expect(bypassesProxy('evilinternal', 443, '.internal')).toBe(false);
    expect(bypassesProxy('handler.example.com', 8443, 'handler.example.com:443')).toBe(false);
    expect(bypassesProxy('handler.example.com', 443, 'handler.example.com:443')).toBe(true);
    expect(bypassesProxy('anything', 1, '*')).toBe(true);
    expect(bypassesProxy('anything', 1, undefined)).toBe(false);
  });
});
