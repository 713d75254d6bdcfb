import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MldpError } from '@mldp/runtime';

/** Serves the report folder's index.html on 127.0.0.1; resolves with the server and its URL. */
export async function serveReport(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/' && path !== '/index.html') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(await readFile(join(dir, 'index.html')));
    } catch {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('the report has not been built');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(port, error)));
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

function listenError(port: number, error: Error): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new MldpError('E_PORT_TAKEN', `cannot serve the report on 127.0.0.1:${port}: another program uses that port`, {
      hint: 'choose another with --port N, or leave --port out for any free one',
      cause: error,
    });
  }
  if (code === 'EACCES') {
    return new MldpError('E_PORT_DENIED', `cannot serve the report on 127.0.0.1:${port}: this user may not open that port`, {
      hint: 'choose a port of 1024 or more, or leave --port out for any free one',
      cause: error,
    });
  }
  return error;
}
