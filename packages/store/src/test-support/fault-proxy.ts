/**
 * An HTTP proxy on 127.0.0.1 in front of the real S3 endpoint that injects faults: 503
 * SlowDown answers, and connections cut in the middle of a request or response body. The
 * client signs requests for the proxy's host, which the proxy passes on unchanged.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'pass' | 'slowdown' | 'cut-response' | 'cut-request';

export interface FaultProxy {
  endpoint: string;
  /** Every request seen, as `METHOD path?query fault`. */
  log: string[];
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, decide: (req: IncomingMessage, index: number) => Fault): Promise<FaultProxy> {
  const upstream = new URL(target);
  const log: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const fault = decide(req, log.length);
    log.push(`${req.method} ${req.url} ${fault}`);
    if (fault === 'slowdown') {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (fault !== 'cut-response') {
          answer.pipe(res);
          return;
        }
        // Send a little of the body, then drop the connection as a failing network would.
        answer.once('data', (chunk: Buffer) => {
          res.write(chunk.subarray(0, Math.min(chunk.length, 1024)));
          setTimeout(() => res.socket?.destroy(), 20);
          answer.destroy();
        });
      },
    );
    forward.on('error', () => res.socket?.destroy());
    if (fault === 'cut-request') {
      req.once('data', () => {
        forward.destroy();
        req.socket.destroy();
      });
    }
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
